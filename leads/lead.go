package leads

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// Interest is what the lead wants: a make and model (and optionally trim and year), or one concrete vehicle of
// the dealer's stock.
type Interest struct {
	Make      string `json:"make,omitempty"`
	Model     string `json:"model,omitempty"`
	Trim      string `json:"trim,omitempty"`
	Year      int    `json:"year,omitempty"`
	Condition string `json:"condition,omitempty"` // new or used, when known
	VehicleID crm.ID `json:"vehicle_id,omitzero"` // a catalog vehicle, when one is chosen
}

// IsZero reports whether no interest is recorded.
func (i Interest) IsZero() bool { return i == Interest{} }

// Lead is an incoming enquiry from a person or company before it is a sale: who (the contact, and the customer
// when known), where from (the source), why (the need type), what (the interest), who works on it (the owner) and
// where it stands (the stage, with its history). Its stage changes only through MoveStage and Convert.
type Lead struct {
	crm.Meta
	Contact    crm.Contact `json:"contact"`
	CustomerID crm.ID      `json:"customer_id,omitzero"`
	Source     Source      `json:"source"`
	NeedType   string      `json:"need_type"` // a need-type code of the dealer's directory
	Interest   Interest    `json:"interest"`
	// Vehicles are the vehicles of interest as the lead sent them (an ADF import keeps them all here).
	Vehicles []VehicleOfInterest `json:"vehicles,omitempty"`
	// TradeIn is the vehicle the lead offers in part exchange, for the appraisal to pick up.
	TradeIn *VehicleOfInterest `json:"trade_in,omitempty"`
	// TestDriveRequested is set when the lead asked for a test drive (ADF interest "test-drive").
	TestDriveRequested bool          `json:"test_drive_requested"`
	OwnerID            crm.ID        `json:"owner_id,omitzero"` // the manager (a user) working on the lead
	Comments           string        `json:"comments,omitempty"`
	ExternalID         string        `json:"external_id,omitempty"`  // the lead's ID in the embedder's system; unique per dealer when set
	Stage              string        `json:"stage"`                  // a lead-stage code
	StageReason        string        `json:"stage_reason,omitempty"` // why the lead was disqualified
	History            []StageChange `json:"history"`
	// DuplicateLeadIDs are the open leads with the same phone or e-mail when this lead came in.
	DuplicateLeadIDs []crm.ID `json:"duplicate_lead_ids,omitempty"`
	// DuplicateCustomerIDs are the customers with the same phone or e-mail when this lead came in.
	DuplicateCustomerIDs []crm.ID `json:"duplicate_customer_ids,omitempty"`
	SaleID               crm.ID   `json:"sale_id,omitzero"` // the sale the lead was converted into
	// External says where an imported lead came from (nil for leads entered by hand).
	External *ExternalRef `json:"external,omitempty"`
	// ResponseDueAt is when the lead is due for its first contact: the dealer's ResponsePolicy.DueAt of its
	// creation (zero for leads stored before response targets existed).
	ResponseDueAt time.Time `json:"response_due_at,omitzero"`
	// FirstResponseAt is when the first call, e-mail or meeting with the lead was completed; zero until then.
	FirstResponseAt time.Time `json:"first_response_at,omitzero"`
	// ResponseMinutes is the working time, in whole minutes, from the lead's creation to FirstResponseAt.
	ResponseMinutes int `json:"response_minutes,omitempty"`
	// ResponseBreachNotifiedAt is when the owner and the managers were told the lead breached its response target.
	ResponseBreachNotifiedAt time.Time `json:"response_breach_notified_at,omitzero"`
}

// RecordFirstContact records that the first contact with the lead (a call, e-mail or meeting completed) happened at
// at, and its response time in p's working hours. Only the first counts: it reports false and changes nothing when
// one is recorded already.
func (l *Lead) RecordFirstContact(at time.Time, p ResponsePolicy) bool {
	if !l.FirstResponseAt.IsZero() {
		return false
	}
	l.FirstResponseAt = at.UTC()
	l.ResponseMinutes = int(p.WorkingTime(l.CreatedAt, at) / time.Minute)
	l.UpdatedAt = at
	return true
}

