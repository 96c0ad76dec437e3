package aftersales

import "github.com/dealercrm/dealercrm/crm"

// The codes of the service side's errors (problem+json's "code").
const (
	CodeMileageBelowLast   crm.Code = "mileage_below_last_reading"     // a reading below the last one, without a correction reason
	CodeBayTaken           crm.Code = "service_bay_taken"              // the bay has an overlapping appointment
	CodeCarBooked          crm.Code = "customer_vehicle_booked"        // the car has another appointment overlapping
	CodeAdvisorDayFull     crm.Code = "advisor_day_full"               // the service advisor's day is at its limit
	CodeAppointmentStatus  crm.Code = "appointment_status_not_allowed" // the appointment's state does not allow the step
	CodeWarrantyNotCovered crm.Code = "warranty_not_covered"           // warranty work on a repair no warranty covers
	CodeWarrantyStatus     crm.Code = "warranty_status_not_allowed"    // the warranty's status does not allow the change
)

// Codes returns every code the service side's errors carry.
func Codes() []crm.Code {
	return []crm.Code{CodeMileageBelowLast, CodeBayTaken, CodeCarBooked, CodeAdvisorDayFull, CodeAppointmentStatus,
		CodeWarrantyNotCovered, CodeWarrantyStatus}
}
