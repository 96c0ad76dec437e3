package aftersales

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// AppointmentStatus is where a service appointment stands: booked → arrived → in_work → done, or no_show (from
// booked) or cancelled (before done).
type AppointmentStatus string

// The appointment statuses.
const (
	AppointmentBooked    AppointmentStatus = "booked"
	AppointmentArrived   AppointmentStatus = "arrived"
	AppointmentInWork    AppointmentStatus = "in_work"
	AppointmentDone      AppointmentStatus = "done"
	AppointmentNoShow    AppointmentStatus = "no_show"
	AppointmentCancelled AppointmentStatus = "cancelled"
)

// AppointmentStatuses returns every status in lifecycle order.
func AppointmentStatuses() []AppointmentStatus {
	return []AppointmentStatus{AppointmentBooked, AppointmentArrived, AppointmentInWork, AppointmentDone,
		AppointmentNoShow, AppointmentCancelled}
}

// Valid reports whether s is one of AppointmentStatuses.
func (s AppointmentStatus) Valid() bool {
	for _, x := range AppointmentStatuses() {
		if x == s {
			return true
		}
	}
	return false
}

// Active reports whether an appointment of this status holds its bay and counts towards its advisor's day.
func (s AppointmentStatus) Active() bool {
	return s == AppointmentBooked || s == AppointmentArrived || s == AppointmentInWork || s == AppointmentDone
}

// HoldsBay reports whether an appointment of this status keeps its bay from other bookings.
func (s AppointmentStatus) HoldsBay() bool {
	return s == AppointmentBooked || s == AppointmentArrived || s == AppointmentInWork || s == AppointmentDone
}

// Appointment is a service appointment (запись на сервис) of a customer vehicle: when, in which bay, with which
// service advisor, the works requested (labour and parts from the catalog, priced), and where it stands.
type Appointment struct {
	crm.Meta
	CustomerVehicleID crm.ID
	CustomerID        crm.ID // the car's owner when booked
	Bay               string // the bay's code
	AdvisorID         crm.ID // a user of the dealer; zero when none is assigned
	Start, End        time.Time
	Status            AppointmentStatus
	Works             []Work
	// Maintenance marks a scheduled maintenance visit: when done, the car's maintenance clock restarts.
	Maintenance bool
	// WarrantySystem, when set, marks the job as warranty work on that system; booking it is refused when no
	// warranty of the car covers it (ErrNotCovered). WarrantyID is the warranty that covers it.
	WarrantySystem string
	WarrantyID     crm.ID
	Notes          string
	// The odometer read when the car arrived or the work was done (0: not read).
	KM            int
	CancelReason  string
	PartsReserved bool // the part works' quantities are reserved in stock (from start until done or cancel)
	ArrivedAt     time.Time
	StartedAt     time.Time
	ClosedAt      time.Time // done, no-show or cancelled
}

// Work is one requested work of an appointment: a catalog labour operation or spare part, with its price at
// booking and, for labour, the expected hours.
type Work struct {
	LabourID  crm.ID
	PartID    crm.ID
	Code      string // the labour code or part number
	Name      string
	Quantity  int
	Hours     decimal.Decimal // expected duration (labour hours × quantity); zero for parts
	UnitPrice crm.Money
	Total     crm.Money
}

// IsPart reports whether the work is a spare part.
func (w Work) IsPart() bool { return w.PartID != (crm.ID{}) }

// Clone returns a deep copy.
func (a Appointment) Clone() Appointment {
	a.Works = append([]Work(nil), a.Works...)
	if len(a.Works) == 0 {
		a.Works = nil
	}
	return a
}

// Hours returns the expected duration of the works.
func (a Appointment) Hours() decimal.Decimal {
	h := decimal.Zero
	for _, w := range a.Works {
		h = h.Add(w.Hours)
	}
	return h
}

// Overlaps reports whether a and b hold the same bay at the same time.
func (a Appointment) Overlaps(b Appointment) bool {
	return a.ID != b.ID && a.Bay == b.Bay && a.Status.HoldsBay() && b.Status.HoldsBay() &&
		a.Start.Before(b.End) && b.Start.Before(a.End)
}

// OverlapsCar reports whether a and b are two appointments of one customer vehicle that both hold their bays
// (HoldsBay) and overlap in time: a car stands in one bay at a time.
func (a Appointment) OverlapsCar(b Appointment) bool {
	return a.ID != b.ID && a.CustomerVehicleID == b.CustomerVehicleID && a.Status.HoldsBay() && b.Status.HoldsBay() &&
		a.Start.Before(b.End) && b.Start.Before(a.End)
}

// transitions lists what each step requires and leads to.
var transitions = map[string]struct {
	from []AppointmentStatus
	to   AppointmentStatus
}{
	"arrive":     {[]AppointmentStatus{AppointmentBooked}, AppointmentArrived},
	"start":      {[]AppointmentStatus{AppointmentBooked, AppointmentArrived}, AppointmentInWork},
	"complete":   {[]AppointmentStatus{AppointmentInWork}, AppointmentDone},
	"no-show":    {[]AppointmentStatus{AppointmentBooked}, AppointmentNoShow},
	"cancel":     {[]AppointmentStatus{AppointmentBooked, AppointmentArrived, AppointmentInWork}, AppointmentCancelled},
	"reschedule": {[]AppointmentStatus{AppointmentBooked}, AppointmentBooked},
}

// Step moves the appointment by step ("arrive", "start", "complete", "no-show", "cancel", "reschedule") at now.
// It returns ErrAppointmentStatus (a conflict) naming the status when the step is not allowed from it.
func (a *Appointment) Step(step string, now time.Time) error {
	tr, ok := transitions[step]
	if !ok {
		return crm.Invalid("aftersales.Appointment.Step", crm.FieldError{Field: "step", Message: "unknown step " + step})
	}
	allowed := false
	for _, f := range tr.from {
		allowed = allowed || f == a.Status
	}
	if !allowed {
		var from []string
		for _, f := range tr.from {
			from = append(from, string(f))
		}
		return fmt.Errorf("cannot %s an appointment that is %s (only one that is %s): %w", step, a.Status,
			strings.Join(from, " or "), ErrAppointmentStatus)
	}
	now = now.UTC()
	if step == "no-show" && now.Before(a.Start) {
		return fmt.Errorf("cannot mark a no-show before the appointment's start %s: %w", a.Start.Format(time.RFC3339),
			ErrAppointmentStatus)
	}
	switch step {
	case "arrive":
		a.ArrivedAt = now
	case "start":
		if a.ArrivedAt.IsZero() {
			a.ArrivedAt = now
		}
		a.StartedAt = now
	case "complete", "no-show", "cancel":
		a.ClosedAt = now
	}
	a.Status = tr.to
	return nil
}
