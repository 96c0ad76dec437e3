package aftersales

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// WarrantyKind says who gives a warranty.
type WarrantyKind string

// The warranty kinds.
const (
	WarrantyManufacturer WarrantyKind = "manufacturer" // the maker's, on a new car (created at the sale)
	WarrantyExtended     WarrantyKind = "extended"     // bought on top of the maker's
	WarrantyDealer       WarrantyKind = "dealer"       // the dealer's own (a used car, a repair)
)

// WarrantyKinds returns every kind.
func WarrantyKinds() []WarrantyKind {
	return []WarrantyKind{WarrantyManufacturer, WarrantyExtended, WarrantyDealer}
}

// WarrantyStatus is where a warranty stands on a day: active, expired (its period is over) or void (cancelled, with
// a reason).
type WarrantyStatus string

// The warranty statuses.
const (
	WarrantyActive  WarrantyStatus = "active"
	WarrantyExpired WarrantyStatus = "expired"
	WarrantyVoid    WarrantyStatus = "void"
)

// WarrantyStatuses returns every status.
func WarrantyStatuses() []WarrantyStatus {
	return []WarrantyStatus{WarrantyActive, WarrantyExpired, WarrantyVoid}
}

// Warranty is a warranty contract of a customer vehicle. It covers repairs of the listed systems from Start (a
// date, inclusive) to End (a date, exclusive: the first day not covered) while the odometer is below KmLimit (0:
// no mileage limit) — periods are half-open, like every period here. A void warranty covers nothing.
type Warranty struct {
	crm.Meta
	CustomerVehicleID crm.ID
	Kind              WarrantyKind
	Start, End        time.Time // civil dates: midnight UTC
	KmLimit           int
	Systems           []string // covered systems: "engine", "transmission", ...
	Provider          string   // who gives it: the maker, an insurer, the dealer
	TermsID           crm.ID   // the catalog.WarrantyTerms it was made from (manufacturer warranties)
	Notes             string
	Void              bool
	VoidReason        string
	VoidedAt          time.Time
}

// Date returns the civil date of t (its year, month and day) as midnight UTC.
func Date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// NewWarranty validates w and returns it as a new record of dealer created at now: the car, a known kind, a start
// and an end after it (dates; times of day are dropped), a non-negative mileage limit and at least one covered
// system. It returns a crm.KindInvalid error naming every wrong field: customer_vehicle_id, kind, start, end,
// km_limit, systems, systems[i].
func NewWarranty(dealer crm.ID, w Warranty, now time.Time) (Warranty, error) {
	var p crm.Problems
	if w.CustomerVehicleID == (crm.ID{}) {
		p.Add("customer_vehicle_id", "is required")
	}
	if !slices.Contains(WarrantyKinds(), w.Kind) {
		p.Add("kind", "must be one of manufacturer, extended, dealer")
	}
	if w.Start.IsZero() {
		p.Add("start", "is required")
	}
	if w.End.IsZero() {
		p.Add("end", "is required")
	} else if !w.Start.IsZero() && !Date(w.End).After(Date(w.Start)) {
		p.Add("end", "must be after start")
	}
	if w.KmLimit < 0 || w.KmLimit > MaxOdometer {
		p.Add("km_limit", "must be between 0 (no limit) and %d", MaxOdometer)
	}
	if len(w.Systems) == 0 {
		p.Add("systems", "name at least one covered system")
	}
	var systems []string
	for i, s := range w.Systems {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			p.Add(fmt.Sprintf("systems[%d]", i), "must not be blank")
		case len([]rune(s)) > 100:
			p.Add(fmt.Sprintf("systems[%d]", i), "must be at most 100 characters")
		case !slices.ContainsFunc(systems, func(x string) bool { return strings.EqualFold(x, s) }):
			systems = append(systems, s)
		}
	}
	if err := p.Err("aftersales.NewWarranty"); err != nil {
		return Warranty{}, err
	}
	w.Meta = crm.NewMeta(dealer, now)
	w.Start, w.End, w.Systems = Date(w.Start), Date(w.End), systems
	w.Provider, w.Notes = strings.TrimSpace(w.Provider), strings.TrimSpace(w.Notes)
	w.Void, w.VoidReason, w.VoidedAt = false, "", time.Time{}
	return w, nil
}

