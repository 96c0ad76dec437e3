package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// directoryRoutes serve the leads' per-dealer directories: need types and lead stages, addressed by code.
func (h *Handler) directoryRoutes() []route {
	if h.cfg.Leads == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/need-types", ID: "listNeedTypes", Tag: "directories",
			Summary: "List the need-type directory (inactive entries included), by order", Access: crm.PermRead,
			Query: withPage(), Status: 200, Out: listOut[needTypeOut]{}, handle: h.listNeedTypes},
		{Method: "POST", Path: "/api/v1/need-types", Example: obj{"code": "insurance", "name": "Страхование", "order": 70}, ID: "createNeedType", Tag: "directories",
			Summary: "Add a need type", Access: crm.PermEditDirectories, Body: needTypeIn{}, Status: 201, Out: needTypeOut{}, ETag: true,
			handle: h.createNeedType},
		{Method: "PATCH", Path: "/api/v1/need-types/{code}", Example: obj{"name": "Парк"}, ID: "updateNeedType", IfMatch: true, Tag: "directories",
			Summary: "Rename, reorder, deactivate or reactivate a need type", Access: crm.PermEditDirectories, Body: needTypePatchIn{},
			Status: 200, Out: needTypeOut{}, ETag: true, handle: h.updateNeedType},
		{Method: "GET", Path: "/api/v1/lead-stages", ID: "listLeadStages", Tag: "directories",
			Summary: "List the lead stages, by order", Access: crm.PermRead, Query: withPage(), Status: 200,
			Out: listOut[leadStageOut]{}, handle: h.listLeadStages},
		{Method: "PATCH", Path: "/api/v1/lead-stages/{code}", Example: obj{"name": "В работе"}, ID: "renameLeadStage", IfMatch: true, Tag: "directories",
			Summary: "Give a lead stage the dealer's own name", Access: crm.PermEditDirectories, Body: leadStagePatchIn{}, Status: 200,
			Out: leadStageOut{}, ETag: true, handle: h.renameLeadStage},
	}
}

func (h *Handler) listNeedTypes(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	all, err := h.cfg.Leads.ListNeedTypes(r.Context())
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(n leads.NeedType) string { return n.Code }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, needTypeView, next)
}

func (h *Handler) createNeedType(w http.ResponseWriter, r *http.Request) error {
	var in needTypeIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	n, err := h.cfg.Leads.CreateNeedType(r.Context(), leads.NeedType{Code: in.Code, Name: in.Name, Order: in.Order})
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusCreated, n.Version, needTypeView(n))
}

func (h *Handler) updateNeedType(w http.ResponseWriter, r *http.Request) error {
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in needTypePatchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	n, err := h.cfg.Leads.UpdateNeedType(r.Context(), r.PathValue("code"), want,
		leads.NeedTypeChange{Name: in.Name, Order: in.Order, Active: in.Active})
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, n.Version, needTypeView(n))
}

func (h *Handler) listLeadStages(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	all, err := h.cfg.Leads.ListLeadStages(r.Context())
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(s leads.LeadStage) string { return s.Code }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, leadStageView, next)
}

func (h *Handler) renameLeadStage(w http.ResponseWriter, r *http.Request) error {
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in leadStagePatchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	s, err := h.cfg.Leads.RenameLeadStage(r.Context(), r.PathValue("code"), want, in.Name)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, s.Version, leadStageView(s))
}