// ResponseOverdue reports whether the lead is open, still uncontacted, and past its response due time at now (at
// exactly the due time it is in time).
func (l Lead) ResponseOverdue(now time.Time) bool {
	return l.IsOpen() && l.FirstResponseAt.IsZero() && !l.ResponseDueAt.IsZero() && now.After(l.ResponseDueAt)
}

// ExternalRef identifies an imported lead at its sender.
type ExternalRef struct {
	Format         string    `json:"format"`             // "adf"
	ID             string    `json:"id,omitempty"`       // the sender's prospect ID
	Source         string    `json:"source,omitempty"`   // the ID's source attribute
	Sequence       string    `json:"sequence,omitempty"` // the ID's sequence attribute
	Key            string    `json:"key"`                // the idempotency key the import stored
	Provider       string    `json:"provider,omitempty"` // the lead provider's name (and service)
	Vendor         string    `json:"vendor,omitempty"`   // the dealer as the sender named it
	RequestDate    time.Time `json:"request_date,omitzero"`
	RequestDateRaw string    `json:"request_date_raw,omitempty"` // as sent, kept also when unparseable
	EarliestDate   string    `json:"earliest_date,omitempty"`    // the customer's time frame, as sent
	LatestDate     string    `json:"latest_date,omitempty"`
}

// NewLead validates l and builds a new lead of dealer at stage new, created by user by at now. The contact is
// normalised (crm.Contact.Normalize) and must give a name and a phone or an e-mail; the source must be a known
// code and a need type given (the service checks it against the directory).
func NewLead(dealer crm.ID, l Lead, by crm.ID, now time.Time) (Lead, error) {
	l = l.Clone()
	if err := l.validate("leads.NewLead", now); err != nil {
		return Lead{}, err
	}
	l.Meta = crm.NewMeta(dealer, now)
	l.Contact.Consents = l.Contact.Consents.Settle(nil, now)
	l.Stage, l.StageReason, l.SaleID = StageNew, "", crm.ID{}
	l.History = []StageChange{{To: StageNew, By: by, At: now}}
	return l, nil
}

// validate checks and normalises the editable fields (contact, source, need type, interest); a consent dated
// after now is refused.
func (l *Lead) validate(op string, now time.Time) error {
	var p crm.Problems
	l.Contact.Normalize(&p, "contact.")
	l.Contact.Consents.CheckAt(&p, "contact.", now)
	crm.NormalizeExternalID(&p, "external_id", &l.ExternalID)
	if len(l.Contact.Phones) == 0 && len(l.Contact.Emails) == 0 {
		p.Add("contact.phone", "a phone or an e-mail is required")
	}
	if !l.Source.Valid() {
		p.Add("source", "must be one of %s", joinSources())
	}
	l.NeedType = strings.TrimSpace(l.NeedType)
	p.Require("need_type", l.NeedType)
	if l.Interest.Year < 0 || l.Interest.Year > 3000 {
		p.Add("interest.year", "is out of range")
	}
	l.Comments = strings.TrimSpace(l.Comments)
	for i := range l.Vehicles {
		l.Vehicles[i].checkPrice(&p, fmt.Sprintf("vehicles[%d].price", i))
	}
	if l.TradeIn != nil {
		l.TradeIn.checkPrice(&p, "trade_in.price")
	}
	return p.Err(op)
}

// checkPrice refuses a price without a valid currency or below zero, and writes the amount with at least the
// currency's minor digits, the form in which it reads back from every adapter.
func (v *VehicleOfInterest) checkPrice(p *crm.Problems, field string) {
	if v.Price == nil {
		return
	}
	c, err := crm.ParseCurrency(string(v.Price.Currency))
	if err != nil {
		p.Add(field+".currency", "is not an ISO 4217 code")
		return
	}
	if v.Price.IsNegative() {
		p.Add(field+".amount", "must not be negative")
		return
	}
	m := crm.Money{Amount: v.Price.Amount, Currency: c}
	if d, err := decimal.NewFromString(m.StringAmount()); err == nil {
		m.Amount = d
	}
	v.Price = &m
}

