package httpapi

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// labourRoutes serve the catalog's labour operations (catalog.Labour) as the HTTP resource "services"; the
// route paths, operation IDs and JSON (serviceItemIn/Out) keep that external name.
func (h *Handler) labourRoutes() []route {
	if h.cfg.Catalog == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/services", ID: "listServices", Tag: "services",
			Summary: "List the services (labour operations), by code", Access: crm.PermRead, Query: withPage(), Status: 200,
			Out: listOut[serviceItemOut]{}, handle: h.listLabours},
		{Method: "POST", Path: "/api/v1/services", Example: obj{"code": "DIAG-EL", "name": "Компьютерная диагностика", "labour_hours": "1.0", "price": obj{"amount": "7500.00", "currency": "RUB"}}, ID: "createService", Tag: "services", Summary: "Add a service",
			Access: crm.PermEditCatalog, Body: serviceItemIn{}, Status: 201, Out: serviceItemOut{}, ETag: true, handle: h.createLabour},
		{Method: "GET", Path: "/api/v1/services/{id}", ID: "getService", Tag: "services", Summary: "Get a service",
			Access: crm.PermRead, Status: 200, Out: serviceItemOut{}, ETag: true, handle: getByID(h.cfg.Catalog.GetLabour, serviceItemView)},
		{Method: "PATCH", Path: "/api/v1/services/{id}", Example: obj{"name": "ТО"}, ID: "updateService", IfMatch: true, Tag: "services",
			Summary: "Edit a service (JSON merge patch of the create body)", Access: crm.PermEditCatalog, Body: serviceItemIn{},
			Status: 200, Out: serviceItemOut{}, ETag: true, handle: h.updateLabour},
	}
}

func (in serviceItemIn) item(p *crm.Problems) catalog.Labour {
	return catalog.Labour{Code: in.Code, Name: in.Name, LabourHours: parseDecimal(p, "labour_hours", in.LabourHours),
		Price: in.Price.money(p, "price")}
}

func (h *Handler) listLabours(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	all, err := h.cfg.Catalog.ListLabours(r.Context())
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(s catalog.Labour) string { return s.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeList(w, items, serviceItemView, next)
}

func (h *Handler) createLabour(w http.ResponseWriter, r *http.Request) error {
	var in serviceItemIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	card := in.item(&p)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	s, err := h.cfg.Catalog.CreateLabour(r.Context(), card)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/services/"+s.ID.String())
	return writeRecord(w, http.StatusCreated, s.Version, serviceItemView(s))
}

// updateLabour applies a merge patch of the service's create body.
func (h *Handler) updateLabour(w http.ResponseWriter, r *http.Request) error {
	return patchByID(h.cfg.Catalog.GetLabour, serviceItemInOf, nil,
		func(ctx context.Context, id crm.ID, version int64, _ catalog.Labour, in serviceItemIn) (catalog.Labour, error) {
			var p crm.Problems
			card := in.item(&p)
			if err := p.Err("httpapi"); err != nil {
				return catalog.Labour{}, err
			}
			return h.cfg.Catalog.UpdateLabour(ctx, id, version, card)
		}, serviceItemView)(w, r)
}

// serviceItemInOf is the create body of a stored labour operation, the base a merge patch applies to.
func serviceItemInOf(cur catalog.Labour) serviceItemIn {
	return serviceItemIn{Code: cur.Code, Name: cur.Name, LabourHours: decimalInOf(cur.LabourHours), Price: moneyInOf(cur.Price)}
}
