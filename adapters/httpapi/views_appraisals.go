package httpapi

import (
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// appraisalOut is an appraisal sheet (Оценочный лист).
type appraisalOut struct {
	ID              crm.ID                   `json:"id"`
	Version         int64                    `json:"version"`
	State           string                   `json:"state" enum:"AppraisalState"`
	VIN             string                   `json:"vin"`
	Make            string                   `json:"make" max:"200"`
	Model           string                   `json:"model" max:"200"`
	Year            int                      `json:"year"`
	Mileage         int                      `json:"mileage" doc:"km"`
	Color           string                   `json:"color" max:"200"`
	Owner           string                   `json:"owner" doc:"the owner as the registration document names them" max:"200"`
	LeadID          *crm.ID                  `json:"lead_id"`
	CustomerID      *crm.ID                  `json:"customer_id"`
	SaleID          *crm.ID                  `json:"sale_id" doc:"the sale the car came from"`
	Elements        []appraisalElementOut    `json:"elements" doc:"the checklist, grouped by area"`
	ReferencePrice  crm.Money                `json:"reference_price" doc:"the market price in good condition"`
	Deductions      crm.Money                `json:"deductions" doc:"the sum of the elements' deductions"`
	Adjustments     []appraisalAdjustmentIO  `json:"adjustments"`
	AdjustmentTotal crm.Money                `json:"adjustment_total"`
	ProposedPrice   crm.Money                `json:"proposed_price" doc:"reference − deductions + adjustments"`
	Justification   string                   `json:"justification" max:"2000"`
	PriceHistory    []appraisalPriceOut      `json:"price_history" doc:"every change of the price, oldest first"`
	History         []appraisalTransitionOut `json:"history" doc:"every change of state, oldest first"`
	TradeInSaleID   *crm.ID                  `json:"trade_in_sale_id" doc:"the sale that took the approved sheet as its trade-in"`
	FilesURL        string                   `json:"files_url"`
	CreatedAt       stamp                    `json:"created_at"`
	UpdatedAt       stamp                    `json:"updated_at"`
}

// appraisalElementOut is one checklist element.
type appraisalElementOut struct {
	ID        crm.ID    `json:"id"`
	Area      string    `json:"area" enum:"AppraisalArea"`
	Name      string    `json:"name" max:"200"`
	Grade     string    `json:"grade" enum:"AppraisalGrade"`
	Note      string    `json:"note" max:"2000"`
	Deduction crm.Money `json:"deduction"`
}

// appraisalAdjustmentIO is a price adjustment: positive adds to the price, negative takes off.
type appraisalAdjustmentIO struct {
	Amount moneyIn `json:"amount" oa:"required" doc:"signed"`
	Reason string  `json:"reason" oa:"required" max:"2000"`
}

// appraisalPriceOut is one change of a sheet's price.
type appraisalPriceOut struct {
	At              stamp     `json:"at"`
	By              *crm.ID   `json:"by"`
	What            string    `json:"what" doc:"what changed: created, reference_price, adjustments, element <name> (<area>)"`
	ReferencePrice  crm.Money `json:"reference_price"`
	Deductions      crm.Money `json:"deductions"`
	AdjustmentTotal crm.Money `json:"adjustment_total"`
	ProposedPrice   crm.Money `json:"proposed_price"`
}

// appraisalTransitionOut is one change of a sheet's state.
type appraisalTransitionOut struct {
	At      stamp   `json:"at"`
	By      *crm.ID `json:"by"`
	From    string  `json:"from" doc:"empty for the creation"`
	To      string  `json:"to" enum:"AppraisalState"`
	Comment string  `json:"comment" max:"2000"`
}

func appraisalView(a appraisal.Appraisal) appraisalOut {
	out := appraisalOut{ID: a.ID, Version: a.Version, State: string(a.State), VIN: string(a.VIN), Make: a.Make, Model: a.Model,
		Year: a.Year, Mileage: a.Mileage, Color: a.Color, Owner: a.Owner, LeadID: idOut(a.LeadID), CustomerID: idOut(a.CustomerID),
		SaleID: idOut(a.SaleID), ReferencePrice: a.ReferencePrice, Deductions: a.Deductions, AdjustmentTotal: a.AdjustmentTotal(),
		ProposedPrice: a.ProposedPrice, Justification: a.Justification, TradeInSaleID: idOut(a.TradeInSaleID),
		FilesURL: "/api/v1/appraisals/" + a.ID.String() + "/files", CreatedAt: stampOf(a.CreatedAt), UpdatedAt: stampOf(a.UpdatedAt),
		Elements: make([]appraisalElementOut, len(a.Elements)), Adjustments: make([]appraisalAdjustmentIO, len(a.Adjustments)),
		PriceHistory: make([]appraisalPriceOut, len(a.PriceHistory)), History: make([]appraisalTransitionOut, len(a.History))}
	for i, e := range a.Elements {
		out.Elements[i] = appraisalElementOut{ID: e.ID, Area: string(e.Area), Name: e.Name, Grade: string(e.Grade), Note: e.Note,
			Deduction: e.Deduction}
	}
	for i, adj := range a.Adjustments {
		out.Adjustments[i] = appraisalAdjustmentIO{Amount: *moneyInOf(adj.Amount), Reason: adj.Reason}
	}
	for i, p := range a.PriceHistory {
		out.PriceHistory[i] = appraisalPriceOut{At: stampOf(p.At), By: idOut(p.By), What: p.What, ReferencePrice: p.Reference,
			Deductions: p.Deductions, AdjustmentTotal: p.Adjustment, ProposedPrice: p.Proposed}
	}
	for i, h := range a.History {
		out.History[i] = appraisalTransitionOut{At: stampOf(h.At), By: idOut(h.By), From: string(h.From), To: string(h.To),
			Comment: h.Comment}
	}
	return out
}

// appraisalIn is the body of POST /api/v1/appraisals.
type appraisalIn struct {
	VIN            string   `json:"vin" oa:"required" doc:"checked under the dealer's VIN policy"`
	Make           string   `json:"make" oa:"required" max:"200"`
	Model          string   `json:"model" oa:"required" max:"200"`
	Year           int      `json:"year" oa:"required"`
	Mileage        int      `json:"mileage" oa:"required" doc:"km"`
	Color          string   `json:"color,omitempty" max:"200"`
	Owner          string   `json:"owner,omitempty" max:"200"`
	LeadID         string   `json:"lead_id,omitempty" format:"uuid" doc:"the lead the car came from"`
	CustomerID     string   `json:"customer_id,omitempty" format:"uuid"`
	SaleID         string   `json:"sale_id,omitempty" format:"uuid" doc:"the sale the car came from"`
	ReferencePrice *moneyIn `json:"reference_price" oa:"required" doc:"the market price in good condition"`
	Justification  string   `json:"justification,omitempty" max:"2000"`
}

// appraisalPatchIn is the body of PATCH /api/v1/appraisals/{id}: the car, the reference price, the adjustments
// (replaced whole) and the justification of a draft.
type appraisalPatchIn struct {
	VIN            *string                  `json:"vin,omitempty"`
	Make           *string                  `json:"make,omitempty" max:"200"`
	Model          *string                  `json:"model,omitempty" max:"200"`
	Year           *int                     `json:"year,omitempty"`
	Mileage        *int                     `json:"mileage,omitempty"`
	Color          *string                  `json:"color,omitempty" max:"200"`
	Owner          *string                  `json:"owner,omitempty" max:"200"`
	ReferencePrice *moneyIn                 `json:"reference_price,omitempty"`
	Adjustments    *[]appraisalAdjustmentIO `json:"adjustments,omitempty" doc:"replaces the adjustments; [] clears them"`
	Justification  *string                  `json:"justification,omitempty" max:"2000"`
}

// appraisalElementIn is the body of PATCH /api/v1/appraisals/{id}/elements/{element_id}.
type appraisalElementIn struct {
	Grade     *string  `json:"grade,omitempty" enum:"AppraisalGrade"`
	Note      *string  `json:"note,omitempty" max:"2000"`
	Deduction *moneyIn `json:"deduction,omitempty" doc:"taken off the reference price; not negative"`
}

// appraisalActionIn is the optional body of POST /api/v1/appraisals/{id}/{approve|reject}.
type appraisalActionIn struct {
	Comment string `json:"comment,omitempty" doc:"required to reject" max:"2000"`
}

// appraisalSubmitIn is the optional body of POST /api/v1/appraisals/{id}/submit.
type appraisalSubmitIn struct {
	Comment       string  `json:"comment,omitempty" max:"2000"`
	Justification *string `json:"justification,omitempty" doc:"sets the justification first; a sheet is submitted only with one" max:"2000"`
}

// appraisalTemplateOut is the dealer's checklist template.
type appraisalTemplateOut struct {
	Version  int64                     `json:"version" doc:"0 while the dealer uses the default template"`
	Elements []appraisalTemplateItemIO `json:"elements"`
}

// appraisalTemplateItemIO is one element of the template.
type appraisalTemplateItemIO struct {
	Area string `json:"area" enum:"AppraisalArea" oa:"required"`
	Name string `json:"name" oa:"required" max:"200"`
}

// appraisalTemplateIn is the body of PUT /api/v1/appraisal-template.
type appraisalTemplateIn struct {
	Elements []appraisalTemplateItemIO `json:"elements" oa:"required"`
}

func appraisalTemplateView(t appraisal.Template) appraisalTemplateOut {
	out := appraisalTemplateOut{Version: t.Version, Elements: make([]appraisalTemplateItemIO, len(t.Items))}
	for i, it := range t.Items {
		out.Elements[i] = appraisalTemplateItemIO{Area: string(it.Area), Name: it.Name}
	}
	return out
}

// fileUploadIn describes the multipart body of POST /api/v1/appraisals/{id}/files.
type fileUploadIn struct {
	File string `json:"file" format:"binary" oa:"required" doc:"one image (JPEG, PNG, GIF, WebP, BMP) or PDF, at most 20 MiB; the type is sniffed from the bytes"`
}

// settlementOut is how a sale is paid: its total, the credit lines against it (trade-in, bank credit), and the
// remainder the buyer pays.
type settlementOut struct {
	SaleID    crm.ID      `json:"sale_id"`
	Total     crm.Money   `json:"total" doc:"the order's gross total, or the sale's amount without an order"`
	TradeIn   *tradeInOut `json:"trade_in" doc:"the trade-in credit; null without one"`
	Credit    *creditOut  `json:"credit" doc:"the bank credit funding the sale; null without one"`
	Remainder crm.Money   `json:"remainder" doc:"what the buyer pays beyond the credits"`
}

// tradeInOut is the trade-in credit line of a sale.
type tradeInOut struct {
	AppraisalID crm.ID    `json:"appraisal_id"`
	Vehicle     string    `json:"vehicle" doc:"the car as the contract prints it"`
	Amount      crm.Money `json:"amount" doc:"the approved sheet's proposed price"`
}

// creditOut is the bank-credit line of a sale.
type creditOut struct {
	ApplicationID crm.ID    `json:"application_id"`
	Bank          string    `json:"bank"`
	Amount        crm.Money `json:"amount" doc:"paid by the bank"`
	TermMonths    int       `json:"term_months"`
}

func settlementView(id crm.ID, s sales.Settlement) settlementOut {
	out := settlementOut{SaleID: id, Total: s.Total, Remainder: s.Remainder}
	if s.Credit != nil {
		out.Credit = &creditOut{ApplicationID: s.Credit.ApplicationID, Bank: s.Credit.Bank, Amount: s.Credit.Amount,
			TermMonths: s.Credit.TermMonths}
	}
	if s.TradeIn != nil {
		out.TradeIn = &tradeInOut{AppraisalID: s.TradeIn.AppraisalID, Vehicle: s.TradeIn.Vehicle, Amount: s.TradeIn.Amount}
	}
	return out
}
