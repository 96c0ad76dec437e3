package postgres

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// leadDoc is what a lead keeps in its doc column: everything not in a column of its own, in the adapter's own
// format (the keys are the ones stored since migration 001).
type leadDoc struct {
	Contact              contactDoc             `json:"contact"`
	Interest             interestDoc            `json:"interest"`
	Vehicles             []vehicleOfInterestDoc `json:"vehicles,omitempty"`
	TradeIn              *vehicleOfInterestDoc  `json:"trade_in,omitempty"`
	TestDriveRequested   bool                   `json:"test_drive_requested,omitempty"`
	Comments             string                 `json:"comments,omitempty"`
	StageReason          string                 `json:"stage_reason,omitempty"`
	History              []leadStageChangeDoc   `json:"history"`
	DuplicateLeadIDs     []crm.ID               `json:"duplicate_lead_ids,omitempty"`
	DuplicateCustomerIDs []crm.ID               `json:"duplicate_customer_ids,omitempty"`
	External             *externalRefDoc        `json:"external,omitempty"`
}

// contactDoc is a lead's contact inside leadDoc.
type contactDoc struct {
	Kind        string       `json:"kind"`
	FirstName   string       `json:"first_name,omitempty"`
	MiddleName  string       `json:"middle_name,omitempty"`
	LastName    string       `json:"last_name,omitempty"`
	CompanyName string       `json:"company_name,omitempty"`
	Phones      []string     `json:"phones,omitempty"`
	Emails      []string     `json:"emails,omitempty"`
	Consents    []consentDoc `json:"consents,omitempty"`
}

// interestDoc is what a lead is interested in, inside leadDoc.
type interestDoc struct {
	Make      string `json:"make,omitempty"`
	Model     string `json:"model,omitempty"`
	Trim      string `json:"trim,omitempty"`
	Year      int    `json:"year,omitempty"`
	Condition string `json:"condition,omitempty"`
	VehicleID crm.ID `json:"vehicle_id,omitzero"`
}

// vehicleOfInterestDoc is a vehicle named by an imported lead (or its trade-in), inside leadDoc.
type vehicleOfInterestDoc struct {
	Interest      string    `json:"interest"`
	Status        string    `json:"status,omitempty"`
	Year          int       `json:"year,omitempty"`
	Make          string    `json:"make,omitempty"`
	Model         string    `json:"model,omitempty"`
	VIN           string    `json:"vin,omitempty"`
	Stock         string    `json:"stock,omitempty"`
	Trim          string    `json:"trim,omitempty"`
	BodyStyle     string    `json:"body_style,omitempty"`
	Transmission  string    `json:"transmission,omitempty"`
	Color         string    `json:"color,omitempty"`
	Odometer      int       `json:"odometer,omitempty"`
	OdometerUnits string    `json:"odometer_units,omitempty"`
	Price         *moneyDoc `json:"price,omitempty"`
	PriceType     string    `json:"price_type,omitempty"`
	PriceRaw      string    `json:"price_raw,omitempty"`
	Comments      string    `json:"comments,omitempty"`
}

// moneyDoc is an amount inside a document: the amount as a decimal string with the currency's minor units.
type moneyDoc struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// leadStageChangeDoc is one entry of a lead's stage history inside leadDoc.
type leadStageChangeDoc struct {
	From   string    `json:"from"`
	To     string    `json:"to"`
	Reason string    `json:"reason,omitempty"`
	By     crm.ID    `json:"by"`
	At     time.Time `json:"at"`
}

// externalRefDoc is where an imported lead came from, inside leadDoc.
type externalRefDoc struct {
	Format         string    `json:"format"`
	ID             string    `json:"id,omitempty"`
	Source         string    `json:"source,omitempty"`
	Sequence       string    `json:"sequence,omitempty"`
	Key            string    `json:"key"`
	Provider       string    `json:"provider,omitempty"`
	Vendor         string    `json:"vendor,omitempty"`
	RequestDate    time.Time `json:"request_date,omitzero"`
	RequestDateRaw string    `json:"request_date_raw,omitempty"`
	EarliestDate   string    `json:"earliest_date,omitempty"`
	LatestDate     string    `json:"latest_date,omitempty"`
}

