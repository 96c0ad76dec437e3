package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

func (h *Handler) saleRoutes() []route {
	if h.cfg.Sales == nil {
		return nil
	}
	rs := []route{
		{Method: "GET", Path: "/api/v1/sales", ID: "listSales", Tag: "sales", Summary: "List sales, newest first",
			Access: crm.PermRead, Status: 200, Out: listOut[saleOut]{}, handle: h.listSales,
			Query: withPage(
				param{Name: "status", Of: "SaleStatus"},
				param{Name: "stage_id", Type: "uuid"},
				param{Name: "owner_id", Type: "uuid"},
				param{Name: "customer_id", Type: "uuid"},
				param{Name: "vehicle_id", Type: "uuid"},
				param{Name: "external_id", Desc: "the sale with this ID in your own system"})},
		{Method: "POST", Path: "/api/v1/sales", Example: obj{"customer_id": exCustomer, "payment_method": "cash"}, ID: "openSale", Tag: "sales",
			Summary: "Open a sale for a customer; its vehicle (if any) is held for it", Access: crm.PermEditSales,
			Body: saleIn{}, Status: 201, Out: saleOut{}, ETag: true, handle: h.openSale},
		{Method: "GET", Path: "/api/v1/sales/{id}", ID: "getSale", Tag: "sales", Summary: "Get a sale",
			Access: crm.PermRead, Status: 200, Out: saleOut{}, ETag: true, handle: getByID(h.cfg.Sales.GetSale, saleView)},
		{Method: "PATCH", Path: "/api/v1/sales/{id}", Example: obj{"probability": 5, "reason": "торг"}, ID: "updateSale", IfMatch: true, Tag: "sales",
			Summary: "Move a sale to a stage (probability follows), set its probability, or edit its facts",
			Access:  crm.PermEditSales, Body: salePatchIn{}, Status: 200, Out: saleOut{}, ETag: true, handle: h.updateSale},
		{Method: "POST", Path: "/api/v1/sales/{id}/win", Example: obj{}, ID: "winSale", IfMatch: true, Tag: "sales",
			Summary: "Win a sale: the vehicle becomes sold and the customer vehicle is created", Access: crm.PermEditSales,
			Body: winIn{}, OptionalBody: true, Status: 200, Out: wonSaleOut{}, ETag: true, handle: h.winSale},
		{Method: "POST", Path: "/api/v1/sales/{id}/lose", Example: obj{"reason": "купил у конкурента"}, ID: "loseSale", IfMatch: true, Tag: "sales",
			Summary: "Lose a sale (a reason is required); its hold on the vehicle is released", Access: crm.PermEditSales,
			Body: loseIn{}, Status: 200, Out: saleOut{}, ETag: true, handle: h.loseSale},
		{Method: "POST", Path: "/api/v1/leads/{id}/convert", Example: obj{}, ID: "convertLead", IfMatch: true, Tag: "sales",
			Summary: "Convert a lead into a sale (the lead's test-drive vehicle becomes the sale's)", Access: crm.PermEditSales,
			Body: convertIn{}, OptionalBody: true, Status: 201, Out: saleOut{}, ETag: true, handle: h.convertLead},
	}
	return append(rs, h.orderRoutes()...)
}

func (h *Handler) listSales(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := queryOf(r)
	if q.Get("external_id") != "" {
		return byExternalID(w, r, h.cfg.Sales.GetSaleByExternalID, saleView)
	}
	var p crm.Problems
	sq := sales.SaleQuery{Status: sales.Status(q.Get("status")), StageID: parseIDField(&p, "stage_id", q.Get("stage_id")),
		OwnerID: parseIDField(&p, "owner_id", q.Get("owner_id")), CustomerID: parseIDField(&p, "customer_id", q.Get("customer_id")),
		VehicleID: parseIDField(&p, "vehicle_id", q.Get("vehicle_id")), Limit: pg.Limit, Cursor: pg.Cursor}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	res, err := h.cfg.Sales.ListSales(r.Context(), sq)
	if err != nil {
		return err
	}
	return writeList(w, res.Items, saleView, res.NextCursor)
}

