package notify

import "slices"

// commonFacts are the facts every notice's template sees (see Service.facts).
var commonFacts = []string{"name", "dealer", "address"}

// bookingFacts are the facts of a notice about a test drive or service appointment (date and time are its
// local start).
var bookingFacts = []string{"vehicle", "vehicle_id", "start", "start_local", "time_zone", "date", "time", "lead_id", "customer_id"}

// campaignFacts are the facts of every campaign message: the campaign's and its recipient's, the unsubscribe
// link, and what each audience adds (the test drive, the car, its maintenance or warranty).
var campaignFacts = []string{"campaign", "campaign_id", "recipient_id", "channel", "unsubscribe_url", "lead_id", "customer_id",
	"test_drive_id", "vehicle", "start_local", "date", "time", "customer_vehicle_id", "vin", "due_date", "warranty_id", "valid_to",
	"make", "model"}

// kindFacts are the facts each kind's messages carry beyond commonFacts.
var kindFacts = map[Kind][]string{
	KindTestDriveBooked:    append([]string{"test_drive_id", "end"}, bookingFacts...),
	KindTestDriveReminder:  append(append([]string{"test_drive_id"}, bookingFacts...), campaignFacts...),
	KindTestDriveCancelled: append([]string{"test_drive_id", "reason"}, bookingFacts...),
	KindServiceReminder:    append([]string{"appointment_id", "customer_vehicle_id"}, bookingFacts...),
	KindSaleWon:            {"sale_id", "vehicle_id", "vehicle", "customer_id", "customer_vehicle_id", "vin"},
	KindMaintenanceDue:     campaignFacts,
	KindWarrantyExpiring:   campaignFacts,
	KindCampaign:           campaignFacts,
}

// KindFacts returns the names of the facts a template of kind may use ({{.name}}, {{.vehicle}}, ...), sorted:
// those every notice has and those its kind's messages carry (a kind a campaign may use also has the
// campaign's). A template naming any other is refused when saved or previewed (KindInvalid naming the part and
// the variable). Nil for an unknown kind.
func KindFacts(kind Kind) []string {
	own, ok := kindFacts[kind]
	if !ok {
		return nil
	}
	out := append(slices.Clone(commonFacts), own...)
	slices.Sort(out)
	return slices.Compact(out)
}

// TemplateChecker is an optional capability of a Renderer (found with a type assertion): Check refuses a template
// whose parts name a fact outside facts, or use one as if it had fields ({{.name.First}}), with KindInvalid naming
// the part (subject, text, html) and the variable. Service.SaveTemplate, PreviewTemplate and CreateCampaign
// check with KindFacts of the template's kind.
type TemplateChecker interface {
	Check(t Template, facts []string) error
}
