package httpapi

import (
	"github.com/dealercrm/dealercrm/activities"
	"reflect"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/notify"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/dealercrm/dealercrm/playbooks"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/dealercrm/dealercrm/timeline"
)

// enum is a closed set of strings the OpenAPI document names as a schema component, so that a client generator
// makes a type of it. Its values come from the Go type's own list, never copied by hand.
type enum struct {
	name   string       // the component: LeadSource
	typ    reflect.Type // the Go type; a field of this type refers to the component
	values []string
	desc   string
}

func enumOf[T ~string](name, desc string, vs []T) enum {
	return enum{name: name, typ: reflect.TypeFor[T](), values: valuesOf(vs), desc: desc}
}

// valuesOf returns the strings of a closed set's values.
func valuesOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// enums lists every closed set of the API. A request or response field whose Go type is a string typed elsewhere
// (a view's plain string) names its set with the tag `enum:"LeadSource"`; a query parameter with Of.
func enums() []enum {
	return []enum{
		enumOf("ErrorCode", "A stable machine-readable error code (problem+json's code).", ProblemCodes()),
		enumOf("Role", "What a user may do within the dealer.", crm.AllRoles()),
		enumOf("PartyKind", "A person or a company.", crm.PartyKinds()),
		enumOf("ConsentChannel", "How a contact may be reached.", crm.ConsentChannels()),
		enumOf("ConsentPurpose", "What a contact may be told: notices about its own bookings and purchases (service: sent unless withdrawn) or marketing (sent only with consent).", crm.ConsentPurposes()),
		enumOf("ConsentSource", "Where a consent was given or withdrawn.", crm.ConsentSources()),
		enumOf("VehicleStatus", "Where a vehicle stands in the dealer's stock.", catalog.Statuses()),
		enumOf("VehicleCondition", "New, used or certified used.", catalog.Conditions()),
		enumOf("ReservationPurpose", "Why a vehicle is held.", catalog.Purposes()),
		enumOf("VehicleSort", "The order of a vehicle search.", catalog.VehicleSorts()),
		enumOf("ProductKind", "What a catalog product is.", catalog.ProductKinds()),
		enumOf("OptionKind", "A single option or a pack of options.", catalog.OptionKinds()),
		enumOf("ColorKind", "Where a colour is: the body or the interior.", catalog.ColorKinds()),
		enumOf("PriceLineKind", "What a line of a configuration's quote prices.", catalog.PriceLineKinds()),
		enumOf("LeadSource", "Where a lead came from.", leads.SourceValues()),
		enumOf("LeadStageKind", "Whether a lead stage is open or one of the two ends.", leads.StageKinds()),
		enumOf("TestDriveStatus", "Where a test drive stands.", leads.TestDriveStatuses()),
		enumOf("ImportStatus", "What became of an imported prospect.", leads.ImportStatuses()),
		enumOf("SaleStatus", "Where a sale stands.", sales.Statuses()),
		enumOf("SalesStageKind", "Whether a sale at a stage is open, won or lost.", sales.StageKinds()),
		enumOf("PaymentMethod", "How the customer pays.", sales.PaymentMethods()),
		enumOf("LineKind", "What an order line sells.", sales.LineKinds()),
		enumOf("CreditMethod", "How a loan is repaid: equal payments (annuity) or equal principal parts (differentiated).", credit.Methods()),
		enumOf("CreditApplicationState", "Where a credit application stands.", credit.States()),
		enumOf("ActivityKind", "What sort of activity it is: a call, meeting, e-mail, task or note.", activities.Kinds()),
		enumOf("ActivityStatus", "Where an activity stands.", activities.Statuses()),
		enumOf("ActivityOutcome", "How a call went.", activities.Outcomes()),
		enumOf("TimelineKind", "What a customer timeline item tells.", timeline.Kinds()),
		enumOf("TimelineRecordType", "The record a customer timeline item is about.", timeline.RecordTypes()),
		enumOf("MessageStatus", "Where an outbox message is in its delivery: pending (not yet delivered; retried), sent, or dead (given up on).", crm.MessageStatuses()),
		enumOf("PlaybookEvent", "An event that completes a playbook step by itself.", crm.StepEventKinds()),
		enumOf("PlaybookCondition", "When a playbook step is created: only for sales paid by credit.", playbooks.Conditions()),
		enumOf("PlaybookSubject", "Whose stage a playbook is: a lead stage's or a sales stage's.", []crm.SubjectKind{crm.SubjectLead, crm.SubjectSale}),
		enumOf("MileageSource", "How a mileage reading was taken.", aftersales.ReadingSources()),
		enumOf("AppraisalState", "Where an appraisal sheet stands.", appraisal.States()),
		enumOf("AppraisalArea", "The area of an appraisal checklist element.", appraisal.Areas()),
		enumOf("AppraisalGrade", "The condition found of an appraisal checklist element.", appraisal.Grades()),
		enumOf("AppointmentStatus", "Where a service appointment stands.", aftersales.AppointmentStatuses()),
		enumOf("WarrantyKind", "Who gives a warranty.", aftersales.WarrantyKinds()),
		enumOf("WarrantyStatus", "Where a warranty stands today.", aftersales.WarrantyStatuses()),
		enumOf("MailSecurity", "How the connection to the SMTP server is protected.", notify.Securities()),
		enumOf("MailAuth", "How the sender logs in to the SMTP server.", notify.AuthMethods()),
		enumOf("Channel", "How a notice reaches a person: e-mail or SMS.", notify.Channels()),
		enumOf("NoticeKind", "What a notice is about (its template's key).", notify.Kinds()),
		enumOf("AudienceKind", "Whom a campaign is for.", notify.AudienceKinds()),
		enumOf("RecipientStatus", "Where one recipient of a campaign stands.", notify.RecipientStatuses()),
		enumOf("PlanPeriod", "The calendar period of a sales plan (UTC).", plans.Periods()),
		enumOf("AnalyticsDimension", "What the rows of a conversion or results report are.", analytics.Dimensions()),
	}
}