func (h *Handler) openSale(w http.ResponseWriter, r *http.Request) error {
	var in saleIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	si := sales.OpenSaleInput{CustomerID: requireID(&p, "customer_id", in.CustomerID),
		VehicleID: parseIDField(&p, "vehicle_id", in.VehicleID), OwnerID: parseIDField(&p, "owner_id", in.OwnerID),
		StageID: parseIDField(&p, "stage_id", in.StageID), Amount: in.Amount.money(&p, "amount"),
		PaymentMethod: sales.PaymentMethod(in.PaymentMethod), Insurance: in.Insurance.insurance(&p, "insurance."),
		ServiceContract: in.ServiceContract, TradeInAppraisalID: parseIDField(&p, "trade_in_appraisal_id", in.TradeInAppraisalID),
		ExternalID: in.ExternalID, ExpectedClose: parseDate(&p, "expected_close_date", in.ExpectedClose)}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	s, err := h.cfg.Sales.OpenSale(r.Context(), si)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/sales/"+s.ID.String())
	return writeRecord(w, http.StatusCreated, s.Version, saleView(s))
}

func (h *Handler) convertLead(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[convertIn](r)
	if err != nil {
		return err
	}
	var p crm.Problems
	ci := sales.ConvertInput{VehicleID: parseIDField(&p, "vehicle_id", in.VehicleID), OwnerID: parseIDField(&p, "owner_id", in.OwnerID),
		StageID: parseIDField(&p, "stage_id", in.StageID), Amount: in.Amount.money(&p, "amount"),
		PaymentMethod: sales.PaymentMethod(in.PaymentMethod), ExternalID: in.ExternalID}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	s, err := h.cfg.Sales.ConvertLead(r.Context(), id, want, ci)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/sales/"+s.ID.String())
	return writeRecord(w, http.StatusCreated, s.Version, saleView(s))
}

// updateSale applies a PATCH in one unit of work (sales.Service.EditSale): the stage move, the probability, then
// the facts; either all of it happens or nothing does.
func (h *Handler) updateSale(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[salePatchIn](r)
	if err != nil {
		return err
	}
	var p crm.Problems
	var stageID crm.ID
	if in.StageID != nil {
		stageID = requireID(&p, "stage_id", *in.StageID)
	}
	if in.Probability != nil && (*in.Probability < 0 || *in.Probability > 100) {
		p.Add("probability", "must be 0 to 100")
	}
	c := sales.Changes{ServiceContract: in.ServiceContract}
	if in.Amount != nil {
		m := in.Amount.money(&p, "amount")
		c.Amount = &m
	}
	if in.OwnerID != nil {
		o := requireID(&p, "owner_id", *in.OwnerID)
		c.OwnerID = &o
	}
	if in.Insurance != nil {
		ins := in.Insurance.insurance(&p, "insurance.")
		c.Insurance = &ins
	}
	if in.PaymentMethod != nil {
		pm := sales.PaymentMethod(*in.PaymentMethod)
		c.PaymentMethod = &pm
	}
	if in.ExternalID != nil {
		c.ExternalID = in.ExternalID
	}
	if in.TradeInAppraisalID != nil {
		a := parseIDField(&p, "trade_in_appraisal_id", *in.TradeInAppraisalID)
		c.TradeInAppraisalID = &a
	}
	if in.CreditApplicationID != nil {
		a := parseIDField(&p, "credit_application_id", *in.CreditApplicationID)
		c.CreditApplicationID = &a
	}
	if in.ExpectedClose != nil {
		d := parseDate(&p, "expected_close_date", *in.ExpectedClose)
		c.ExpectedClose = &d
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	s, err := h.cfg.Sales.EditSale(r.Context(), id, want,
		sales.Edit{StageID: stageID, Probability: in.Probability, Reason: in.Reason, Changes: c})
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, s.Version, saleView(s))
}

func (h *Handler) winSale(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[winIn](r)
	if err != nil {
		return err
	}
	var p crm.Problems
	wi := sales.WinInput{Insurer: in.Insurer, PolicyNumber: in.PolicyNumber,
		InsuranceFrom: parseTime(&p, "insurance_from", in.InsuranceFrom), InsuranceTo: parseTime(&p, "insurance_to", in.InsuranceTo),
		ServiceContract: in.ServiceContract}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	won, err := h.cfg.Sales.WinWithContract(r.Context(), id, want, wi, h.cfg.Contracts.form())
	if err != nil {
		return err
	}
	out := wonSaleOut{saleOut: saleView(won.Sale), CustomerVehicle: customerVehicleView(won.CustomerVehicle),
		ContractBlanks: won.Blanks}
	if won.Contract.ID != (crm.ID{}) {
		doc := documentView(won.Contract)
		out.Contract = &doc
	}
	if won.ContractErr != nil {
		out.ContractError = won.ContractErr.Error()
	}
	return writeRecord(w, http.StatusOK, won.Sale.Version, out)
}

func (h *Handler) loseSale(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[loseIn](r)
	if err != nil {
		return err
	}
	s, err := h.cfg.Sales.LoseSale(r.Context(), id, want, in.Reason)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, s.Version, saleView(s))
}
