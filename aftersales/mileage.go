package aftersales

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// MaxOdometer is the highest mileage (km) a reading may give.
const MaxOdometer = 2_000_000

// MileageReading is one odometer reading of a customer vehicle: the kilometres shown at a moment, who or what
// took it (by hand, at a service visit), and, for a reading lower than the one before it, why (a replaced
// instrument cluster, a typing error): a correction.
type MileageReading struct {
	crm.Meta
	CustomerVehicleID crm.ID
	KM                int
	At                time.Time
	Source            ReadingSource
	CorrectionReason  string // non-empty: the reading corrects the ones before it
}

// ReadingSource says how a mileage reading was taken.
type ReadingSource string

// Reading sources.
const (
	ReadingManual       ReadingSource = "manual"        // typed in by hand
	ReadingServiceVisit ReadingSource = "service_visit" // read at a service visit
)

// ReadingSources returns every reading source.
func ReadingSources() []ReadingSource { return []ReadingSource{ReadingManual, ReadingServiceVisit} }

// Correction reports whether the reading is a correction.
func (r MileageReading) Correction() bool { return r.CorrectionReason != "" }

// RecordMileage applies reading r (taken at r.At, or now when zero) to the car: it becomes the car's odometer.
// Readings go forward: a reading below the last one, or taken before it, is refused with ErrMileageBelowLast
// unless it carries a correction reason (then it replaces the odometer whatever it was). It returns a
// crm.KindInvalid error naming "km" (negative or above MaxOdometer) or "at" (in the future). On success r is
// completed (car, time, source) and ready to store.
func (cv *CustomerVehicle) RecordMileage(r *MileageReading, now time.Time) error {
	const op = "aftersales.CustomerVehicle.RecordMileage"
	r.CorrectionReason = strings.TrimSpace(r.CorrectionReason)
	if r.At.IsZero() {
		r.At = now
	}
	r.At = r.At.UTC()
	if r.Source == "" {
		r.Source = ReadingManual
	}
	var p crm.Problems
	if r.KM < 0 {
		p.Add("km", "must not be negative")
	} else if r.KM > MaxOdometer {
		p.Add("km", "must be at most %d", MaxOdometer)
	}
	if r.At.After(now.Add(time.Minute)) {
		p.Add("at", "must not be in the future")
	}
	if len([]rune(r.CorrectionReason)) > 500 {
		p.Add("correction_reason", "must be at most 500 characters")
	}
	if err := p.Err(op); err != nil {
		return err
	}
	if !r.Correction() {
		if r.KM < cv.Odometer {
			return fmt.Errorf("%d km is below the last reading of %d km (%s); give a correction_reason to correct it: %w",
				r.KM, cv.Odometer, cv.OdometerAt.Format("2006-01-02"), ErrMileageBelowLast)
		}
		if !cv.OdometerAt.IsZero() && r.At.Before(cv.OdometerAt) {
			return fmt.Errorf("the reading is dated %s, before the last reading of %s; give a correction_reason to correct it: %w",
				r.At.Format(time.RFC3339), cv.OdometerAt.Format(time.RFC3339), ErrMileageBelowLast)
		}
	}
	r.CustomerVehicleID = cv.ID
	r.Meta = crm.NewMeta(cv.DealerID, now)
	cv.Odometer, cv.OdometerAt = r.KM, r.At
	return nil
}
