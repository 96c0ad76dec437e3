package httpapi

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// testDriveIn is the body of POST /api/v1/leads/{id}/test-drives: a vehicle and a slot [start, end), or
// now: true for a drive starting at the next whole minute. Without end the drive lasts one slot.
type testDriveIn struct {
	VehicleID string `json:"vehicle_id" oa:"required"`
	Start     string `json:"start,omitempty" format:"date-time" doc:"RFC 3339; required unless now"`
	End       string `json:"end,omitempty" format:"date-time" doc:"RFC 3339, exclusive; default: one slot after start"`
	Now       bool   `json:"now,omitempty" doc:"start at the next whole minute"`
	Notes     string `json:"notes,omitempty" max:"4000"`
}

// testDriveBookIn is the body of POST /api/v1/test-drives: a drive for a customer (or from a lead).
type testDriveBookIn struct {
	testDriveIn
	LeadID     string `json:"lead_id,omitempty"`
	CustomerID string `json:"customer_id,omitempty"`
}

// booking turns the request into the service's booking; now is the handler clock's time.
func (in testDriveIn) booking(p *crm.Problems, now time.Time) leads.TestDriveBooking {
	b := leads.TestDriveBooking{VehicleID: requireID(p, "vehicle_id", in.VehicleID), Now: in.Now, Notes: in.Notes}
	end := parseTime(p, "end", in.End)
	start := leads.StartNow(now)
	if !in.Now {
		start = requireTime(p, "start", in.Start)
		b.Start = start
	}
	if !end.IsZero() && !start.IsZero() {
		if !end.After(start) {
			p.Add("end", "must be after start")
		}
		b.Duration = end.Sub(start)
	}
	return b
}

// testDriveOut is a test drive as responses show it.
type testDriveOut struct {
	ID           crm.ID    `json:"id"`
	Version      int64     `json:"version"`
	LeadID       *crm.ID   `json:"lead_id"`
	CustomerID   *crm.ID   `json:"customer_id"`
	VehicleID    crm.ID    `json:"vehicle_id"`
	Start        stamp     `json:"start"`
	End          stamp     `json:"end"`
	Status       string    `json:"status" enum:"TestDriveStatus"`
	BookedBy     *crm.ID   `json:"booked_by"`
	Notes        string    `json:"notes,omitempty"`
	License      licenseIO `json:"license"`
	MileageOut   int       `json:"mileage_out,omitempty"`
	MileageIn    int       `json:"mileage_in,omitempty"`
	Feedback     string    `json:"feedback,omitempty"`
	Rating       int       `json:"rating,omitempty"`
	CancelReason string    `json:"cancel_reason,omitempty"`
	ClosedAt     *stamp    `json:"closed_at"`
	CreatedAt    stamp     `json:"created_at"`
	UpdatedAt    stamp     `json:"updated_at"`
}

// licenseIO is a driver's licence.
type licenseIO struct {
	Number     string `json:"number,omitempty"`
	Categories string `json:"categories,omitempty"`
	ValidUntil string `json:"valid_until,omitempty" doc:"YYYY-MM-DD"`
}

func testDriveView(d leads.TestDrive) testDriveOut {
	return testDriveOut{ID: d.ID, Version: d.Version, LeadID: idOut(d.LeadID), CustomerID: idOut(d.CustomerID),
		VehicleID: d.VehicleID, Start: stampOf(d.Start), End: stampOf(d.End), Status: string(d.Status), BookedBy: idOut(d.BookedBy),
		Notes: d.Notes, License: licenseIO(d.License), MileageOut: d.MileageOut, MileageIn: d.MileageIn,
		Feedback: d.Feedback, Rating: d.Rating, CancelReason: d.CancelReason, ClosedAt: timeOut(d.ClosedAt),
		CreatedAt: stampOf(d.CreatedAt), UpdatedAt: stampOf(d.UpdatedAt)}
}

// testDriveCancelIn is the optional body of POST /api/v1/test-drives/{id}/cancel.
type testDriveCancelIn struct {
	Reason string `json:"reason,omitempty" doc:"default: \"cancelled\""`
}

// testDriveCompleteIn is the body of POST /api/v1/test-drives/{id}/complete.
type testDriveCompleteIn struct {
	MileageOut int       `json:"mileage_out,omitempty"`
	MileageIn  int       `json:"mileage_in,omitempty"`
	Feedback   string    `json:"feedback,omitempty"`
	Rating     int       `json:"rating,omitempty" doc:"1 to 5"`
	License    licenseIO `json:"license,omitzero"`
}
