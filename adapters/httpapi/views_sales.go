package httpapi

import (
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// insuranceIO is a vehicle's insurance in requests and responses.
type insuranceIO struct {
	Insurer      string `json:"insurer,omitempty"`
	PolicyNumber string `json:"policy_number,omitempty"`
	ValidFrom    string `json:"valid_from,omitempty" format:"date-time" doc:"RFC 3339"`
	ValidTo      string `json:"valid_to,omitempty" format:"date-time" doc:"RFC 3339"`
}

func (i *insuranceIO) insurance(p *crm.Problems, prefix string) catalog.VehicleInsurance {
	if i == nil {
		return catalog.VehicleInsurance{}
	}
	return catalog.VehicleInsurance{Insurer: i.Insurer, PolicyNumber: i.PolicyNumber,
		ValidFrom: parseTime(p, prefix+"valid_from", i.ValidFrom), ValidTo: parseTime(p, prefix+"valid_to", i.ValidTo)}
}

func insuranceView(i catalog.VehicleInsurance) insuranceIO {
	out := insuranceIO{Insurer: i.Insurer, PolicyNumber: i.PolicyNumber}
	if !i.ValidFrom.IsZero() {
		out.ValidFrom = stampOf(i.ValidFrom).String()
	}
	if !i.ValidTo.IsZero() {
		out.ValidTo = stampOf(i.ValidTo).String()
	}
	return out
}

// saleOut is a sale as responses show it.
type saleOut struct {
	ID                  crm.ID               `json:"id"`
	Version             int64                `json:"version"`
	CustomerID          crm.ID               `json:"customer_id"`
	VehicleID           *crm.ID              `json:"vehicle_id"`
	LeadID              *crm.ID              `json:"lead_id"`
	OwnerID             *crm.ID              `json:"owner_id"`
	StageID             crm.ID               `json:"stage_id"`
	StageCode           string               `json:"stage_code"`
	Status              string               `json:"status" enum:"SaleStatus"`
	Probability         int                  `json:"probability" doc:"percent, 0-100, at most the stage's maximum"`
	Amount              *crm.Money           `json:"amount"`
	PaymentMethod       string               `json:"payment_method,omitempty" enum:"PaymentMethod"`
	ExternalID          string               `json:"external_id,omitempty"`
	Insurance           insuranceIO          `json:"insurance"`
	ServiceContract     bool                 `json:"service_contract"`
	TradeInAppraisalID  *crm.ID              `json:"trade_in_appraisal_id"`
	CreditApplicationID *crm.ID              `json:"credit_application_id" doc:"the approved or issued credit application paying part of the price"`
	LostReason          string               `json:"lost_reason,omitempty"`
	WonAt               *stamp               `json:"won_at"`
	LostAt              *stamp               `json:"lost_at"`
	ExpectedClose       string               `json:"expected_close_date,omitempty" format:"date" doc:"YYYY-MM-DD: the day the sale is expected to close (the sales-plan forecast counts it)"`
	History             []saleStageChangeOut `json:"history"`
	CreatedAt           stamp                `json:"created_at"`
	UpdatedAt           stamp                `json:"updated_at"`
}

type saleStageChangeOut struct {
	At          stamp   `json:"at"`
	By          *crm.ID `json:"by"`
	FromStageID *crm.ID `json:"from_stage_id"`
	FromCode    string  `json:"from_code,omitempty"`
	ToStageID   crm.ID  `json:"to_stage_id"`
	ToCode      string  `json:"to_code"`
	Probability int     `json:"probability"`
	Reason      string  `json:"reason,omitempty"`
	Skipped     bool    `json:"skipped,omitempty" doc:"an open stage jumped over by a forward move"`
}

func saleView(s sales.Sale) saleOut {
	return saleOut{ID: s.ID, Version: s.Version, CustomerID: s.CustomerID, VehicleID: idOut(s.VehicleID),
		LeadID: idOut(s.LeadID), OwnerID: idOut(s.OwnerID), StageID: s.StageID, StageCode: s.StageCode,
		Status: string(s.Status), Probability: s.Probability, Amount: moneyOut(s.Amount),
		PaymentMethod: string(s.PaymentMethod), ExternalID: s.ExternalID, Insurance: insuranceView(s.Insurance), ServiceContract: s.ServiceContract,
		TradeInAppraisalID: idOut(s.TradeInAppraisalID), CreditApplicationID: idOut(s.CreditApplicationID),
		LostReason: s.LostReason, WonAt: timeOut(s.WonAt), LostAt: timeOut(s.LostAt), ExpectedClose: dateOut(s.ExpectedClose),
		History: mapList(s.History, func(c sales.StageChange) saleStageChangeOut {
			return saleStageChangeOut{At: stampOf(c.At), By: idOut(c.By), FromStageID: idOut(c.FromStageID), FromCode: c.FromCode,
				ToStageID: c.ToStageID, ToCode: c.ToCode, Probability: c.Probability, Reason: c.Reason, Skipped: c.Skipped}
		}),
		CreatedAt: stampOf(s.CreatedAt), UpdatedAt: stampOf(s.UpdatedAt)}
}

// wonSaleOut is the answer to winning a sale: the sale and the customer vehicle it created.
type wonSaleOut struct {
	saleOut
	CustomerVehicle customerVehicleOut `json:"customer_vehicle"`
	Contract        *documentOut       `json:"contract" doc:"the purchase contract formed at the win, kept as the sale's document; null when not formed"`
	ContractBlanks  []string           `json:"contract_blanks,omitempty" doc:"requisites the CRM lacks, printed as blanks"`
	ContractError   string             `json:"contract_error,omitempty" doc:"why the contract was not formed (the win stands; POST /api/v1/sales/{id}/contract forms it later)"`
}

// saleIn is the body of POST /api/v1/sales: a sale opened directly for a customer.
type saleIn struct {
	CustomerID         string       `json:"customer_id" format:"uuid" oa:"required"`
	VehicleID          string       `json:"vehicle_id,omitempty" format:"uuid" doc:"held for the sale"`
	OwnerID            string       `json:"owner_id,omitempty" format:"uuid" doc:"default: the caller"`
	StageID            string       `json:"stage_id,omitempty" format:"uuid" doc:"an open stage; default: the first"`
	Amount             *moneyIn     `json:"amount,omitempty" doc:"default: the vehicle's list price less its discount"`
	PaymentMethod      string       `json:"payment_method,omitempty" enum:"PaymentMethod"`
	Insurance          *insuranceIO `json:"insurance,omitempty"`
	ServiceContract    bool         `json:"service_contract,omitempty"`
	TradeInAppraisalID string       `json:"trade_in_appraisal_id,omitempty" format:"uuid"`
	ExternalID         string       `json:"external_id,omitempty" doc:"the sale's ID in your own system; unique per dealer (409 duplicate when taken)"`
	ExpectedClose      string       `json:"expected_close_date,omitempty" format:"date" doc:"YYYY-MM-DD: the day the sale is expected to close"`
}

// convertIn is the optional body of POST /api/v1/leads/{id}/convert.
type convertIn struct {
	VehicleID     string   `json:"vehicle_id,omitempty" format:"uuid" doc:"default: the lead's chosen vehicle, else its test-drive vehicle"`
	OwnerID       string   `json:"owner_id,omitempty" format:"uuid"`
	StageID       string   `json:"stage_id,omitempty" format:"uuid" doc:"an open stage; default: the first"`
	Amount        *moneyIn `json:"amount,omitempty"`
	PaymentMethod string   `json:"payment_method,omitempty" enum:"PaymentMethod"`
	ExternalID    string   `json:"external_id,omitempty" doc:"the sale's ID in your own system"`
}

// salePatchIn is the body of PATCH /api/v1/sales/{id}: a stage move (probability follows the stage), a
// probability within the stage, and edits of the sale's facts, applied in that order.
type salePatchIn struct {
	StageID             *string      `json:"stage_id,omitempty" format:"uuid" doc:"move to this open stage; the probability becomes its maximum"`
	Reason              string       `json:"reason,omitempty" doc:"required for a move back, a reopening, or a probability change"`
	Probability         *int         `json:"probability,omitempty" doc:"0 to the stage's maximum"`
	Amount              *moneyIn     `json:"amount,omitempty"`
	OwnerID             *string      `json:"owner_id,omitempty" format:"uuid"`
	Insurance           *insuranceIO `json:"insurance,omitempty"`
	ServiceContract     *bool        `json:"service_contract,omitempty"`
	PaymentMethod       *string      `json:"payment_method,omitempty" enum:"PaymentMethod"`
	ExternalID          *string      `json:"external_id,omitempty"`
	TradeInAppraisalID  *string      `json:"trade_in_appraisal_id,omitempty" format:"uuid"`
	CreditApplicationID *string      `json:"credit_application_id,omitempty" format:"uuid" doc:"link the sale's credit: an approved or issued application of this sale (\"\" unlinks)"`
	ExpectedClose       *string      `json:"expected_close_date,omitempty" format:"date" doc:"YYYY-MM-DD: the day the sale is expected to close (\"\" clears it)"`
}

// winIn is the body of POST /api/v1/sales/{id}/win.
type winIn struct {
	Insurer         string `json:"insurer,omitempty"`
	PolicyNumber    string `json:"policy_number,omitempty"`
	InsuranceFrom   string `json:"insurance_from,omitempty" format:"date-time" doc:"RFC 3339"`
	InsuranceTo     string `json:"insurance_to,omitempty" format:"date-time" doc:"RFC 3339"`
	ServiceContract bool   `json:"service_contract,omitempty"`
}

// loseIn is the body of POST /api/v1/sales/{id}/lose.
type loseIn struct {
	Reason string `json:"reason" oa:"required"`
}

// salesStageOut is a sales-stage directory entry.
type salesStageOut struct {
	ID             crm.ID `json:"id"`
	Version        int64  `json:"version"`
	Code           string `json:"code"`
	Name           string `json:"name"`
	NameEn         string `json:"name_en,omitempty" doc:"the English name of a seeded stage"`
	Order          int    `json:"order"`
	MaxProbability int    `json:"max_probability"`
	Kind           string `json:"kind" enum:"SalesStageKind"`
}

func salesStageView(s sales.Stage) salesStageOut {
	return salesStageOut{ID: s.ID, Version: s.Version, Code: s.Code, Name: s.Name, NameEn: s.NameEn, Order: s.Order,
		MaxProbability: s.MaxProbability, Kind: string(s.Kind)}
}

// salesStageIn is the body of POST /api/v1/sales-stages.
type salesStageIn struct {
	Code           string `json:"code" oa:"required" max:"64"`
	Name           string `json:"name" oa:"required" max:"200"`
	Order          int    `json:"order" oa:"required"`
	MaxProbability int    `json:"max_probability" oa:"required"`
	Kind           string `json:"kind,omitempty" enum:"SalesStageKind" doc:"default: open"`
}

// salesStagePatchIn is the body of PATCH /api/v1/sales-stages/{id}; absent fields keep their values.
type salesStagePatchIn struct {
	Name           *string `json:"name,omitempty"`
	Order          *int    `json:"order,omitempty"`
	MaxProbability *int    `json:"max_probability,omitempty"`
}
