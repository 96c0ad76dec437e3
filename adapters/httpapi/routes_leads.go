package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

func (h *Handler) leadRoutes() []route {
	if h.cfg.Leads == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/leads", ID: "listLeads", Tag: "leads", Summary: "List leads, newest first",
			Access: crm.PermRead, Status: 200, Out: listOut[leadOut]{}, handle: h.listLeads,
			Query: withPage(
				param{Name: "stage", Desc: "a lead-stage code"},
				param{Name: "source", Of: "LeadSource"},
				param{Name: "need_type", Desc: "a need-type code"},
				param{Name: "owner_id", Type: "uuid"},
				param{Name: "customer_id", Type: "uuid"},
				param{Name: "external_id", Desc: "the lead with this ID in your own system"},
				param{Name: "phone", Desc: "a phone in any usual form (8 916 …, +7 916 …, 916-123-45-67) or its last 7 digits"},
				param{Name: "q", Desc: "free text over name, phones, e-mails, interest and comments"})},
		{Method: "POST", Path: "/api/v1/leads", Example: obj{"name": "Иван Петров", "phone": "+7 916 123-45-67", "source": "website", "need_type": "car_purchase", "comments": "интересует Vesta в кредит"}, ID: "createLead", Tag: "leads",
			Summary: "Create a lead (duplicates by phone and e-mail are reported on it)",
			Access:  crm.PermEditLeads, Body: leadIn{}, Status: 201, Out: leadOut{}, ETag: true, handle: h.createLead},
		{Method: "GET", Path: "/api/v1/leads/{id}", ID: "getLead", Tag: "leads", Summary: "Get a lead",
			Access: crm.PermRead, Status: 200, Out: leadOut{}, ETag: true, handle: getByID(h.cfg.Leads.GetLead, leadView)},
		{Method: "PATCH", Path: "/api/v1/leads/{id}", Example: obj{"comments": "перезвонить"}, ID: "updateLead", IfMatch: true, Tag: "leads",
			Summary: "Edit a lead (JSON merge patch of the create body; owner_id reassigns)",
			Access:  crm.PermEditLeads, Body: leadIn{}, Status: 200, Out: leadOut{}, ETag: true, handle: h.updateLead},
		{Method: "POST", Path: "/api/v1/leads/{id}/link-customer", Example: obj{"customer_id": exDuplicate}, ID: "linkLeadCustomer", IfMatch: true, Tag: "leads",
			Summary: "Confirm that a customer (one of the lead's duplicates, say) is the lead's person and link them",
			Access:  crm.PermEditLeads, Body: leadLinkIn{}, Status: 200, Out: leadOut{}, ETag: true, handle: h.linkLeadCustomer},
		{Method: "POST", Path: "/api/v1/leads/{id}/stage", Example: obj{"stage": "in_work"}, ID: "moveLeadStage", IfMatch: true, Tag: "leads",
			Summary: "Move a lead to another stage (disqualified needs a reason)",
			Access:  crm.PermEditLeads, Body: leadStageMoveIn{}, Status: 200, Out: leadOut{}, ETag: true, handle: h.moveLeadStage},
		{Method: "GET", Path: "/api/v1/leads/{id}/test-drives", ID: "listLeadTestDrives", Tag: "test drives",
			Summary: "List the test drives booked from a lead, by start", Access: crm.PermRead, Query: withPage(),
			Status: 200, Out: listOut[testDriveOut]{}, handle: h.listLeadTestDrives},
		{Method: "POST", Path: "/api/v1/leads/{id}/test-drives", Example: obj{"vehicle_id": exVehicle, "start": exStart, "end": exEnd}, ID: "bookLeadTestDrive", Tag: "test drives",
			Summary: "Book a test drive from a lead; the vehicle becomes reserved (an overlap is a 409)",
			Access:  crm.PermEditLeads, Body: testDriveIn{}, Status: 201, Out: testDriveOut{}, ETag: true, handle: h.bookLeadTestDrive},
	}
}

func (h *Handler) listLeads(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := queryOf(r)
	if q.Get("external_id") != "" {
		return byExternalID(w, r, h.cfg.Leads.GetLeadByExternalID, leadView)
	}
	var p crm.Problems
	lq := leads.LeadQuery{Stage: q.Get("stage"), Source: leads.Source(q.Get("source")), NeedType: q.Get("need_type"),
		OwnerID: parseIDField(&p, "owner_id", q.Get("owner_id")), CustomerID: parseIDField(&p, "customer_id", q.Get("customer_id")),
		Phone: q.Get("phone"), Text: q.Get("q"), Limit: pg.Limit, Cursor: pg.Cursor}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	res, err := h.cfg.Leads.ListLeads(r.Context(), lq)
	if err != nil {
		return err
	}
	return writeList(w, res.Items, leadView, res.NextCursor)
}

func (h *Handler) createLead(w http.ResponseWriter, r *http.Request) error {
	var in leadIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	l, err := h.cfg.Leads.CreateLead(r.Context(), in.input())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/leads/"+l.ID.String())
	return writeRecord(w, http.StatusCreated, l.Version, leadView(l))
}

// updateLead applies a merge patch of the lead's create body.
func (h *Handler) updateLead(w http.ResponseWriter, r *http.Request) error {
	return patchByID(h.cfg.Leads.GetLead, leadInOf, contactReplaces,
		func(ctx context.Context, id crm.ID, version int64, _ leads.Lead, in leadIn) (leads.Lead, error) {
			return h.cfg.Leads.UpdateLead(ctx, id, version, in.input())
		}, leadView)(w, r)
}

func (h *Handler) moveLeadStage(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[leadStageMoveIn](r)
	if err != nil {
		return err
	}
	if in.Stage == "" {
		return invalidField("stage", "is required")
	}
	l, err := h.cfg.Leads.MoveLeadStage(r.Context(), id, want, in.Stage, in.Reason)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, l.Version, leadView(l))
}

func (h *Handler) listLeadTestDrives(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	if _, err := h.cfg.Leads.GetLead(r.Context(), id); err != nil {
		return err
	}
	all, err := h.cfg.Leads.ListLeadTestDrives(r.Context(), id)
	if err != nil {
		return err
	}
	return writeTestDrivePage(w, all, pg)
}

func (h *Handler) bookLeadTestDrive(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in testDriveIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	b := in.booking(&p, h.clock.Now())
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	b.LeadID = id
	return h.book(w, r, b)
}

// leadLinkIn is the body of POST /api/v1/leads/{id}/link-customer.
type leadLinkIn struct {
	CustomerID string `json:"customer_id" oa:"required" doc:"the customer confirmed to be the lead's person"`
}

func (h *Handler) linkLeadCustomer(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[leadLinkIn](r)
	if err != nil {
		return err
	}
	var p crm.Problems
	customer := parseIDField(&p, "customer_id", in.CustomerID)
	if in.CustomerID == "" {
		p.Add("customer_id", "is required")
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	l, err := h.cfg.Leads.LinkLeadCustomer(r.Context(), id, want, customer)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, l.Version, leadView(l))
}

// byExternalID answers a list request filtered by external_id: the one record with it, or an empty list.
func byExternalID[T, O any](w http.ResponseWriter, r *http.Request, get func(context.Context, string) (T, error), view func(T) O) error {
	v, err := get(r.Context(), queryOf(r).Get("external_id"))
	if errors.Is(err, crm.ErrNotFound) {
		return writeJSON(w, http.StatusOK, listOf([]O{}, ""))
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf([]O{view(v)}, ""))
}
