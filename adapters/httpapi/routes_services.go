package httpapi

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// serviceRoutes serve the catalog's services (labour operations), not to be confused with Go services.
func (h *Handler) serviceRoutes() []route {
	if h.cfg.Catalog == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/services", ID: "listServices", Tag: "services",
			Summary: "List the services (labour operations), by code", Access: readers, Query: withPage(), Status: 200,
			Out: listOut[serviceItemOut]{}, handle: h.listServices},
		{Method: "POST", Path: "/api/v1/services", ID: "createService", Tag: "services", Summary: "Add a service",
			Access: sellers, Body: serviceItemIn{}, Status: 201, Out: serviceItemOut{}, ETag: true, handle: h.createService},
		{Method: "GET", Path: "/api/v1/services/{id}", ID: "getService", Tag: "services", Summary: "Get a service",
			Access: readers, Status: 200, Out: serviceItemOut{}, ETag: true, handle: getByID(h.cfg.Catalog.GetService, serviceItemView)},
		{Method: "PATCH", Path: "/api/v1/services/{id}", ID: "updateService", IfMatch: true, Tag: "services",
			Summary: "Edit a service (JSON merge patch of the create body)", Access: sellers, Body: serviceItemIn{},
			Status: 200, Out: serviceItemOut{}, ETag: true, handle: h.updateService},
	}
}

func (in serviceItemIn) item(p *crm.Problems) catalog.ServiceItem {
	return catalog.ServiceItem{Code: in.Code, Name: in.Name, LabourHours: parseDecimal(p, "labour_hours", in.LabourHours),
		Price: in.Price.money(p, "price")}
}

func (h *Handler) listServices(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	all, err := h.cfg.Catalog.ListServices(r.Context())
	if err != nil {
		return err
	}
	items, next, err := paginate(all, func(s catalog.ServiceItem) string { return s.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(mapList(items, serviceItemView), next))
}

func (h *Handler) createService(w http.ResponseWriter, r *http.Request) error {
	var in serviceItemIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	card := in.item(&p)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	s, err := h.cfg.Catalog.CreateService(r.Context(), card)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/services/"+s.ID.String())
	return writeRecord(w, http.StatusCreated, s.Version, serviceItemView(s))
}

// updateService applies a merge patch of the service's create body.
func (h *Handler) updateService(w http.ResponseWriter, r *http.Request) error {
	return patchByID(h.cfg.Catalog.GetService, serviceItemInOf, nil,
		func(ctx context.Context, id crm.ID, version int64, _ catalog.ServiceItem, in serviceItemIn) (catalog.ServiceItem, error) {
			var p crm.Problems
			card := in.item(&p)
			if err := p.Err("httpapi"); err != nil {
				return catalog.ServiceItem{}, err
			}
			card.ID, card.Version = id, version
			return h.cfg.Catalog.UpdateService(ctx, card)
		}, serviceItemView)(w, r)
}

// serviceItemInOf is the create body of a stored service, the base a merge patch applies to.
func serviceItemInOf(cur catalog.ServiceItem) serviceItemIn {
	return serviceItemIn{Code: cur.Code, Name: cur.Name, LabourHours: decimalInOf(cur.LabourHours), Price: moneyInOf(cur.Price)}
}