// Edit replaces the editable fields of l (contact, source, need type, interest, comments, and the customer when
// in names one: a zero in.CustomerID keeps the current link) with those of in, validated, at now. Stage, owner
// and history change only through their own methods.
func (l *Lead) Edit(in Lead, now time.Time) error {
	in = in.Clone()
	if err := in.validate("leads.Lead.Edit", now); err != nil {
		return err
	}
	in.Contact.Consents = in.Contact.Consents.Settle(l.Contact.Consents, now)
	l.Contact, l.Source, l.NeedType = in.Contact, in.Source, in.NeedType
	if in.CustomerID != (crm.ID{}) {
		l.CustomerID = in.CustomerID
	}
	l.Interest, l.Comments, l.ExternalID = in.Interest, in.Comments, in.ExternalID
	l.UpdatedAt = now
	return nil
}

func joinSources() string {
	s := make([]string, len(Sources))
	for i, v := range Sources {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// IsOpen reports whether the lead is still being worked on (neither converted nor disqualified).
func (l *Lead) IsOpen() bool { return StageIsOpen(l.Stage) }

// MoveStage moves the lead to stage to along the allowed graph (see the package doc) and records the change. A
// move to disqualified needs a reason. It returns an Invalid error for an unknown stage or a missing reason,
// ErrStageTransition for a move the graph does not allow (converted is reached only through Convert).
func (l *Lead) MoveStage(to, reason string, by crm.ID, now time.Time) error {
	const op = "leads.Lead.MoveStage"
	reason = strings.TrimSpace(reason)
	if !ValidStage(to) {
		return crm.Invalid(op, crm.FieldError{Field: "stage", Message: fmt.Sprintf("%q is not a lead stage", to)})
	}
	if to == StageDisqualified && reason == "" {
		return crm.Invalid(op, crm.FieldError{Field: "reason", Message: "is required to disqualify a lead"})
	}
	if to == StageConverted {
		return fmt.Errorf("lead %s: converted is reached by converting the lead into a sale: %w", l.ID, ErrStageTransition)
	}
	if !CanMove(l.Stage, to) {
		return fmt.Errorf("lead %s: from %s to %s: %w", l.ID, l.Stage, to, ErrStageTransition)
	}
	l.record(to, reason, by, now)
	return nil
}

// Convert records that the lead became sale saleID of customer customerID: it moves to converted and keeps both
// IDs. A converted or disqualified lead is refused with ErrLeadClosed (a conflict).
func (l *Lead) Convert(saleID, customerID crm.ID, by crm.ID, now time.Time) error {
	const op = "leads.Lead.Convert"
	var p crm.Problems
	if saleID == (crm.ID{}) {
		p.Add("sale_id", "is required")
	}
	if customerID == (crm.ID{}) {
		p.Add("customer_id", "is required")
	}
	if err := p.Err(op); err != nil {
		return err
	}
	if !l.IsOpen() {
		return fmt.Errorf("lead %s is %s: %w", l.ID, l.Stage, ErrLeadClosed)
	}
	l.SaleID, l.CustomerID = saleID, customerID
	l.record(StageConverted, "", by, now)
	return nil
}

// AssignOwner makes user owner the manager working on the lead. A closed lead is refused with ErrLeadClosed.
func (l *Lead) AssignOwner(owner crm.ID, now time.Time) error {
	if owner == (crm.ID{}) {
		return crm.Invalid("leads.Lead.AssignOwner", crm.FieldError{Field: "owner_id", Message: "is required"})
	}
	if !l.IsOpen() {
		return fmt.Errorf("lead %s is %s: %w", l.ID, l.Stage, ErrLeadClosed)
	}
	l.OwnerID = owner
	l.UpdatedAt = now
	return nil
}

func (l *Lead) record(to, reason string, by crm.ID, now time.Time) {
	l.History = append(l.History, StageChange{From: l.Stage, To: to, Reason: reason, By: by, At: now})
	l.Stage = to
	l.StageReason = ""
	if to == StageDisqualified {
		l.StageReason = reason
	}
	l.UpdatedAt = now
}

// Recipient returns where notices to the lead go: its first e-mail, else its first phone ("" if neither).
func (l *Lead) Recipient() string {
	if len(l.Contact.Emails) > 0 {
		return l.Contact.Emails[0]
	}
	if len(l.Contact.Phones) > 0 {
		return l.Contact.Phones[0]
	}
	return ""
}

// SearchText returns the lower-cased text a lead's free-text filter matches against: name, company, phones,
// e-mails, interest and comments. Adapters store or compute it so that every adapter matches alike.
func (l *Lead) SearchText() string {
	parts := []string{l.Contact.FirstName, l.Contact.MiddleName, l.Contact.LastName, l.Contact.CompanyName}
	parts = append(parts, l.Contact.Phones...)
	parts = append(parts, l.Contact.Emails...)
	parts = append(parts, l.Interest.Make, l.Interest.Model, l.Interest.Trim, l.Comments)
	var b strings.Builder
	for _, s := range parts {
		if s = strings.TrimSpace(s); s != "" {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s)
		}
	}
	return strings.ToLower(b.String())
}

// Clone returns a deep copy (stores hand out copies).
func (l Lead) Clone() Lead {
	l.Contact.Phones = append([]string(nil), l.Contact.Phones...)
	l.Contact.Emails = append([]string(nil), l.Contact.Emails...)
	l.Contact.Consents = l.Contact.Consents.Clone()
	if len(l.Contact.Phones) == 0 {
		l.Contact.Phones = nil
	}
	if len(l.Contact.Emails) == 0 {
		l.Contact.Emails = nil
	}
	if l.Vehicles != nil {
		vs := make([]VehicleOfInterest, len(l.Vehicles))
		for i, v := range l.Vehicles {
			vs[i] = v.Clone()
		}
		l.Vehicles = vs
	}
	if l.TradeIn != nil {
		t := l.TradeIn.Clone()
		l.TradeIn = &t
	}
	l.History = append([]StageChange(nil), l.History...)
	if l.DuplicateLeadIDs != nil {
		l.DuplicateLeadIDs = append([]crm.ID(nil), l.DuplicateLeadIDs...)
	}
	if l.DuplicateCustomerIDs != nil {
		l.DuplicateCustomerIDs = append([]crm.ID(nil), l.DuplicateCustomerIDs...)
	}
	if l.External != nil {
		e := *l.External
		l.External = &e
	}
	return l
}

// VehicleOfInterest is a vehicle as a lead named it: one it wants (buy, lease, test-drive) or one it offers
// (trade-in, sell), with what the sender said about it.
type VehicleOfInterest struct {
	Interest      string     `json:"interest"`         // buy, lease, sell, trade-in, test-drive
	Status        string     `json:"status,omitempty"` // new or used
	Year          int        `json:"year,omitempty"`
	Make          string     `json:"make,omitempty"`
	Model         string     `json:"model,omitempty"`
	VIN           string     `json:"vin,omitempty"`
	Stock         string     `json:"stock,omitempty"` // the sender's stock number
	Trim          string     `json:"trim,omitempty"`
	BodyStyle     string     `json:"body_style,omitempty"`
	Transmission  string     `json:"transmission,omitempty"`
	Color         string     `json:"color,omitempty"`
	Odometer      int        `json:"odometer,omitempty"`
	OdometerUnits string     `json:"odometer_units,omitempty"` // km or mi
	Price         *crm.Money `json:"price,omitempty"`          // nil when none was sent
	PriceType     string     `json:"price_type,omitempty"`     // quote, offer, msrp, invoice, call, appraisal, asking
	PriceRaw      string     `json:"price_raw,omitempty"`      // the price as sent when it is not a number
	Comments      string     `json:"comments,omitempty"`
}

// Clone returns a deep copy.
func (v VehicleOfInterest) Clone() VehicleOfInterest {
	if v.Price != nil {
		p := *v.Price
		v.Price = &p
	}
	return v
}

// ADF vehicle interests.
const (
	InterestBuy       = "buy"
	InterestLease     = "lease"
	InterestSell      = "sell"
	InterestTradeIn   = "trade-in"
	InterestTestDrive = "test-drive"
)

// Offered reports whether the vehicle is one the lead offers (trade-in or sell) rather than one it wants.
func (v VehicleOfInterest) Offered() bool {
	return v.Interest == InterestTradeIn || v.Interest == InterestSell
}
