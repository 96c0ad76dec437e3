package leads

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// MaxCalendarSpan is the longest period one calendar or free-slot query may cover.
const MaxCalendarSpan = 62 * 24 * time.Hour

// TestDriveFilter picks test drives from the dealer's calendar.
type TestDriveFilter struct {
	From, To  time.Time       // the drives overlapping [From, To); both required, at most MaxCalendarSpan apart
	VehicleID crm.ID          // zero: every vehicle
	Status    TestDriveStatus // "": any status
}

// checkSpan records what is wrong with the period [from, to).
func checkSpan(p *crm.Problems, from, to time.Time) {
	switch {
	case from.IsZero():
		p.Add("from", "is required")
	case to.IsZero():
		p.Add("to", "is required")
	case !to.After(from):
		p.Add("to", "must be after from")
	case to.Sub(from) > MaxCalendarSpan:
		p.Add("to", "must be at most %d days after from", int(MaxCalendarSpan/(24*time.Hour)))
	}
}

// MaxDriveLength bounds how long a booked test drive lasts: a booked slot lies within one day's working hours (a
// booking outside them is refused), at most a day, 25 hours on the day the clocks go back. A drive recorded
// afterwards (RecordTestDrive) may last longer. Stores read the calendar's overlap query from an index by start
// over the starts in [from − MaxDriveLength, to), widened by the longest of the dealer's drives longer than
// MaxDriveLength, which they keep as they write (TestDriveStore.ListBetween).
const MaxDriveLength = 25 * time.Hour

// Matches reports whether d is one of the drives f picks: overlapping [f.From, f.To), of f.VehicleID and f.Status
// when set (the stores' PageBetween filter).
func (f TestDriveFilter) Matches(d *TestDrive) bool {
	return d.Start.Before(f.To) && f.From.Before(d.End) && (f.VehicleID == crm.ID{} || d.VehicleID == f.VehicleID) &&
		(f.Status == "" || d.Status == f.Status)
}

// ListTestDrives returns the page pr asks for of the dealer's test drives of every vehicle (or of f.VehicleID)
// overlapping [f.From, f.To), of any status (or of f.Status), ordered by start, then ID: the calendar a UI draws,
// in keyset pages read by the store. Invalid names from, to, status or cursor.
func (s *Service) ListTestDrives(ctx context.Context, f TestDriveFilter, pr crm.PageRequest) (crm.Page[TestDrive], error) {
	const op = "leads.Service.ListTestDrives"
	var p crm.Problems
	checkSpan(&p, f.From, f.To)
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "must be one of booked, completed, cancelled, no_show")
	}
	if err := p.Err(op); err != nil {
		return crm.Page[TestDrive]{}, err
	}
	var out crm.Page[TestDrive]
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.TestDrives().PageBetween(ctx, f, pr)
		return err
	})
	return out, wrap(op, err)
}

// Slot is a period a test drive can be booked for.
type Slot struct {
	Start time.Time
	End   time.Time
}

// ListFreeSlots returns the one-slot periods within [from, to) for which BookTestDrive would book vehicleID now for a
// driver who holds nothing on it: slots of the dealer's schedule (from each day's opening, SlotLength apart,
// within working hours), not in the past, not overlapping a booked drive, and allowed by the vehicle's own rules
// (not sold, unavailable or held for someone else's sale). Each candidate is judged by the same check booking
// uses, so the two never disagree. KindNotFound for a vehicle the dealer does not have; Invalid names from or to.
func (s *Service) ListFreeSlots(ctx context.Context, vehicleID crm.ID, from, to time.Time) ([]Slot, error) {
	const op = "leads.Service.ListFreeSlots"
	var p crm.Problems
	checkSpan(&p, from, to)
	if err := p.Err(op); err != nil {
		return nil, err
	}
	out := []Slot{}
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		out = out[:0] // fn may run more than once
		now := crm.Now(ctx)
		cfg, err := s.configIn(ctx, st)
		if err != nil {
			return err
		}
		v, err := st.Vehicles().Get(ctx, vehicleID)
		if err != nil {
			return err
		}
		booked, err := st.TestDrives().ListByVehicle(ctx, vehicleID)
		if err != nil {
			return err
		}
		stranger := catalog.Holder{CustomerID: crm.NewID()}
		for _, sl := range gridSlots(cfg, from, to) {
			var p crm.Problems
			cfg.checkSlot(&p, sl.Start, sl.End, now)
			if p.Err(op) != nil {
				continue
			}
			d := TestDrive{Meta: crm.Meta{ID: crm.NewID()}, VehicleID: vehicleID, CustomerID: stranger.CustomerID,
				Start: sl.Start, End: sl.End}
			if _, err := admit(op, v, booked, d, cfg, now); err != nil {
				continue // admit is pure: every error is a rule refusing the slot
			}
			out = append(out, sl)
		}
		return nil
	})
	return out, wrap(op, err)
}

// gridSlots returns the schedule's slots that lie within [from, to): on each local day, from opening, SlotLength
// apart, ending by closing.
func gridSlots(cfg Config, from, to time.Time) []Slot {
	var out []Slot
	loc := cfg.Location
	first := from.In(loc)
	y, m, d := first.Date()
	for day := time.Date(y, m, d, 0, 0, 0, 0, loc); day.Before(to); day = day.AddDate(0, 0, 1) {
		yy, mm, dd := day.Date()
		wall := func(x time.Duration) time.Time {
			return time.Date(yy, mm, dd, int(x/time.Hour), int(x%time.Hour/time.Minute), 0, 0, loc)
		}
		closing := wall(cfg.WorkdayEnd)
		for t := wall(cfg.WorkdayStart); !t.Add(cfg.SlotLength).After(closing); t = t.Add(cfg.SlotLength) {
			end := t.Add(cfg.SlotLength)
			if !t.Before(from) && !end.After(to) {
				out = append(out, Slot{Start: t.UTC(), End: end.UTC()})
			}
		}
	}
	return out
}
