package leads

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// TestDriveStatus is where a test drive stands.
type TestDriveStatus string

// Test-drive statuses. Only a booked drive holds its slot and its vehicle; the other three are final.
const (
	TestDriveBooked    TestDriveStatus = "booked"
	TestDriveCompleted TestDriveStatus = "completed"
	TestDriveCancelled TestDriveStatus = "cancelled"
	TestDriveNoShow    TestDriveStatus = "no_show"
)

// Valid reports whether s is a known status.
func (s TestDriveStatus) Valid() bool { return slices.Contains(TestDriveStatuses(), s) }

// CancelReasonVehicleSold is the reason recorded when a booked drive is cancelled because its vehicle was sold.
const CancelReasonVehicleSold = "vehicle sold"

// CancelReasonLeadDisqualified is the reason recorded when a lead's booked drives are cancelled because the lead
// was disqualified.
const CancelReasonLeadDisqualified = "lead disqualified"

// DriverLicense is the driver's licence as checked at the drive.
type DriverLicense struct {
	Number     string `json:"number,omitempty"`
	Categories string `json:"categories,omitempty"`  // e.g. "B"
	ValidUntil string `json:"valid_until,omitempty"` // YYYY-MM-DD
}

// TestDrive is a booked drive of one vehicle by one lead or customer in the half-open slot [Start, End). Booking
// reserves the vehicle; completing, cancelling or a no-show ends it.
type TestDrive struct {
	crm.Meta
	LeadID     crm.ID          `json:"lead_id,omitzero"`     // the lead it was booked from (zero: booked for a customer)
	CustomerID crm.ID          `json:"customer_id,omitzero"` // the customer, when known
	VehicleID  crm.ID          `json:"vehicle_id"`
	Start      time.Time       `json:"start"` // UTC
	End        time.Time       `json:"end"`   // UTC, exclusive
	Status     TestDriveStatus `json:"status"`
	BookedBy   crm.ID          `json:"booked_by,omitzero"` // the user who booked it
	Notes      string          `json:"notes,omitempty"`
	// Filled when the drive ends.
	License      DriverLicense `json:"license"`
	MileageOut   int           `json:"mileage_out,omitempty"` // odometer when the car left, km
	MileageIn    int           `json:"mileage_in,omitempty"`  // odometer when it came back, km
	Feedback     string        `json:"feedback,omitempty"`
	Rating       int           `json:"rating,omitempty"` // 1–5; 0 when not given
	CancelReason string        `json:"cancel_reason,omitempty"`
	ClosedAt     time.Time     `json:"closed_at,omitzero"`
}

// NewTestDrive validates d against the schedule cfg and the current time and builds a booked drive of dealer
// created at now. It needs a vehicle, a lead or a customer, a start on a whole minute not in the past, an end
// after it such that the length is a positive multiple of cfg.SlotLength, and the whole slot within one day's
// working hours in cfg.Location. Errors name the fields (vehicle_id, lead_id, start, end).
func NewTestDrive(dealer crm.ID, d TestDrive, cfg Config, now time.Time) (TestDrive, error) {
	cfg = cfg.withDefaults()
	var p crm.Problems
	if d.VehicleID == (crm.ID{}) {
		p.Add("vehicle_id", "is required")
	}
	if d.LeadID == (crm.ID{}) && d.CustomerID == (crm.ID{}) {
		p.Add("lead_id", "a lead or a customer is required")
	}
	cfg.checkSlot(&p, d.Start, d.End, now)
	if err := p.Err("leads.NewTestDrive"); err != nil {
		return TestDrive{}, err
	}
	d.Meta = crm.NewMeta(dealer, now)
	d.Start, d.End = d.Start.UTC(), d.End.UTC()
	d.Status = TestDriveBooked
	d.Notes = strings.TrimSpace(d.Notes)
	d.License, d.MileageOut, d.MileageIn, d.Feedback, d.Rating = DriverLicense{}, 0, 0, "", 0
	d.CancelReason, d.ClosedAt = "", time.Time{}
	return d, nil
}

