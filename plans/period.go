package plans

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Period is the length of a plan: a calendar month, quarter or year.
type Period string

// The periods.
const (
	Month   Period = "month"
	Quarter Period = "quarter"
	Year    Period = "year"
)

// Valid reports whether p is a known period.
func (p Period) Valid() bool { return p == Month || p == Quarter || p == Year }

// months is the number of calendar months in p.
func (p Period) months() int {
	switch p {
	case Quarter:
		return 3
	case Year:
		return 12
	}
	return 1
}

// End returns the first day after the period of length p that starts at start (the period is [start, end)).
func (p Period) End(start time.Time) time.Time { return start.AddDate(0, p.months(), 0) }

// checkStart records under "start" why start cannot begin a period of p: it must be midnight UTC on the first day
// of a month (a month), of January, April, July or October (a quarter), or of January (a year).
func (p Period) checkStart(pr *crm.Problems, start time.Time) {
	if start.IsZero() {
		pr.Add("start", "is required")
		return
	}
	s := start.UTC()
	if s.Day() != 1 || s.Hour() != 0 || s.Minute() != 0 || s.Second() != 0 || s.Nanosecond() != 0 {
		pr.Add("start", "must be the first day of a month")
		return
	}
	switch {
	case p == Quarter && (s.Month()-1)%3 != 0:
		pr.Add("start", "must be the first day of a quarter (January, April, July or October)")
	case p == Year && s.Month() != time.January:
		pr.Add("start", "must be the first of January")
	}
}

// Periods returns every period, shortest first.
func Periods() []Period { return []Period{Month, Quarter, Year} }
