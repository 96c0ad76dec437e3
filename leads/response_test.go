package leads_test

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
)

// Mon 2026-11-30 is a Monday. A weekday policy 09:00–18:00 Moscow time (UTC+3), 15 minutes.
func weekdays() leads.ResponsePolicy {
	return leads.ResponsePolicy{Target: 15 * time.Minute, WorkdayStart: 9 * time.Hour, WorkdayEnd: 18 * time.Hour,
		Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, TimeZone: "Europe/Moscow"}
}

func mskDay(day, h, m int) time.Time {
	loc, _ := time.LoadLocation("Europe/Moscow")
	return time.Date(2026, 11, 30+day, h, m, 0, 0, loc).UTC()
}

func TestResponseDueAtCountsWorkingHours(t *testing.T) {
	p := weekdays()
	for _, c := range []struct {
		name    string
		created time.Time
		due     time.Time
	}{
		{"in working hours", mskDay(0, 10, 0), mskDay(0, 10, 15)},
		{"before opening: 15 minutes from 09:00", mskDay(0, 7, 30), mskDay(0, 9, 15)},
		{"the target ends exactly at closing", mskDay(0, 17, 45), mskDay(0, 18, 0)},
		{"in the evening: the next morning", mskDay(0, 17, 50), mskDay(1, 9, 5)},
		{"after closing", mskDay(0, 21, 0), mskDay(1, 9, 15)},
		{"Friday evening: Monday morning", mskDay(4, 17, 55), mskDay(7, 9, 10)},
		{"Saturday: Monday morning", mskDay(5, 12, 0), mskDay(7, 9, 15)},
		{"Sunday night just before midnight", mskDay(6, 23, 59), mskDay(7, 9, 15)},
	} {
		t.Run(c.name, func(t *testing.T) {
			due := p.DueAt(c.created)
			assert.Equal(t, c.due, due)
			assert.Equal(t, 15*time.Minute, p.WorkingTime(c.created, due), "the target in working time, exactly")
			assert.Equal(t, time.UTC, due.Location())
		})
	}
	// Another time zone: the same instant is evening in Vladivostok (UTC+10) and the lead waits for its morning.
	vl := p
	vl.TimeZone = "Asia/Vladivostok"
	created := mskDay(0, 10, 0) // 17:00 in Vladivostok
	assert.Equal(t, time.Date(2026, 11, 30, 17, 15, 0, 0, time.FixedZone("VLAT", 10*3600)).UTC(), vl.DueAt(created))
	created = mskDay(0, 11, 0) // 18:00 in Vladivostok: closed
	assert.Equal(t, time.Date(2026, 12, 1, 9, 15, 0, 0, time.FixedZone("VLAT", 10*3600)).UTC(), vl.DueAt(created))
}

func TestResponseWorkingTime(t *testing.T) {
	p := weekdays()
	assert.Equal(t, 20*time.Minute, p.WorkingTime(mskDay(4, 17, 50), mskDay(7, 9, 10)), "Friday 10 minutes, Monday 10")
	assert.Zero(t, p.WorkingTime(mskDay(5, 9, 0), mskDay(6, 18, 0)), "a weekend")
	assert.Equal(t, 9*time.Hour, p.WorkingTime(mskDay(0, 0, 0), mskDay(1, 0, 0)))
}

func TestResponsePolicyValidate(t *testing.T) {
	assert.NoError(t, leads.DefaultResponsePolicy().Validate())
	bad := leads.ResponsePolicy{Target: 90 * time.Second, WorkdayStart: 10 * time.Hour, WorkdayEnd: 9 * time.Hour,
		Weekdays: []time.Weekday{time.Monday, time.Monday}, TimeZone: "Mars/Olympus"}
	err := bad.Validate()
	var fields []string
	for _, f := range crm.FieldsOf(err) {
		fields = append(fields, f.Field)
	}
	assert.ElementsMatch(t, []string{"target_minutes", "workday_end", "weekdays[1]", "time_zone"}, fields)
}

// AddWorking is the one working-time calculation (the response target and the playbook steps' due times): with the
// showroom open 09:00–20:00 every day, 15 minutes from 19:55 end 10 minutes after the next opening.
func TestAddWorkingCountsOnlyWorkingHours(t *testing.T) {
	p := leads.DefaultResponsePolicy()
	p.WorkdayEnd = 20 * time.Hour
	for _, c := range []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"five minutes before closing", mskDay(0, 19, 55), 15 * time.Minute, mskDay(1, 9, 10)},
		{"ends exactly at closing", mskDay(0, 19, 45), 15 * time.Minute, mskDay(0, 20, 0)},
		{"at closing: from the next opening", mskDay(0, 20, 0), 15 * time.Minute, mskDay(1, 9, 15)},
		{"at opening", mskDay(0, 9, 0), 15 * time.Minute, mskDay(0, 9, 15)},
		{"before opening", mskDay(0, 8, 59), time.Hour, mskDay(0, 10, 0)},
		{"a working day of 11 hours from noon", mskDay(0, 12, 0), 11 * time.Hour, mskDay(1, 12, 0)},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := p.AddWorking(c.from, c.d)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.d, p.WorkingTime(c.from, got))
		})
	}
	assert.Equal(t, p.AddWorking(mskDay(0, 19, 55), p.Target), p.DueAt(mskDay(0, 19, 55)), "DueAt is AddWorking of the target")
}