// Overlaps reports whether the drive's slot [Start, End) overlaps [start, end).
func (d *TestDrive) Overlaps(start, end time.Time) bool {
	return d.Start.Before(end) && start.Before(d.End)
}

// IsBooked reports whether the drive still holds its slot.
func (d *TestDrive) IsBooked() bool { return d.Status == TestDriveBooked }

// TestDriveOutcome is what is recorded when a drive is completed.
type TestDriveOutcome struct {
	MileageOut int           `json:"mileage_out"`
	MileageIn  int           `json:"mileage_in"`
	Feedback   string        `json:"feedback,omitempty"`
	Rating     int           `json:"rating,omitempty"` // 1–5, or 0 for none
	License    DriverLicense `json:"license"`
}

// Complete records that the drive took place, with its mileage, the licence seen and the driver's feedback. Only
// a booked drive that has started (now ≥ Start) can be completed (ErrTestDriveClosed, or a conflict otherwise);
// mileage in must not be below mileage out, and the rating is 1–5 or 0.
func (d *TestDrive) Complete(o TestDriveOutcome, now time.Time) error {
	const op = "leads.TestDrive.Complete"
	var p crm.Problems
	if o.MileageOut < 0 || o.MileageOut > crm.MaxMileage {
		p.Add("mileage_out", "must be between 0 and %d km", crm.MaxMileage)
	}
	if o.MileageIn < o.MileageOut || o.MileageIn > crm.MaxMileage {
		p.Add("mileage_in", "must be between mileage_out and %d km", crm.MaxMileage)
	}
	if o.Rating < 0 || o.Rating > 5 {
		p.Add("rating", "must be 1–5 (0 for none)")
	}
	if err := p.Err(op); err != nil {
		return err
	}
	if err := d.mustBeStarted(op, now); err != nil {
		return err
	}
	d.MileageOut, d.MileageIn, d.Rating, d.License = o.MileageOut, o.MileageIn, o.Rating, o.License
	d.Feedback = strings.TrimSpace(o.Feedback)
	d.close(TestDriveCompleted, now)
	return nil
}

// Cancel cancels a booked drive with a reason (required). A drive that is no longer booked is refused with
// ErrTestDriveClosed.
func (d *TestDrive) Cancel(reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return crm.Invalid("leads.TestDrive.Cancel", crm.FieldError{Field: "reason", Message: "is required"})
	}
	if !d.IsBooked() {
		return fmt.Errorf("test drive %s is %s: %w", d.ID, d.Status, ErrTestDriveClosed)
	}
	d.CancelReason = reason
	d.close(TestDriveCancelled, now)
	return nil
}

// NoShow records that the driver did not come. Only a booked drive whose start has passed qualifies.
func (d *TestDrive) NoShow(now time.Time) error {
	if err := d.mustBeStarted("leads.TestDrive.NoShow", now); err != nil {
		return err
	}
	d.close(TestDriveNoShow, now)
	return nil
}

// CloseForSale cancels the drive with reason "vehicle sold" when it is booked and has not started at now; it
// returns whether the drive changed. A drive in progress or already ended is left alone.
func (d *TestDrive) CloseForSale(now time.Time) bool {
	if !d.IsBooked() || !now.Before(d.Start) {
		return false
	}
	d.CancelReason = CancelReasonVehicleSold
	d.close(TestDriveCancelled, now)
	return true
}

func (d *TestDrive) mustBeStarted(op string, now time.Time) error {
	if !d.IsBooked() {
		return fmt.Errorf("test drive %s is %s: %w", d.ID, d.Status, ErrTestDriveClosed)
	}
	if now.Before(d.Start) {
		return crm.Errorf(crm.KindConflict, crm.CodeTestDriveNotStarted, op, "test drive %s starts at %s and has not started yet", d.ID, d.Start.Format(time.RFC3339))
	}
	return nil
}

func (d *TestDrive) close(s TestDriveStatus, now time.Time) {
	d.Status = s
	d.ClosedAt = now
	d.UpdatedAt = now
}