func leadDocOf(l *leads.Lead) leadDoc {
	c, i := l.Contact, l.Interest
	doc := leadDoc{
		Contact: contactDoc{Kind: string(c.Kind), FirstName: c.FirstName, MiddleName: c.MiddleName, LastName: c.LastName,
			CompanyName: c.CompanyName, Phones: c.Phones, Emails: c.Emails, Consents: consentDocsOf(c.Consents)},
		Interest: interestDoc{Make: i.Make, Model: i.Model, Trim: i.Trim, Year: i.Year, Condition: i.Condition,
			VehicleID: i.VehicleID},
		TestDriveRequested: l.TestDriveRequested, Comments: l.Comments, StageReason: l.StageReason,
		DuplicateLeadIDs: l.DuplicateLeadIDs, DuplicateCustomerIDs: l.DuplicateCustomerIDs,
	}
	if l.Vehicles != nil {
		doc.Vehicles = make([]vehicleOfInterestDoc, len(l.Vehicles))
		for k, v := range l.Vehicles {
			doc.Vehicles[k] = vehicleOfInterestDocOf(v)
		}
	}
	if l.TradeIn != nil {
		t := vehicleOfInterestDocOf(*l.TradeIn)
		doc.TradeIn = &t
	}
	if l.History != nil {
		doc.History = make([]leadStageChangeDoc, len(l.History))
		for k, h := range l.History {
			doc.History[k] = leadStageChangeDoc{From: h.From, To: h.To, Reason: h.Reason, By: h.By, At: h.At}
		}
	}
	if e := l.External; e != nil {
		doc.External = &externalRefDoc{Format: e.Format, ID: e.ID, Source: e.Source, Sequence: e.Sequence, Key: e.Key,
			Provider: e.Provider, Vendor: e.Vendor, RequestDate: e.RequestDate, RequestDateRaw: e.RequestDateRaw,
			EarliestDate: e.EarliestDate, LatestDate: e.LatestDate}
	}
	return doc
}

func vehicleOfInterestDocOf(v leads.VehicleOfInterest) vehicleOfInterestDoc {
	d := vehicleOfInterestDoc{Interest: v.Interest, Status: v.Status, Year: v.Year, Make: v.Make, Model: v.Model,
		VIN: v.VIN, Stock: v.Stock, Trim: v.Trim, BodyStyle: v.BodyStyle, Transmission: v.Transmission, Color: v.Color,
		Odometer: v.Odometer, OdometerUnits: v.OdometerUnits, PriceType: v.PriceType, PriceRaw: v.PriceRaw,
		Comments: v.Comments}
	if v.Price != nil {
		d.Price = &moneyDoc{Amount: v.Price.StringAmount(), Currency: string(v.Price.Currency)}
	}
	return d
}

func (v vehicleOfInterestDoc) value() (leads.VehicleOfInterest, error) {
	out := leads.VehicleOfInterest{Interest: v.Interest, Status: v.Status, Year: v.Year, Make: v.Make, Model: v.Model,
		VIN: v.VIN, Stock: v.Stock, Trim: v.Trim, BodyStyle: v.BodyStyle, Transmission: v.Transmission, Color: v.Color,
		Odometer: v.Odometer, OdometerUnits: v.OdometerUnits, PriceType: v.PriceType, PriceRaw: v.PriceRaw,
		Comments: v.Comments}
	if v.Price != nil {
		m, err := crm.ReadMoney(v.Price.Amount, v.Price.Currency)
		if err != nil {
			return leads.VehicleOfInterest{}, err
		}
		out.Price = &m
	}
	return out, nil
}

// fill sets the lead's fields kept in the document; it fails only on a stored price that no longer parses.
func (d leadDoc) fill(l *leads.Lead) error {
	c, i := d.Contact, d.Interest
	l.Contact = crm.Contact{Kind: crm.PartyKind(c.Kind), FirstName: c.FirstName, MiddleName: c.MiddleName,
		LastName: c.LastName, CompanyName: c.CompanyName, Phones: c.Phones, Emails: c.Emails, Consents: consentsOf(c.Consents)}
	l.Interest = leads.Interest{Make: i.Make, Model: i.Model, Trim: i.Trim, Year: i.Year, Condition: i.Condition,
		VehicleID: i.VehicleID}
	l.TestDriveRequested, l.Comments, l.StageReason = d.TestDriveRequested, d.Comments, d.StageReason
	l.DuplicateLeadIDs, l.DuplicateCustomerIDs = d.DuplicateLeadIDs, d.DuplicateCustomerIDs
	if d.Vehicles != nil {
		l.Vehicles = make([]leads.VehicleOfInterest, len(d.Vehicles))
		for k, v := range d.Vehicles {
			var err error
			if l.Vehicles[k], err = v.value(); err != nil {
				return err
			}
		}
	}
	if d.TradeIn != nil {
		t, err := d.TradeIn.value()
		if err != nil {
			return err
		}
		l.TradeIn = &t
	}
	if d.History != nil {
		l.History = make([]leads.StageChange, len(d.History))
		for k, h := range d.History {
			l.History[k] = leads.StageChange{From: h.From, To: h.To, Reason: h.Reason, By: h.By, At: h.At}
		}
	}
	if e := d.External; e != nil {
		l.External = &leads.ExternalRef{Format: e.Format, ID: e.ID, Source: e.Source, Sequence: e.Sequence, Key: e.Key,
			Provider: e.Provider, Vendor: e.Vendor, RequestDate: e.RequestDate, RequestDateRaw: e.RequestDateRaw,
			EarliestDate: e.EarliestDate, LatestDate: e.LatestDate}
	}
	return nil
}
