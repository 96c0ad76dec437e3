package memory

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
)

// workshopRecords keeps one workshop calendar per dealer, under the dealer's ID.
var workshopRecords = records[aftersales.Workshop]{name: "workshop_calendars",
	meta: func(w *aftersales.Workshop) *crm.Meta { return &w.Meta }, clone: aftersales.Workshop.Clone}

type workshopStore struct{ tx *Tx }

// Workshops returns the workshop-calendar store of this unit of work.
func (tx *Tx) Workshops() aftersales.WorkshopStore { return workshopStore{tx} }

func (s workshopStore) Get(ctx context.Context) (aftersales.Workshop, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return aftersales.Workshop{}, err
	}
	w, err := workshopRecords.get(ctx, s.tx, d)
	if err != nil {
		return aftersales.Workshop{}, crm.NotFound("memory.Workshops.Get", "the dealer has no workshop calendar")
	}
	return w, nil
}

func (s workshopStore) Save(ctx context.Context, w *aftersales.Workshop) error {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	w.ID, w.DealerID = d, d
	if w.Version == 0 {
		return workshopRecords.create(ctx, s.tx, w)
	}
	return workshopRecords.update(ctx, s.tx, w)
}

var appointmentRecords = records[aftersales.Appointment]{name: "service_appointments",
	meta: func(a *aftersales.Appointment) *crm.Meta { return &a.Meta }, clone: aftersales.Appointment.Clone,
	orders: []order[aftersales.Appointment]{appointmentsByStart.order()}}

// appointmentsByStart is the dealer's appointments by start, then ID: the workshop calendar, read by period.
var appointmentsByStart = timeOrder[aftersales.Appointment]{name: "start",
	at: func(a *aftersales.Appointment) time.Time { return a.Start }, id: func(a *aftersales.Appointment) crm.ID { return a.ID },
	probe: func(at time.Time, id crm.ID) aftersales.Appointment {
		return aftersales.Appointment{Meta: crm.Meta{ID: id}, Start: at}
	}}

type appointmentStore struct{ tx *Tx }

// Appointments returns the service-appointment store of this unit of work.
func (tx *Tx) Appointments() aftersales.AppointmentStore { return appointmentStore{tx} }

// free refuses a that overlaps another appointment holding its bay or of its car, as PostgreSQL's exclusion
// constraints do.
func (s appointmentStore) free(ctx context.Context, a *aftersales.Appointment) error {
	if !a.End.After(a.Start) || a.Bay == "" || !a.Status.Valid() {
		return crm.Invalid("memory.Appointments", crm.FieldError{Field: "appointment", Message: "breaks a stored rule"})
	}
	// one pass over the dealer's appointments: those in the bay's way, then those of the car
	clash, err := appointmentRecords.all(ctx, s.tx, func(x *aftersales.Appointment) bool { return a.Overlaps(*x) || a.OverlapsCar(*x) })
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(clash, a.Overlaps); i >= 0 {
		return fmt.Errorf("bay %s has another appointment overlapping %s–%s: %w", a.Bay,
			a.Start.Format(time.RFC3339), a.End.Format(time.RFC3339), aftersales.ErrBayTaken)
	}
	if len(clash) > 0 {
		return fmt.Errorf("the car has appointment %s overlapping %s–%s: %w", clash[0].ID,
			a.Start.Format(time.RFC3339), a.End.Format(time.RFC3339), aftersales.ErrCarBooked)
	}
	return nil
}

func (s appointmentStore) Get(ctx context.Context, id crm.ID) (aftersales.Appointment, error) {
	return appointmentRecords.get(ctx, s.tx, id)
}

func (s appointmentStore) Create(ctx context.Context, a *aftersales.Appointment) error {
	if err := s.free(ctx, a); err != nil {
		return err
	}
	if _, err := customerVehicleRecords.get(ctx, s.tx, a.CustomerVehicleID); err != nil {
		return crm.Invalid("memory.Appointments.Create", crm.FieldError{Field: "customer_vehicle_id", Message: "no such customer vehicle"})
	}
	return appointmentRecords.create(ctx, s.tx, a)
}

func (s appointmentStore) Update(ctx context.Context, a *aftersales.Appointment) error {
	if err := s.free(ctx, a); err != nil {
		return err
	}
	return appointmentRecords.update(ctx, s.tx, a)
}

func (s appointmentStore) list(ctx context.Context, keep func(*aftersales.Appointment) bool) ([]aftersales.Appointment, error) {
	out, err := appointmentRecords.all(ctx, s.tx, keep)
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}

// ListBetween walks the calendar from the earliest start an appointment overlapping from can have.
func (s appointmentStore) ListBetween(ctx context.Context, from, to time.Time) ([]aftersales.Appointment, error) {
	var out []aftersales.Appointment
	err := appointmentsByStart.walk(ctx, s.tx, appointmentRecords, from.Add(-aftersales.MaxAppointmentLength), to, nil,
		func(a *aftersales.Appointment) bool {
			if a.End.After(from) {
				out = append(out, appointmentRecords.copy(*a))
			}
			return true
		})
	return out, err
}

