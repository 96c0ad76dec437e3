package httpapi

import (
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// interestIO is what a lead wants, in requests and responses alike.
type interestIO struct {
	Make      string  `json:"make,omitempty"`
	Model     string  `json:"model,omitempty"`
	Trim      string  `json:"trim,omitempty"`
	Year      int     `json:"year,omitempty"`
	Condition string  `json:"condition,omitempty" enum:"VehicleCondition"`
	VehicleID *crm.ID `json:"vehicle_id,omitempty" doc:"a catalog vehicle, when one is chosen"`
}

func (i *interestIO) interest() leads.Interest {
	if i == nil {
		return leads.Interest{}
	}
	out := leads.Interest{Make: i.Make, Model: i.Model, Trim: i.Trim, Year: i.Year, Condition: i.Condition}
	if i.VehicleID != nil {
		out.VehicleID = *i.VehicleID
	}
	return out
}

func interestView(i leads.Interest) *interestIO {
	if i.IsZero() {
		return nil
	}
	return &interestIO{Make: i.Make, Model: i.Model, Trim: i.Trim, Year: i.Year, Condition: i.Condition, VehicleID: idOut(i.VehicleID)}
}

// leadIn is the body of POST /api/v1/leads (and, merged, of PATCH).
type leadIn struct {
	contactIn
	NeedType   string      `json:"need_type" oa:"required" doc:"a need-type code: car_purchase, trade_in, spare_parts, accessories, service, or the dealer's own"`
	Source     string      `json:"source" oa:"required" enum:"LeadSource"`
	CustomerID *crm.ID     `json:"customer_id,omitempty"`
	OwnerID    *crm.ID     `json:"owner_id,omitempty" doc:"the manager (a user) working on the lead"`
	Interest   *interestIO `json:"interest,omitempty"`
	Comments   string      `json:"comments,omitempty" max:"4000"`
	ExternalID string      `json:"external_id,omitempty" doc:"the lead's ID in your own system; unique per dealer (409 duplicate when taken)"`
}

// canonical is the lead input the body describes (a full name split into its parts).
func (in leadIn) canonical() any { return in.input() }

func (in leadIn) input() leads.LeadInput {
	out := leads.LeadInput{Contact: in.contact(), Source: leads.Source(in.Source), NeedType: in.NeedType,
		Interest: in.Interest.interest(), Comments: in.Comments, ExternalID: in.ExternalID}
	if in.CustomerID != nil {
		out.CustomerID = *in.CustomerID
	}
	if in.OwnerID != nil {
		out.OwnerID = *in.OwnerID
	}
	return out
}

// leadInOf is the input form of a stored lead, the base a PATCH merges onto.
func leadInOf(l leads.Lead) leadIn {
	return leadIn{contactIn: contactInOf(l.Contact), NeedType: l.NeedType, Source: string(l.Source),
		CustomerID: idOut(l.CustomerID), OwnerID: idOut(l.OwnerID), Interest: interestView(l.Interest), Comments: l.Comments,
		ExternalID: l.ExternalID}
}

// leadOut is a lead as responses show it.
type leadOut struct {
	ID         crm.ID `json:"id"`
	Version    int64  `json:"version"`
	contactOut        // name, phone, email, ...
	NeedType   string `json:"need_type"`
	Source     string `json:"source" enum:"LeadSource"`
	Stage      string `json:"stage"`
	// StageReason is why the lead was disqualified.
	StageReason          string                 `json:"stage_reason,omitempty"`
	CustomerID           *crm.ID                `json:"customer_id"`
	OwnerID              *crm.ID                `json:"owner_id"`
	SaleID               *crm.ID                `json:"sale_id" doc:"the sale the lead was converted into"`
	Interest             *interestIO            `json:"interest"`
	Vehicles             []vehicleOfInterestOut `json:"vehicles" doc:"the vehicles of interest as the lead sent them"`
	TradeIn              *vehicleOfInterestOut  `json:"trade_in"`
	TestDriveRequested   bool                   `json:"test_drive_requested"`
	Comments             string                 `json:"comments,omitempty"`
	ExternalID           string                 `json:"external_id,omitempty"`
	History              []stageChangeOut       `json:"history"`
	DuplicateLeadIDs     []crm.ID               `json:"duplicate_lead_ids"`
	DuplicateCustomerIDs []crm.ID               `json:"duplicate_customer_ids"`
	External             *externalRefOut        `json:"external"`
	CreatedAt            stamp                  `json:"created_at"`
	UpdatedAt            stamp                  `json:"updated_at"`
	ResponseDueAt        *stamp                 `json:"response_due_at" doc:"when the first contact is due: the dealer's response target counted in its sales hours from created_at"`
	FirstResponseAt      *stamp                 `json:"first_response_at" doc:"when the first call, e-mail or meeting with the lead was completed; null until then"`
	ResponseMinutes      *int                   `json:"response_minutes" doc:"working minutes from created_at to first_response_at; null until then"`
	ResponseOverdue      bool                   `json:"response_overdue" doc:"open, uncontacted and past response_due_at"`
}

type vehicleOfInterestOut struct {
	Interest      string     `json:"interest"`
	Status        string     `json:"status,omitempty"`
	Year          int        `json:"year,omitempty"`
	Make          string     `json:"make,omitempty"`
	Model         string     `json:"model,omitempty"`
	VIN           string     `json:"vin,omitempty"`
	Stock         string     `json:"stock,omitempty"`
	Trim          string     `json:"trim,omitempty"`
	BodyStyle     string     `json:"body_style,omitempty"`
	Transmission  string     `json:"transmission,omitempty"`
	Color         string     `json:"color,omitempty"`
	Odometer      int        `json:"odometer,omitempty"`
	OdometerUnits string     `json:"odometer_units,omitempty"`
	Price         *crm.Money `json:"price,omitempty"`
	PriceType     string     `json:"price_type,omitempty"`
	PriceRaw      string     `json:"price_raw,omitempty"`
	Comments      string     `json:"comments,omitempty"`
}

func vehicleOfInterestView(v leads.VehicleOfInterest) vehicleOfInterestOut {
	return vehicleOfInterestOut{Interest: v.Interest, Status: v.Status, Year: v.Year, Make: v.Make, Model: v.Model,
		VIN: v.VIN, Stock: v.Stock, Trim: v.Trim, BodyStyle: v.BodyStyle, Transmission: v.Transmission, Color: v.Color,
		Odometer: v.Odometer, OdometerUnits: v.OdometerUnits, Price: v.Price, PriceType: v.PriceType, PriceRaw: v.PriceRaw,
		Comments: v.Comments}
}

type stageChangeOut struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Reason string  `json:"reason,omitempty"`
	By     *crm.ID `json:"by" doc:"the acting user; null for the system (an import)"`
	At     stamp   `json:"at"`
}

