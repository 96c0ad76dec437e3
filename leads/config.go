package leads

import (
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Config is the test-drive schedule of a Service. Zero fields take their defaults.
//
// A drive lasts a positive multiple of SlotLength, starts on a whole minute, and lies wholly within one day's
// working hours [WorkdayStart, WorkdayEnd) reckoned in Location (the dealer's time zone); every day of the week is
// a working day. "Right now" bookings start at the current time rounded up to the next whole minute.
type Config struct {
	SlotLength   time.Duration  // default 30 minutes
	HoldGrace    time.Duration  // how long after its end a drive not yet closed keeps the car; default 30 minutes
	WorkdayStart time.Duration  // since local midnight; default 9h (09:00)
	WorkdayEnd   time.Duration  // since local midnight; default 21h (21:00)
	Location     *time.Location // default Europe/Moscow (UTC+3 when the zone database is missing)
	// BookingHorizon is how far ahead a drive may start: a booking (or a free-slot search) beyond now plus the
	// horizon is refused with a 422 naming start, so no request can reserve a car for decades; default
	// DefaultBookingHorizon.
	BookingHorizon time.Duration
}

// DefaultBookingHorizon is the default Config.BookingHorizon: 180 days.
const DefaultBookingHorizon = 180 * 24 * time.Hour

// DefaultConfig returns the defaults: 30-minute slots, 09:00–21:00, Europe/Moscow, a 30-minute hold grace.
func DefaultConfig() Config { return Config{}.withDefaults() }

var moscow = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Moscow"); err == nil {
		return l
	}
	return time.FixedZone("MSK", 3*3600)
}()

func (c Config) withDefaults() Config {
	if c.SlotLength == 0 {
		c.SlotLength = 30 * time.Minute
	}
	if c.WorkdayStart == 0 && c.WorkdayEnd == 0 {
		c.WorkdayStart, c.WorkdayEnd = 9*time.Hour, 21*time.Hour
	}
	if c.Location == nil {
		c.Location = moscow
	}
	if c.HoldGrace == 0 {
		c.HoldGrace = 30 * time.Minute
	}
	if c.BookingHorizon == 0 {
		c.BookingHorizon = DefaultBookingHorizon
	}
	return c
}

// Validate reports a configuration that cannot schedule anything: a slot that is not a positive whole number of
// minutes, or working hours outside 00:00–24:00 or empty.
func (c Config) Validate() error {
	c = c.withDefaults()
	var p crm.Problems
	if c.SlotLength <= 0 || c.SlotLength%time.Minute != 0 {
		p.Add("slot_length", "must be a positive whole number of minutes")
	}
	if c.HoldGrace < 0 {
		p.Add("hold_grace", "must not be negative")
	}
	if c.BookingHorizon < 0 {
		p.Add("booking_horizon", "must not be negative")
	}
	if c.WorkdayStart < 0 || c.WorkdayEnd > 24*time.Hour || c.WorkdayStart >= c.WorkdayEnd {
		p.Add("workday_end", "working hours must satisfy 0 ≤ start < end ≤ 24h")
	}
	return p.Err("leads.Config")
}

// StartNow returns the start of a "right now" booking: now rounded up to the next whole minute.
func StartNow(now time.Time) time.Time {
	t := now.UTC().Truncate(time.Minute)
	if t.Before(now) {
		t = t.Add(time.Minute)
	}
	return t
}

// checkSlot records what is wrong with the slot [start, end) under c at now.
func (c Config) checkSlot(p *crm.Problems, start, end time.Time, now time.Time) {
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
	if start.Before(now) {
		p.Add("start", "is in the past")
	}
	if start.After(now.Add(c.BookingHorizon)) {
		p.Add("start", "must be within %s from now", horizonText(c.BookingHorizon))
	}
	if !start.Truncate(time.Minute).Equal(start) {
		p.Add("start", "must be on a whole minute")
	}
	if d := end.Sub(start); d%c.SlotLength != 0 {
		p.Add("end", "the drive must last a multiple of %s", c.SlotLength)
	}
	ls, le := start.In(c.Location), end.In(c.Location)
	// Opening and closing are wall-clock times of the start's local day: on a day when the clocks change,
	// midnight plus a duration would be an hour off.
	y, m, day := ls.Date()
	wall := func(d time.Duration) time.Time {
		return time.Date(y, m, day, int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second), 0, c.Location)
	}
	open, closing := wall(c.WorkdayStart), wall(c.WorkdayEnd)
	if ls.Before(open) || !ls.Before(closing) {
		p.Add("start", "must be within working hours %s–%s", clock(c.WorkdayStart), clock(c.WorkdayEnd))
	} else if le.After(closing) {
		p.Add("end", "must be within working hours %s–%s", clock(c.WorkdayStart), clock(c.WorkdayEnd))
	}
}

// horizonText writes a horizon in days ("180 days") or, below a day, as a duration.
func horizonText(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