func (s appointmentStore) PageBetween(ctx context.Context, f aftersales.AppointmentFilter, pr crm.PageRequest) (crm.Page[aftersales.Appointment], error) {
	return appointmentsByStart.page(ctx, s.tx, appointmentRecords, "memory.Appointments.PageBetween", aftersales.AppointmentList, pr,
		f.From.Add(-aftersales.MaxAppointmentLength), f.To, f.Matches)
}

func (s appointmentStore) ListByCustomerVehicle(ctx context.Context, id crm.ID) ([]aftersales.Appointment, error) {
	return s.list(ctx, func(a *aftersales.Appointment) bool { return a.CustomerVehicleID == id })
}

func (s appointmentStore) ListByCustomer(ctx context.Context, id crm.ID) ([]aftersales.Appointment, error) {
	return s.list(ctx, func(a *aftersales.Appointment) bool { return a.CustomerID == id })
}

// advisorDayKey names one advisor's day of one dealer.
type advisorDayKey struct {
	dealer, advisor crm.ID
	day             string
}

type advisorDayStore struct{ tx *Tx }

// AdvisorDays returns the advisor-day counter store of this unit of work.
func (tx *Tx) AdvisorDays() aftersales.AdvisorDayStore { return advisorDayStore{tx} }

func (s advisorDayStore) Add(ctx context.Context, advisor crm.ID, day string, delta, limit int) error {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	if !s.tx.writable {
		return errReadOnly
	}
	t := tableOf[advisorDayKey, int](s.tx.db, "service_advisor_days")
	k := advisorDayKey{d, advisor, day}
	n, _ := t.get(k)
	if delta > 0 && n+delta > limit {
		return fmt.Errorf("the advisor has %d appointments on %s already: %w", n, day, aftersales.ErrAdvisorDayFull)
	}
	return t.put(s.tx, k, max(n+delta, 0))
}

var warrantyRecords = records[aftersales.Warranty]{name: "warranties",
	meta: func(w *aftersales.Warranty) *crm.Meta { return &w.Meta }, clone: aftersales.Warranty.Clone,
	orders: []order[aftersales.Warranty]{warrantiesByEnd.order()}}

// warrantiesByEnd is the dealer's warranties by end, then ID.
var warrantiesByEnd = timeOrder[aftersales.Warranty]{name: "end",
	at: func(w *aftersales.Warranty) time.Time { return w.End }, id: func(w *aftersales.Warranty) crm.ID { return w.ID },
	probe: func(at time.Time, id crm.ID) aftersales.Warranty {
		return aftersales.Warranty{Meta: crm.Meta{ID: id}, End: at}
	}}

type warrantyStore struct{ tx *Tx }

// Warranties returns the warranty store of this unit of work.
func (tx *Tx) Warranties() aftersales.WarrantyStore { return warrantyStore{tx} }

func (s warrantyStore) Get(ctx context.Context, id crm.ID) (aftersales.Warranty, error) {
	return warrantyRecords.get(ctx, s.tx, id)
}

func (s warrantyStore) Create(ctx context.Context, w *aftersales.Warranty) error {
	if _, err := customerVehicleRecords.get(ctx, s.tx, w.CustomerVehicleID); err != nil {
		return crm.Invalid("memory.Warranties.Create", crm.FieldError{Field: "customer_vehicle_id", Message: "no such customer vehicle"})
	}
	if !w.End.After(w.Start) || (w.Void && w.VoidReason == "") {
		return crm.Invalid("memory.Warranties.Create", crm.FieldError{Field: "end", Message: "breaks a stored rule"})
	}
	return warrantyRecords.create(ctx, s.tx, w)
}

func (s warrantyStore) Update(ctx context.Context, w *aftersales.Warranty) error {
	return warrantyRecords.update(ctx, s.tx, w)
}

func (s warrantyStore) ListByCustomerVehicle(ctx context.Context, id crm.ID) ([]aftersales.Warranty, error) {
	out, err := warrantyRecords.all(ctx, s.tx, func(w *aftersales.Warranty) bool { return w.CustomerVehicleID == id })
	sort.Slice(out, func(i, j int) bool {
		mi, mj := out[i].Kind == aftersales.WarrantyManufacturer, out[j].Kind == aftersales.WarrantyManufacturer
		switch {
		case mi != mj:
			return mi
		case !out[i].Start.Equal(out[j].Start):
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}

func (s warrantyStore) PageEndingBetween(ctx context.Context, from, to time.Time, pr crm.PageRequest) (crm.Page[aftersales.Warranty], error) {
	return warrantiesByEnd.page(ctx, s.tx, warrantyRecords, "memory.Warranties.PageEndingBetween", aftersales.ExpiringWarrantyList, pr, from, to,
		func(w *aftersales.Warranty) bool { return !w.Void })
}
