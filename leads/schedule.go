package leads

import (
	"context"
	"errors"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Schedule is a dealer's own test-drive schedule: the working hours drives must lie in, the slot length they are
// multiples of, and the time zone both are reckoned in. A dealer without one uses the service's Config. Its ID is
// the dealer's ID (one schedule per dealer).
type Schedule struct {
	crm.Meta
	SlotLength   time.Duration // a positive whole number of minutes
	WorkdayStart time.Duration // since local midnight
	WorkdayEnd   time.Duration // since local midnight; after WorkdayStart, at most 24h
	TimeZone     string        // an IANA zone name, e.g. Europe/Moscow
}

// ScheduleStore keeps the test-drive schedule of the context's dealer.
type ScheduleStore interface {
	// Get returns the dealer's schedule; KindNotFound when the dealer has none stored.
	Get(ctx context.Context) (Schedule, error)
	// Save stores s for the context's dealer: a first save needs Version 0 and makes it 1 (KindConflict if one is
	// stored already); a later one needs the stored version and bumps it (KindStaleVersion otherwise).
	Save(ctx context.Context, s *Schedule) error
}

// config is the schedule as a Config over base (which gives what a Schedule does not hold, such as hold grace).
func (s Schedule) config(base Config) (Config, error) {
	var p crm.Problems
	loc, err := time.LoadLocation(s.TimeZone)
	if s.TimeZone == "" || err != nil {
		p.Add("time_zone", "must be an IANA time zone such as Europe/Moscow")
	}
	c := base
	c.SlotLength, c.WorkdayStart, c.WorkdayEnd, c.Location = s.SlotLength, s.WorkdayStart, s.WorkdayEnd, loc
	if s.SlotLength <= 0 {
		p.Add("slot_length", "must be a positive whole number of minutes")
	}
	if s.WorkdayStart%time.Minute != 0 {
		p.Add("workday_start", "must be on a whole minute")
	}
	if s.WorkdayEnd%time.Minute != 0 {
		p.Add("workday_end", "must be on a whole minute")
	}
	if err := p.Err("leads.Schedule"); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// scheduleOf returns the schedule of config c, as stored schedules are written.
func scheduleOf(c Config) Schedule {
	return Schedule{SlotLength: c.SlotLength, WorkdayStart: c.WorkdayStart, WorkdayEnd: c.WorkdayEnd,
		TimeZone: c.Location.String()}
}

// configIn returns the test-drive schedule of the context's dealer inside a unit of work: the stored one, or the
// service's Config when the dealer has none.
func (s *Service) configIn(ctx context.Context, st Stores) (Config, error) {
	sc, err := st.Schedules().Get(ctx)
	if errors.Is(err, crm.ErrNotFound) {
		return s.cfg, nil
	}
	if err != nil {
		return Config{}, err
	}
	return sc.config(s.cfg)
}

// GetTestDriveSchedule returns the context's dealer's test-drive schedule: the stored one, or the service's defaults
// with Version 0 when none is stored.
func (s *Service) GetTestDriveSchedule(ctx context.Context) (Schedule, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return Schedule{}, err
	}
	var out Schedule
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		sc, err := st.Schedules().Get(ctx)
		if errors.Is(err, crm.ErrNotFound) {
			out = scheduleOf(s.cfg)
			out.ID, out.DealerID = dealer, dealer
			return nil
		}
		out = sc
		return err
	})
	return out, wrap("leads.Service.GetTestDriveSchedule", err)
}

// SetTestDriveSchedule stores the context's dealer's test-drive schedule; bookings made from then on follow it
// (drives already booked stay). version is the one read (0 while none is stored: the defaults); a stale one is
// KindStaleVersion. Invalid names slot_length, workday_start, workday_end or time_zone.
func (s *Service) SetTestDriveSchedule(ctx context.Context, version int64, in Schedule) (Schedule, error) {
	const op = "leads.Service.SetTestDriveSchedule"
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return Schedule{}, err
	}
	if _, err := in.config(s.cfg); err != nil {
		return Schedule{}, wrap(op, err)
	}
	var out Schedule
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		cur, err := st.Schedules().Get(ctx)
		switch {
		case errors.Is(err, crm.ErrNotFound):
			cur = Schedule{Meta: crm.NewMeta(dealer, crm.Now(ctx))}
			cur.ID = dealer
		case err != nil:
			return err
		}
		if err := crm.CheckVersion(op, cur.Version, version); err != nil {
			return err
		}
		cur.SlotLength, cur.WorkdayStart, cur.WorkdayEnd, cur.TimeZone = in.SlotLength, in.WorkdayStart, in.WorkdayEnd, in.TimeZone
		if err := st.Schedules().Save(ctx, &cur); err != nil {
			return err
		}
		out = cur
		return nil
	})
	return out, wrap(op, err)
}