type externalRefOut struct {
	Format       string `json:"format"`
	ID           string `json:"id,omitempty"`
	Source       string `json:"source,omitempty"`
	Sequence     string `json:"sequence,omitempty"`
	Provider     string `json:"provider,omitempty"`
	Vendor       string `json:"vendor,omitempty"`
	RequestDate  *stamp `json:"request_date,omitempty"`
	RequestRaw   string `json:"request_date_raw,omitempty"`
	EarliestDate string `json:"earliest_date,omitempty"`
	LatestDate   string `json:"latest_date,omitempty"`
}

func leadView(l leads.Lead) leadOut {
	out := leadOut{ID: l.ID, Version: l.Version, contactOut: contactView(l.Contact), NeedType: l.NeedType,
		Source: string(l.Source), Stage: l.Stage, StageReason: l.StageReason, CustomerID: idOut(l.CustomerID),
		OwnerID: idOut(l.OwnerID), SaleID: idOut(l.SaleID), Interest: interestView(l.Interest),
		Vehicles: mapList(l.Vehicles, vehicleOfInterestView), TestDriveRequested: l.TestDriveRequested,
		Comments: l.Comments, ExternalID: l.ExternalID, DuplicateLeadIDs: ids(l.DuplicateLeadIDs), DuplicateCustomerIDs: ids(l.DuplicateCustomerIDs),
		CreatedAt: stampOf(l.CreatedAt), UpdatedAt: stampOf(l.UpdatedAt), ResponseDueAt: timeOut(l.ResponseDueAt),
		FirstResponseAt: timeOut(l.FirstResponseAt)}
	if !l.FirstResponseAt.IsZero() {
		m := l.ResponseMinutes
		out.ResponseMinutes = &m
	}
	if l.TradeIn != nil {
		t := vehicleOfInterestView(*l.TradeIn)
		out.TradeIn = &t
	}
	out.History = mapList(l.History, func(c leads.StageChange) stageChangeOut {
		return stageChangeOut{From: c.From, To: c.To, Reason: c.Reason, By: idOut(c.By), At: stampOf(c.At)}
	})
	if e := l.External; e != nil {
		out.External = &externalRefOut{Format: e.Format, ID: e.ID, Source: e.Source, Sequence: e.Sequence,
			Provider: e.Provider, Vendor: e.Vendor, RequestDate: timeOut(e.RequestDate), RequestRaw: e.RequestDateRaw,
			EarliestDate: e.EarliestDate, LatestDate: e.LatestDate}
	}
	return out
}

