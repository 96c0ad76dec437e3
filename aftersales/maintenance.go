package aftersales

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// MaintenanceInterval is how often scheduled maintenance (плановое ТО) is due: every EveryKM kilometres or every
// EveryMonths months, whichever comes first. A zero limit is not used; at least one is positive.
type MaintenanceInterval struct {
	EveryKM     int `json:"every_km"`
	EveryMonths int `json:"every_months"`
}

// IsZero reports an interval with no limit (no plan).
func (i MaintenanceInterval) IsZero() bool { return i.EveryKM <= 0 && i.EveryMonths <= 0 }

// Validate records in p (field names prefixed with prefix) what is wrong with the interval: negative limits, or
// none at all.
func (i MaintenanceInterval) Validate(p *crm.Problems, prefix string) {
	if i.EveryKM < 0 || i.EveryKM > MaxOdometer {
		p.Add(prefix+"every_km", "must be between 0 and %d", MaxOdometer)
	}
	if i.EveryMonths < 0 || i.EveryMonths > 240 {
		p.Add(prefix+"every_months", "must be between 0 and 240")
	}
	if i.EveryKM == 0 && i.EveryMonths == 0 {
		p.Add(prefix+"every_km", "every_km or every_months must be positive")
	}
}

// Odometer is one known mileage of a car: km at a moment.
type Odometer struct {
	At time.Time
	KM int
}

// MaintenanceBasis is what the next visit is reckoned from: the start of the current interval — the last
// completed maintenance visit, or, before one, the day the car entered service (its sale) — with the odometer
// then, and the car's mileage readings (any order; those before Start are ignored).
type MaintenanceBasis struct {
	Start    Odometer
	Readings []Odometer
}

// MaintenanceDue is the answer for one car on one day.
type MaintenanceDue struct {
	// DueDate is the civil date (midnight UTC of the date) by which the next visit is due: the earlier of
	// DateByTime (Start + EveryMonths) and DateByKM (when DueKM is expected to be reached at KMPerDay, or the day
	// of the reading that reached it). Zero when neither is known (a km-only plan without readings).
	DueDate    time.Time
	DateByTime time.Time
	DateByKM   time.Time
	// DueKM is Start.KM + EveryKM; 0 for a plan without a km limit.
	DueKM int
	// LastKM is the last known odometer (the latest reading, or Start.KM).
	LastKM int
	// KMPerDay is the estimated daily mileage from Start and the readings since; without a reading a whole day
	// after Start (just after a visit), from all the car's readings; 0 when neither can tell.
	KMPerDay float64
	// Due: the visit is due today or earlier, or the km limit is reached. Overdue: a limit is passed — the due
	// date is before today, or the odometer is beyond DueKM. On the due day itself, and at exactly DueKM, the
	// visit is due but not overdue.
	Due     bool
	Overdue bool
	// Reason says which limit decides, in words.
	Reason string
}

