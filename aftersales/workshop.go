package aftersales

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Workshop is a dealer's workshop calendar (stored with the dealer: its ID is the dealer's ID): the working
// hours appointments must lie in, reckoned in TimeZone; the slot length free slots are offered in; the bays (or
// lifts), each with a short code unique within the dealer ("1", "2", "3"); and how many appointments one service
// advisor may take in a day. A dealer without one stored works under DefaultWorkshop.
type Workshop struct {
	crm.Meta
	SlotLength      time.Duration // a positive whole number of minutes
	WorkdayStart    time.Duration // since local midnight
	WorkdayEnd      time.Duration // since local midnight; after WorkdayStart, at most 24h
	TimeZone        string        // an IANA zone name, e.g. Europe/Moscow
	Bays            []Bay
	AdvisorDayLimit int // appointments per advisor per local day, ≥ 1
}

// Bay is a workshop bay or lift.
type Bay struct {
	Code string // short, unique within the dealer: "1", "A2"
	Name string // "Подъёмник 1"
}

// DefaultWorkshop is the calendar of a dealer that has stored none: 09:00–20:00 Europe/Moscow, 30-minute slots,
// bays "1", "2" and "3", eight appointments per advisor a day.
func DefaultWorkshop() Workshop {
	return Workshop{SlotLength: 30 * time.Minute, WorkdayStart: 9 * time.Hour, WorkdayEnd: 20 * time.Hour,
		TimeZone: "Europe/Moscow", AdvisorDayLimit: 8,
		Bays: []Bay{{Code: "1", Name: "Пост 1"}, {Code: "2", Name: "Пост 2"}, {Code: "3", Name: "Пост 3"}}}
}

var bayCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$`)

// Location returns the workshop's time zone; invalid input names time_zone.
func (w Workshop) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(w.TimeZone)
	if w.TimeZone == "" || err != nil {
		return nil, crm.Invalid("aftersales.Workshop", crm.FieldError{Field: "time_zone", Message: "must be an IANA time zone such as Europe/Moscow"})
	}
	return loc, nil
}

// Validate returns a crm.KindInvalid error naming every wrong field: slot_length, workday_start, workday_end,
// time_zone, bays, bays[i].code, advisor_day_limit.
func (w Workshop) Validate() error {
	var p crm.Problems
	if _, err := w.Location(); err != nil {
		p.Merge("", err)
	}
	if w.SlotLength <= 0 || w.SlotLength%time.Minute != 0 {
		p.Add("slot_length", "must be a positive whole number of minutes")
	}
	if w.WorkdayStart%time.Minute != 0 || w.WorkdayStart < 0 {
		p.Add("workday_start", "must be a whole minute of the day")
	}
	if w.WorkdayEnd%time.Minute != 0 || w.WorkdayEnd > 24*time.Hour || w.WorkdayEnd <= w.WorkdayStart {
		p.Add("workday_end", "must be a whole minute after workday_start, at most 24:00")
	}
	if len(w.Bays) == 0 {
		p.Add("bays", "a workshop has at least one bay")
	}
	seen := map[string]bool{}
	for i, b := range w.Bays {
		f := fmt.Sprintf("bays[%d].code", i)
		switch {
		case !bayCode.MatchString(b.Code):
			p.Add(f, "must be 1–16 letters, digits, - or _")
		case seen[strings.ToUpper(b.Code)]:
			p.Add(f, "repeats bay %q", b.Code)
		}
		seen[strings.ToUpper(b.Code)] = true
		if len([]rune(b.Name)) > 100 {
			p.Add(fmt.Sprintf("bays[%d].name", i), "must be at most 100 characters")
		}
	}
	if w.AdvisorDayLimit < 1 || w.AdvisorDayLimit > 1000 {
		p.Add("advisor_day_limit", "must be between 1 and 1000")
	}
	return p.Err("aftersales.Workshop")
}

// HasBay reports whether code is one of the bays.
func (w Workshop) HasBay(code string) bool {
	for _, b := range w.Bays {
		if b.Code == code {
			return true
		}
	}
	return false
}

// Clone returns a deep copy.
func (w Workshop) Clone() Workshop {
	w.Bays = append([]Bay(nil), w.Bays...)
	return w
}

// Day returns the workshop's local calendar day of t as "YYYY-MM-DD" (the advisor's day limit counts per day).
func (w Workshop) Day(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }

// checkPeriod records what is wrong with an appointment in [start, end) under the calendar: times given, end
// after start, whole minutes, within one day's working hours. now is not checked here (see Appointment rules).
func (w Workshop) checkPeriod(p *crm.Problems, loc *time.Location, start, end time.Time) {
	if start.IsZero() {
		p.Add("start", "is required")
		return
	}
	if end.IsZero() {
		p.Add("end", "is required")
		return
	}
	if !end.After(start) {
		p.Add("end", "must be after start")
		return
	}
	if !start.Truncate(time.Minute).Equal(start) {
		p.Add("start", "must be on a whole minute")
	}
	if !end.Truncate(time.Minute).Equal(end) {
		p.Add("end", "must be on a whole minute")
	}
	ls := start.In(loc)
	y, m, d := ls.Date()
	wall := func(x time.Duration) time.Time {
		return time.Date(y, m, d, int(x/time.Hour), int(x%time.Hour/time.Minute), 0, 0, loc)
	}
	open, closing := wall(w.WorkdayStart), wall(w.WorkdayEnd)
	hours := fmt.Sprintf("%s–%s %s", clockText(w.WorkdayStart), clockText(w.WorkdayEnd), w.TimeZone)
	if start.Before(open) || !start.Before(closing) {
		p.Add("start", "must be within working hours %s", hours)
	} else if end.After(closing) {
		p.Add("end", "must be within working hours %s", hours)
	}
}

func clockText(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// Slot is a free period of one bay.
type Slot struct {
	Bay   string
	Start time.Time
	End   time.Time
}

// grid returns the calendar's slots within [from, to): on each local day, from opening, SlotLength apart, ending by
// closing.
func (w Workshop) grid(loc *time.Location, from, to time.Time) []Slot {
	var out []Slot
	first := from.In(loc)
	y, m, d := first.Date()
	for day := time.Date(y, m, d, 0, 0, 0, 0, loc); day.Before(to); day = day.AddDate(0, 0, 1) {
		yy, mm, dd := day.Date()
		wall := func(x time.Duration) time.Time {
			return time.Date(yy, mm, dd, int(x/time.Hour), int(x%time.Hour/time.Minute), 0, 0, loc)
		}
		closing := wall(w.WorkdayEnd)
		for t := wall(w.WorkdayStart); !t.Add(w.SlotLength).After(closing); t = t.Add(w.SlotLength) {
			if end := t.Add(w.SlotLength); !t.Before(from) && !end.After(to) {
				out = append(out, Slot{Start: t.UTC(), End: end.UTC()})
			}
		}
	}
	return out
}

// WorkshopStore keeps the workshop calendar of the context's dealer.
type WorkshopStore interface {
	// Get returns the dealer's calendar; KindNotFound when the dealer has none stored.
	Get(ctx context.Context) (Workshop, error)
	// Save stores w for the context's dealer: a first save needs Version 0 and makes it 1 (KindConflict if one is
	// stored already); a later one needs the stored version and bumps it (KindStaleVersion otherwise).
	Save(ctx context.Context, w *Workshop) error
}

// workshopIn returns the context's dealer's calendar inside a unit of work: the stored one, or DefaultWorkshop
// (Version 0) when none is stored.
func workshopIn(ctx context.Context, st Stores) (Workshop, *time.Location, error) {
	w, err := st.Workshops().Get(ctx)
	if errors.Is(err, crm.ErrNotFound) {
		return workshopOr(ctx, Workshop{}, false)
	}
	if err != nil {
		return Workshop{}, nil, err
	}
	return workshopOr(ctx, w, true)
}

// workshopOr returns w when stored (the calendar read), else the context's dealer's DefaultWorkshop (Version 0),
// with its time zone.
func workshopOr(ctx context.Context, w Workshop, stored bool) (Workshop, *time.Location, error) {
	if !stored {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return Workshop{}, nil, err
		}
		w = DefaultWorkshop()
		w.ID, w.DealerID = dealer, dealer
	}
	loc, err := w.Location()
	return w, loc, err
}

// GetWorkshop returns the context's dealer's workshop calendar: the stored one, or DefaultWorkshop with Version 0.
func (s *Service) GetWorkshop(ctx context.Context) (Workshop, error) {
	var out Workshop
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, _, err = workshopIn(ctx, st)
		return err
	})
	return out, wrap("aftersales.Service.GetWorkshop", err)
}

// SetWorkshop stores the context's dealer's workshop calendar; appointments booked from then on follow it (those
// booked stay). version is the one read (0 while none is stored); a stale one is KindStaleVersion. Invalid input
// names the fields (Workshop.Validate).
func (s *Service) SetWorkshop(ctx context.Context, version int64, in Workshop) (Workshop, error) {
	const op = "aftersales.Service.SetWorkshop"
	if err := in.Validate(); err != nil {
		return Workshop{}, wrap(op, err)
	}
	var out Workshop
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		cur, _, err := workshopIn(ctx, st)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, cur.Version, version); err != nil {
			return err
		}
		next := in.Clone()
		next.Meta = cur.Meta
		if next.Version == 0 {
			next.CreatedAt = crm.Now(ctx)
		}
		if err := st.Workshops().Save(ctx, &next); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, wrap(op, err)
}