// leadStageMoveIn is the body of POST /api/v1/leads/{id}/stage.
type leadStageMoveIn struct {
	Stage  string `json:"stage" oa:"required" doc:"new, in_work, qualified or disqualified"`
	Reason string `json:"reason,omitempty" doc:"required for disqualified"`
}

// needTypeOut is a need-type directory entry.
type needTypeOut struct {
	ID      crm.ID `json:"id"`
	Version int64  `json:"version"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	NameEn  string `json:"name_en,omitempty" doc:"the English name of a seeded need type"`
	Order   int    `json:"order"`
	Active  bool   `json:"active"`
}

func needTypeView(n leads.NeedType) needTypeOut {
	return needTypeOut{ID: n.ID, Version: n.Version, Code: n.Code, Name: n.Name, NameEn: n.NameEn, Order: n.Order, Active: n.Active}
}

// needTypeIn is the body of POST /api/v1/need-types.
type needTypeIn struct {
	Code  string `json:"code" oa:"required" max:"64"`
	Name  string `json:"name" oa:"required" max:"200"`
	Order int    `json:"order,omitempty"`
}

// needTypePatchIn is the body of PATCH /api/v1/need-types/{code}.
type needTypePatchIn struct {
	Name   *string `json:"name,omitempty"`
	Order  *int    `json:"order,omitempty"`
	Active *bool   `json:"active,omitempty"`
}

// leadStageOut is a lead-stage directory entry.
type leadStageOut struct {
	ID             crm.ID `json:"id"`
	Version        int64  `json:"version"`
	Code           string `json:"code"`
	Name           string `json:"name"`
	NameEn         string `json:"name_en,omitempty" doc:"the English name of a seeded stage"`
	Order          int    `json:"order"`
	Kind           string `json:"kind" enum:"LeadStageKind"`
	RequiresReason bool   `json:"requires_reason"`
}

func leadStageView(s leads.LeadStage) leadStageOut {
	return leadStageOut{ID: s.ID, Version: s.Version, Code: s.Code, Name: s.Name, NameEn: s.NameEn, Order: s.Order, Kind: string(s.Kind),
		RequiresReason: s.RequiresReason}
}

// leadStagePatchIn is the body of PATCH /api/v1/lead-stages/{code}.
type leadStagePatchIn struct {
	Name string `json:"name" oa:"required"`
}