// Clone returns a deep copy.
func (w Warranty) Clone() Warranty {
	w.Systems = slices.Clone(w.Systems)
	return w
}

// StatusOn returns the warranty's status on the civil date of day: void, expired from End on, active otherwise
// (also before Start: it is in force, not yet begun).
func (w Warranty) StatusOn(day time.Time) WarrantyStatus {
	switch {
	case w.Void:
		return WarrantyVoid
	case !Date(day).Before(w.End):
		return WarrantyExpired
	}
	return WarrantyActive
}

// CoversSystem reports whether system is one of the covered systems (compared without case).
func (w Warranty) CoversSystem(system string) bool {
	return slices.ContainsFunc(w.Systems, func(s string) bool { return strings.EqualFold(s, strings.TrimSpace(system)) })
}

// Covers answers whether the warranty covers a repair of system on day at km: it returns "" when it does, and
// otherwise the reason it does not (void, not yet begun, ended, over the mileage limit, system not covered).
func (w Warranty) Covers(system string, day time.Time, km int) string {
	d := Date(day)
	switch {
	case w.Void:
		return fmt.Sprintf("the %s warranty is void: %s", w.Kind, w.VoidReason)
	case !w.CoversSystem(system):
		return fmt.Sprintf("the %s warranty does not cover %q (it covers %s)", w.Kind, system, strings.Join(w.Systems, ", "))
	case d.Before(w.Start):
		return fmt.Sprintf("the %s warranty starts on %s", w.Kind, w.Start.Format(time.DateOnly))
	case !d.Before(w.End):
		return fmt.Sprintf("the %s warranty ended on %s (covered up to %s)", w.Kind, w.End.Format(time.DateOnly),
			w.End.AddDate(0, 0, -1).Format(time.DateOnly))
	case w.KmLimit > 0 && km >= w.KmLimit:
		return fmt.Sprintf("the %s warranty ends at %d km and the car has %d km", w.Kind, w.KmLimit, km)
	}
	return ""
}

// MakeVoid voids the warranty at now with reason (required). It returns ErrWarrantyStatus for a warranty
// already void, a crm.KindInvalid error naming "reason" without one.
func (w *Warranty) MakeVoid(reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return crm.Invalid("aftersales.Warranty.MakeVoid", crm.FieldError{Field: "reason", Message: "is required"})
	}
	if w.Void {
		return fmt.Errorf("the warranty is already void: %w", ErrWarrantyStatus)
	}
	w.Void, w.VoidReason, w.VoidedAt = true, reason, now.UTC()
	return nil
}

// Coverage is the answer to "is this repair covered".
type Coverage struct {
	Covered    bool
	WarrantyID crm.ID // the warranty that covers it; zero when none does
	Reason     string // why not, when not covered; which warranty, when covered
}

// CoverageOf answers whether any of a car's warranties covers a repair of system on day at km. When several do,
// the first in the order given covers it (manufacturer first is how the service lists them). When none does, the
// reason names why each warranty listing the system does not — or that none lists it, or that the car has none.
func CoverageOf(ws []Warranty, system string, day time.Time, km int) Coverage {
	if len(ws) == 0 {
		return Coverage{Reason: "the car has no warranty"}
	}
	var reasons []string
	for _, w := range ws {
		if why := w.Covers(system, day, km); why == "" {
			return Coverage{Covered: true, WarrantyID: w.ID, Reason: fmt.Sprintf("covered by the %s warranty until %s",
				w.Kind, w.End.AddDate(0, 0, -1).Format(time.DateOnly))}
		} else if w.CoversSystem(system) {
			reasons = append(reasons, why)
		}
	}
	if len(reasons) == 0 {
		return Coverage{Reason: fmt.Sprintf("no warranty of the car covers %q", system)}
	}
	return Coverage{Reason: strings.Join(reasons, "; ")}
}
