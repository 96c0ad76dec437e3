package leads

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// ResponsePolicy is a dealer's target for the first contact with a new lead, counted in its sales hours: the
// working days of the week and one daily window [WorkdayStart, WorkdayEnd) reckoned in TimeZone. A lead created at
// t is due for first contact at DueAt(t); it breaches the target when it is still uncontacted after that instant
// (at exactly DueAt it is in time). Its ID is the dealer's (one policy per dealer); a dealer without one stored
// uses DefaultResponsePolicy.
type ResponsePolicy struct {
	crm.Meta
	Target       time.Duration  // a positive whole number of minutes; default 15 minutes
	WorkdayStart time.Duration  // since local midnight; default 09:00
	WorkdayEnd   time.Duration  // since local midnight, after WorkdayStart, at most 24h; default 21:00
	Weekdays     []time.Weekday // the working days; default every day
	TimeZone     string         // an IANA zone name; default Europe/Moscow
}

// DefaultResponsePolicy is 15 minutes in the showroom's default hours: 09:00–21:00 Moscow time, every day (the
// test-drive schedule's defaults).
func DefaultResponsePolicy() ResponsePolicy {
	return ResponsePolicy{Target: 15 * time.Minute, WorkdayStart: 9 * time.Hour, WorkdayEnd: 21 * time.Hour,
		Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday},
		TimeZone: "Europe/Moscow"}
}

// MaxResponseTarget is the longest target: a working week of full days.
const MaxResponseTarget = 7 * 24 * time.Hour

// Validate names every wrong field in one crm.KindInvalid error: target_minutes, workday_start, workday_end,
// weekdays, time_zone.
func (p ResponsePolicy) Validate() error {
	var pr crm.Problems
	if p.Target <= 0 || p.Target%time.Minute != 0 || p.Target > MaxResponseTarget {
		pr.Add("target_minutes", "must be a whole number of minutes between 1 and %d", int(MaxResponseTarget/time.Minute))
	}
	if p.WorkdayStart < 0 || p.WorkdayStart%time.Minute != 0 || p.WorkdayStart >= 24*time.Hour {
		pr.Add("workday_start", "must be a whole minute between 00:00 and 23:59")
	}
	if p.WorkdayEnd <= p.WorkdayStart || p.WorkdayEnd%time.Minute != 0 || p.WorkdayEnd > 24*time.Hour {
		pr.Add("workday_end", "must be a whole minute after workday_start, at most 24:00")
	}
	if len(p.Weekdays) == 0 {
		pr.Add("weekdays", "name at least one working day")
	}
	for i, d := range p.Weekdays {
		if d < time.Sunday || d > time.Saturday || slices.Index(p.Weekdays, d) != i {
			pr.Add(fmt.Sprintf("weekdays[%d]", i), "must be a day of the week, each once")
		}
	}
	if _, err := time.LoadLocation(p.TimeZone); p.TimeZone == "" || err != nil {
		pr.Add("time_zone", "must be an IANA time zone such as Europe/Moscow")
	}
	return pr.Err("leads.ResponsePolicy")
}

func (p ResponsePolicy) location() *time.Location {
	if loc, err := time.LoadLocation(p.TimeZone); err == nil && p.TimeZone != "" {
		return loc
	}
	return moscow
}

// window returns the working window of the local day that contains t (ok false on a day off).
func (p ResponsePolicy) window(t time.Time, loc *time.Location) (start, end time.Time, ok bool) {
	y, m, d := t.In(loc).Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
	at := func(off time.Duration) time.Time {
		return time.Date(y, m, d, int(off/time.Hour), int(off%time.Hour/time.Minute), 0, 0, loc)
	}
	return at(p.WorkdayStart), at(p.WorkdayEnd), slices.Contains(p.Weekdays, midnight.Weekday())
}

// nextDay is local midnight of the day after t's.
func nextDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// DueAt returns when the target has elapsed in working time from t: AddWorking(t, Target).
func (p ResponsePolicy) DueAt(t time.Time) time.Time { return p.AddWorking(t, p.Target) }

// AddWorking returns the instant d of working time after t: t itself counts only from the next opening when it
// falls outside the working hours (an evening lead is due 15 working minutes into the next working morning; with
// the showroom closing at 20:00, 15 minutes from 19:55 end 10 minutes after the next opening), and an amount that
// ends exactly at closing ends there. It is the one working-time calculation: the response target (DueAt) and
// the playbook steps' due times use it. The result is in UTC.
func (p ResponsePolicy) AddWorking(t time.Time, d time.Duration) time.Time {
	loc := p.location()
	left, cur := d, t
	for range 100_000 { // a year of working minutes, at least a working minute a week
		start, end, ok := p.window(cur, loc)
		if ok && cur.Before(end) {
			if cur.Before(start) {
				cur = start
			}
			if avail := end.Sub(cur); left <= avail {
				return cur.Add(left).UTC()
			} else {
				left -= avail
			}
		}
		cur = nextDay(cur, loc)
	}
	return cur.UTC()
}

// WorkingTime returns how much of [from, to) lies in the working hours.
func (p ResponsePolicy) WorkingTime(from, to time.Time) time.Duration {
	loc := p.location()
	var sum time.Duration
	for cur, n := from, 0; cur.Before(to) && n < 4000; n++ {
		start, end, ok := p.window(cur, loc)
		if ok {
			a, b := maxTime(cur, start), minTime(to, end)
			if a.Before(b) {
				sum += b.Sub(a)
			}
		}
		cur = nextDay(cur, loc)
	}
	return sum
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// ResponsePolicyStore keeps the response policy of the context's dealer.
type ResponsePolicyStore interface {
	// Get returns the dealer's policy; KindNotFound when the dealer has none stored.
	Get(ctx context.Context) (ResponsePolicy, error)
	// Save stores p for the context's dealer: a first save needs Version 0 and makes it 1 (KindConflict if one is
	// stored already); a later one needs the stored version and bumps it (KindStaleVersion otherwise).
	Save(ctx context.Context, p *ResponsePolicy) error
}
