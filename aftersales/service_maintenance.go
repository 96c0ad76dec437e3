package aftersales

import (
	"context"
	"errors"
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
	p, err := catalog.MaintenancePlanFor(ctx, st, cv.Make, cv.Model, cv.Year)
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

// ListMaintenanceDue returns the dealer's cars whose next maintenance is due within days days of today (in the
// workshop's time zone) — overdue ones and those whose km limit is reached included — by due date. Invalid names
// within_days (0 to 3660).
func (s *Service) ListMaintenanceDue(ctx context.Context, days int) ([]CarMaintenance, error) {
	const op = "aftersales.Service.ListMaintenanceDue"
	if days < 0 || days > 3660 {
		return nil, crm.Invalid(op, crm.FieldError{Field: "within_days", Message: "must be between 0 and 3660"})
	}
	out := []CarMaintenance{}
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		_, loc, err := workshopIn(ctx, st)
		if err != nil {
			return err
		}
		now := crm.Now(ctx)
		horizon := civil(now, loc).AddDate(0, 0, days)
		var after time.Time
		var afterID crm.ID
		for {
			cars, err := st.CustomerVehicles().List(ctx, after, afterID, 500)
			if err != nil {
				return err
			}
			for _, cv := range cars {
				m, err := maintenanceOf(ctx, st, cv, now, loc)
				if err != nil {
					return err
				}
				if m.Plan.Interval.IsZero() {
					continue
				}
				if m.Due.Due || (!m.Due.DueDate.IsZero() && !m.Due.DueDate.After(horizon)) {
					out = append(out, m)
				}
			}
			if len(cars) < 500 {
				break
			}
			after, afterID = cars[len(cars)-1].CreatedAt, cars[len(cars)-1].ID
		}
		return nil
	})
	sortDue(out)
	return out, wrap(op, err)
}

func sortDue(ms []CarMaintenance) {
	key := func(m CarMaintenance) time.Time {
		if m.Due.DueDate.IsZero() {
			return time.Time{} // km reached without a dated estimate: first
		}
		return m.Due.DueDate
	}
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && key(ms[j]).Before(key(ms[j-1])); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}