// civil returns the date of t in loc as midnight UTC of that date.
func civil(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// NextMaintenance computes when the next scheduled maintenance of a car is due under interval i, reckoned from b,
// as seen on the date of now in loc (the dealer's time zone; nil: UTC). Dates are civil dates; the km estimate
// is linear over the readings since Start. It is a pure function: the boundary rules are documented on
// MaintenanceDue.
func NextMaintenance(i MaintenanceInterval, b MaintenanceBasis, now time.Time, loc *time.Location) MaintenanceDue {
	if loc == nil {
		loc = time.UTC
	}
	today := civil(now, loc)
	start := civil(b.Start.At, loc)
	var out MaintenanceDue
	// The readings since Start, by time; the last known odometer.
	points := []Odometer{{At: start, KM: b.Start.KM}}
	for _, r := range b.Readings {
		if d := civil(r.At, loc); !d.Before(start) {
			points = append(points, Odometer{At: d, KM: r.KM})
		}
	}
	sort.SliceStable(points, func(x, y int) bool { return points[x].At.Before(points[y].At) })
	last := points[len(points)-1]
	out.LastKM = last.KM
	if days := last.At.Sub(start).Hours() / 24; days >= 1 && last.KM > b.Start.KM {
		out.KMPerDay = float64(last.KM-b.Start.KM) / days
	} else {
		out.KMPerDay = historyKMPerDay(b, loc) // no reading a day after the last visit yet: the car's own history
	}
	if i.EveryMonths > 0 {
		out.DateByTime = start.AddDate(0, i.EveryMonths, 0)
	}
	reachedKM := false
	if i.EveryKM > 0 {
		out.DueKM = b.Start.KM + i.EveryKM
		for _, p := range points { // the first reading at or beyond the limit dates it
			if p.KM >= out.DueKM {
				out.DateByKM, reachedKM = p.At, true
				break
			}
		}
		if !reachedKM && out.KMPerDay > 0 {
			days := math.Ceil(float64(out.DueKM-last.KM) / out.KMPerDay)
			out.DateByKM = last.At.AddDate(0, 0, int(days))
		}
	}
	out.DueDate = out.DateByTime
	if !out.DateByKM.IsZero() && (out.DueDate.IsZero() || out.DateByKM.Before(out.DueDate)) {
		out.DueDate = out.DateByKM
	}
	overKM := out.DueKM > 0 && last.KM > out.DueKM
	lateByDate := !out.DueDate.IsZero() && today.After(out.DueDate)
	out.Due = reachedKM || (!out.DueDate.IsZero() && !today.Before(out.DueDate))
	out.Overdue = overKM || lateByDate
	out.Reason = reason(i, out, today, reachedKM, overKM)
	return out
}

// historyKMPerDay is the car's daily mileage over all its readings and the interval's start (the earliest to the
// latest, at least a day apart, with the odometer grown); 0 when they cannot tell. It stands in for the estimate
// since the last visit until the car has a reading a day after it.
func historyKMPerDay(b MaintenanceBasis, loc *time.Location) float64 {
	first := Odometer{At: civil(b.Start.At, loc), KM: b.Start.KM}
	last := first
	for _, r := range b.Readings {
		p := Odometer{At: civil(r.At, loc), KM: r.KM}
		if p.At.Before(first.At) {
			first = p
		}
		if p.At.After(last.At) || (p.At.Equal(last.At) && p.KM > last.KM) {
			last = p
		}
	}
	if days := last.At.Sub(first.At).Hours() / 24; days >= 1 && last.KM > first.KM {
		return float64(last.KM-first.KM) / days
	}
	return 0
}

func reason(i MaintenanceInterval, d MaintenanceDue, today time.Time, reachedKM, overKM bool) string {
	date := func(t time.Time) string { return t.Format("2006-01-02") }
	timePassed := !d.DateByTime.IsZero() && today.After(d.DateByTime)
	switch {
	case overKM && timePassed:
		return fmt.Sprintf("both limits passed: %d km > %d km and %s is after %s", d.LastKM, d.DueKM, date(today), date(d.DateByTime))
	case overKM:
		return fmt.Sprintf("the km limit is passed: %d km > %d km", d.LastKM, d.DueKM)
	case timePassed:
		return fmt.Sprintf("the time limit is passed: due %s (every %d months)", date(d.DateByTime), i.EveryMonths)
	case reachedKM:
		return fmt.Sprintf("the km limit is reached: %d km (every %d km)", d.DueKM, i.EveryKM)
	case !d.DateByKM.IsZero() && today.After(d.DateByKM):
		return fmt.Sprintf("the km limit is expected passed: %d km by %s at %.1f km/day", d.DueKM, date(d.DateByKM), d.KMPerDay)
	case d.Due:
		return "due today, " + date(d.DueDate)
	case d.DueDate.IsZero():
		return fmt.Sprintf("due at %d km (no readings to estimate the date)", d.DueKM)
	case !d.DateByKM.IsZero() && d.DueDate.Equal(d.DateByKM) && !d.DateByKM.Equal(d.DateByTime):
		return fmt.Sprintf("%d km expected by %s at %.1f km/day", d.DueKM, date(d.DateByKM), d.KMPerDay)
	default:
		return fmt.Sprintf("due by %s (every %d months)", date(d.DueDate), i.EveryMonths)
	}
}
