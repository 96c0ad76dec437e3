package aftersales

import "github.com/dealercrm/dealercrm/crm"

// Domain errors; each is of a kernel kind, so errors.Is(err, crm.ErrConflict) holds for the conflicts too.
var (
	// ErrMileageBelowLast: a mileage reading lower than the car's last one, given without a correction reason.
	ErrMileageBelowLast = &crm.Error{Kind: crm.KindConflict, Code: CodeMileageBelowLast, Message: "the reading is below the last one"}
	// ErrBayTaken: the bay has an active appointment overlapping the requested period.
	ErrBayTaken = &crm.Error{Kind: crm.KindConflict, Code: CodeBayTaken, Message: "the bay is taken for that time"}
	// ErrCarBooked: the customer vehicle has another active appointment overlapping the requested period (a car
	// stands in one bay at a time).
	ErrCarBooked = &crm.Error{Kind: crm.KindConflict, Code: CodeCarBooked, Message: "the car has another appointment at that time"}
	// ErrAdvisorDayFull: the service advisor already has the day's limit of appointments.
	ErrAdvisorDayFull = &crm.Error{Kind: crm.KindConflict, Code: CodeAdvisorDayFull, Message: "the service advisor's day is full"}
	// ErrAppointmentStatus: the appointment's state does not allow the step (arrive, start, complete, ...).
	ErrAppointmentStatus = &crm.Error{Kind: crm.KindConflict, Code: CodeAppointmentStatus, Message: "the appointment's state does not allow it"}
	// ErrNotCovered: warranty work on a repair that no warranty of the car covers; the returned error gives the
	// reason.
	ErrNotCovered = &crm.Error{Kind: crm.KindConflict, Code: CodeWarrantyNotCovered, Message: "not covered by a warranty"}
	// ErrVINTaken: the dealer already has a customer vehicle with this VIN (a duplicate, crm.CodeDuplicate); the
	// returned error names the field "vin".
	ErrVINTaken = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeDuplicate, Message: "the dealer already has a customer vehicle with this VIN"}
	// ErrWarrantyStatus: the warranty's status does not allow the change (voiding a void warranty).
	ErrWarrantyStatus = &crm.Error{Kind: crm.KindConflict, Code: CodeWarrantyStatus, Message: "the warranty's status does not allow it"}
)

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return crm.Wrap(op, err)
}

// vinTaken returns ErrVINTaken naming the field "vin" and the car that has it.
func vinTaken(op string, other CustomerVehicle) error {
	msg := "customer vehicle " + other.ID.String() + " has this VIN"
	return &crm.Error{Kind: crm.KindConflict, Code: crm.CodeDuplicate, Op: op, Message: "vin: " + msg,
		Fields: []crm.FieldError{{Field: "vin", Message: msg}}, Err: ErrVINTaken}
}
