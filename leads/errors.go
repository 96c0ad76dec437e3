package leads

import "github.com/dealercrm/dealercrm/crm"

// Domain errors; each is of a kernel kind, so errors.Is(err, crm.ErrConflict) holds for the conflicts too.
var (
	// ErrTestDriveOverlap: the vehicle already has a booked test drive overlapping the requested slot. The
	// returned error wraps it and names the booking in the way (its ID and times).
	ErrTestDriveOverlap = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeTestDriveOverlap, Message: "the vehicle has an overlapping test drive"}
	// ErrLeadClosed: the lead is converted or disqualified and the request needs an open lead.
	ErrLeadClosed = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeLeadClosed, Message: "lead is closed"}
	// ErrStageTransition: the lead cannot move from its stage to the requested one (see the package doc).
	ErrStageTransition = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeStageTransition, Message: "stage transition not allowed"}
	// ErrTestDriveClosed: the test drive is no longer booked (completed, cancelled or a no-show).
	ErrTestDriveClosed = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeTestDriveNotBooked, Message: "test drive is not booked"}
)
