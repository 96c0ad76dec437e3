package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// The sales-stage directory registers its routes itself, as every section added by the recipe in
// docs/architecture.md does: no list in route.go names it.
func init() { registerRoutes((*Handler).salesStageRoutes) }

// salesStageRoutes serve the sales-stage directory (order number, maximum probability, kind) when Config.Sales is
// set.
func (h *Handler) salesStageRoutes() []route {
	if h.cfg.Sales == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/sales-stages", ID: "listSalesStages", Tag: "sales stages",
			Summary: "List the sales stages by order", Access: crm.PermRead, Query: withPage(), Status: 200,
			Out: listOut[salesStageOut]{}, handle: h.listSalesStages},
		{Method: "POST", Path: "/api/v1/sales-stages", Example: obj{"code": "delivery", "name": "Выдача автомобиля", "order": 10, "max_probability": 95}, ID: "createSalesStage", Tag: "sales stages",
			Summary: "Add a sales stage", Access: crm.PermEditDirectories, Body: salesStageIn{}, Status: 201, Out: salesStageOut{},
			ETag: true, handle: h.createSalesStage},
		{Method: "GET", Path: "/api/v1/sales-stages/{id}", ID: "getSalesStage", Tag: "sales stages",
			Summary: "Get a sales stage", Access: crm.PermRead, Status: 200, Out: salesStageOut{}, ETag: true,
			handle: getByID(h.cfg.Sales.GetStage, salesStageView)},
		{Method: "PATCH", Path: "/api/v1/sales-stages/{id}", Example: obj{"name": "Новая"}, ID: "updateSalesStage", IfMatch: true, Tag: "sales stages",
			Summary: "Rename, renumber or re-cap a sales stage", Access: crm.PermEditDirectories, Body: salesStagePatchIn{}, Status: 200,
			Out: salesStageOut{}, ETag: true, handle: h.updateSalesStage},
	}
}

func (h *Handler) listSalesStages(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	all, err := h.cfg.Sales.ListStages(r.Context())
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(s sales.Stage) string { return s.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, salesStageView, next)
}

func (h *Handler) createSalesStage(w http.ResponseWriter, r *http.Request) error {
	var in salesStageIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Kind == "" {
		in.Kind = string(sales.StageOpen)
	}
	st, err := h.cfg.Sales.CreateStage(r.Context(), sales.StageInput{Code: in.Code, Name: in.Name, Order: in.Order,
		MaxProbability: in.MaxProbability, Kind: sales.StageKind(in.Kind)})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/sales-stages/"+st.ID.String())
	return writeRecord(w, http.StatusCreated, st.Version, salesStageView(st))
}

func (h *Handler) updateSalesStage(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[salesStagePatchIn](r)
	if err != nil {
		return err
	}
	var st sales.Stage
	err = retryStale(want, func() error {
		cur, err := h.cfg.Sales.GetStage(r.Context(), id)
		if err != nil {
			return err
		}
		u := sales.StageUpdate{Name: cur.Name, Order: cur.Order, MaxProbability: cur.MaxProbability}
		if in.Name != nil {
			u.Name = *in.Name
		}
		if in.Order != nil {
			u.Order = *in.Order
		}
		if in.MaxProbability != nil {
			u.MaxProbability = *in.MaxProbability
		}
		st, err = h.cfg.Sales.UpdateStage(r.Context(), id, orVersion(want, cur.Version), u)
		return err
	})
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, st.Version, salesStageView(st))
}
