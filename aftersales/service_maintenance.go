package aftersales

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// planOf returns the maintenance interval of a car: the plan attached to it, or else the directory's plan for its
// make, model and year; the zero interval when there is none.
func planOf(ctx context.Context, st Stores, cv CustomerVehicle) (AttachedPlan, error) {
	if !cv.Plan.Interval.IsZero() {
		return cv.Plan, nil
	}
	return planFromDirectory(catalog.MaintenancePlanFor(ctx, st, cv.Make, cv.Model, cv.Year))
}

// planFromDirectory is the car's plan from the directory's answer (catalog.MaintenancePlanFor's or
// MaintenancePlanFrom's): none when the directory has none.
func planFromDirectory(p catalog.MaintenancePlan, err error) (AttachedPlan, error) {
	if errors.Is(err, crm.ErrNotFound) {
		return AttachedPlan{}, nil
	}
	if err != nil {
		return AttachedPlan{}, err
	}
	return AttachedPlan{PlanID: p.ID, Interval: MaintenanceInterval{EveryKM: p.IntervalKm, EveryMonths: p.IntervalMonths}}, nil
}

// BasisOf returns what a car's next maintenance is reckoned from: its last completed maintenance visit, or before
// one the day it entered service with the odometer then; and its readings.
func BasisOf(cv CustomerVehicle, readings []MileageReading) MaintenanceBasis {
	b := MaintenanceBasis{Start: Odometer{At: cv.InServiceSince, KM: cv.OdometerAtSale}}
	if b.Start.At.IsZero() {
		b.Start.At = cv.CreatedAt
	}
	if !cv.LastMaintenanceAt.IsZero() {
		b.Start = Odometer{At: cv.LastMaintenanceAt, KM: cv.LastMaintenanceKM}
	}
	for _, r := range readings {
		b.Readings = append(b.Readings, Odometer{At: r.At, KM: r.KM})
	}
	return b
}

// CarMaintenance is a car's maintenance answer: the plan it follows (zero Interval: none) and when the next visit
// is due.
type CarMaintenance struct {
	CustomerVehicle CustomerVehicle
	Plan            AttachedPlan
	Due             MaintenanceDue // zero when the car has no plan
}

// maintenanceOf computes a car's answer inside a unit of work.
func maintenanceOf(ctx context.Context, st Stores, cv CustomerVehicle, now time.Time, loc *time.Location) (CarMaintenance, error) {
	plan, err := planOf(ctx, st, cv)
	if err != nil || plan.Interval.IsZero() {
		return CarMaintenance{CustomerVehicle: cv, Plan: plan}, err
	}
	rs, err := st.MileageReadings().ListByCustomerVehicle(ctx, cv.ID)
	if err != nil {
		return CarMaintenance{}, err
	}
	return CarMaintenance{CustomerVehicle: cv, Plan: plan, Due: NextMaintenance(plan.Interval, BasisOf(cv, rs), now, loc)}, nil
}

// GetCarMaintenance returns when the customer vehicle's next scheduled maintenance is due, today in the
// workshop's time zone (NextMaintenance over its plan, its last maintenance visit or sale, and its readings).
// crm.KindNotFound for a car the dealer does not have. A car without a plan has a zero Due.
func (s *Service) GetCarMaintenance(ctx context.Context, id crm.ID) (CarMaintenance, error) {
	var out CarMaintenance
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		cv, err := st.CustomerVehicles().Get(ctx, id)
		if err != nil {
			return err
		}
		_, loc, err := workshopIn(ctx, st)
		if err != nil {
			return err
		}
		out, err = maintenanceOf(ctx, st, cv, crm.Now(ctx), loc)
		return err
	})
	return out, wrap("aftersales.Service.GetCarMaintenance", err)
}

// dueBatch is how many cars ListMaintenanceDue reads per page: each page is two statements (the cars, then all
// their readings at once), however many cars it holds.
const dueBatch = 1000

// ListMaintenanceDue returns the dealer's cars whose next maintenance is due within days days of today (in the
// workshop's time zone) — overdue ones and those whose km limit is reached included — by due date, then by car
// (creation, ID). Invalid names within_days (0 to 3660).
//
// It reads in a number of statements that does not grow with the cars: the workshop calendar, then per page of
// dueBatch cars the cars and all their readings; the directory's plan of a car without an attached plan is
// looked up once per make, model and year (the plan a won sale attached needs no lookup).
func (s *Service) ListMaintenanceDue(ctx context.Context, days int) ([]CarMaintenance, error) {
	const op = "aftersales.Service.ListMaintenanceDue"
	if days < 0 || days > 3660 {
		return nil, crm.Invalid(op, crm.FieldError{Field: "within_days", Message: "must be between 0 and 3660"})
	}
	out := []CarMaintenance{}
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		out = out[:0]
		_, loc, err := workshopIn(ctx, st)
		if err != nil {
			return err
		}
		now := crm.Now(ctx)
		horizon := civil(now, loc).AddDate(0, 0, days)
		plans := map[modelYear]AttachedPlan{}
		var after time.Time
		var afterID crm.ID
		for {
			cars, err := st.CustomerVehicles().List(ctx, after, afterID, dueBatch)
			if err != nil {
				return err
			}
			var ids []crm.ID
			planned := map[crm.ID]AttachedPlan{}
			for _, cv := range cars {
				plan, err := cachedPlanOf(ctx, st, plans, cv)
				if err != nil {
					return err
				}
				if !plan.Interval.IsZero() {
					planned[cv.ID] = plan
					ids = append(ids, cv.ID)
				}
			}
			readings := map[crm.ID][]MileageReading{}
			if len(ids) > 0 {
				rs, err := st.MileageReadings().ListByCustomerVehicles(ctx, ids)
				if err != nil {
					return err
				}
				for _, r := range rs {
					readings[r.CustomerVehicleID] = append(readings[r.CustomerVehicleID], r)
				}
			}
			for _, cv := range cars {
				plan, ok := planned[cv.ID]
				if !ok {
					continue
				}
				m := CarMaintenance{CustomerVehicle: cv, Plan: plan,
					Due: NextMaintenance(plan.Interval, BasisOf(cv, readings[cv.ID]), now, loc)}
				if m.Due.Due || (!m.Due.DueDate.IsZero() && !m.Due.DueDate.After(horizon)) {
					out = append(out, m)
				}
			}
			if len(cars) < dueBatch {
				break
			}
			after, afterID = cars[len(cars)-1].CreatedAt, cars[len(cars)-1].ID
		}
		return nil
	})
	sortDue(out)
	return out, wrap(op, err)
}

// modelYear names a make, model and model year of the directory.
type modelYear struct {
	make, model string
	year        int
}

// cachedPlanOf is planOf remembering the directory's answer per make, model and year in plans.
func cachedPlanOf(ctx context.Context, st Stores, plans map[modelYear]AttachedPlan, cv CustomerVehicle) (AttachedPlan, error) {
	if !cv.Plan.Interval.IsZero() {
		return cv.Plan, nil
	}
	k := modelYear{strings.ToLower(cv.Make), strings.ToLower(cv.Model), cv.Year}
	if p, ok := plans[k]; ok {
		return p, nil
	}
	p, err := planOf(ctx, st, cv)
	if err == nil {
		plans[k] = p
	}
	return p, err
}

// sortDue orders by due date (a km limit reached without a dated estimate first), keeping the cars' list order
// (creation, then ID) among equal dates; a stable sort, so both adapters answer alike.
func sortDue(ms []CarMaintenance) {
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Due.DueDate.Before(ms[j].Due.DueDate) })
}
