package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
)

func (h *Handler) customerVehicleRoutes() []route {
	if h.cfg.CustomerVehicles == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/customer-vehicles", ID: "listCustomerVehicles", Tag: "customer vehicles",
			Summary: "List the dealer's customer vehicles, or those of a customer (customer_id) or of a catalog vehicle (vehicle_id), oldest first",
			Access:  crm.PermRead, Status: 200, Out: listOut[customerVehicleOut]{}, handle: h.listCustomerVehicles,
			Query: withPage(
				param{Name: "customer_id", Type: "uuid", Desc: "only this customer's vehicles"},
				param{Name: "vehicle_id", Type: "uuid"})},
		{Method: "GET", Path: "/api/v1/customer-vehicles/{id}", ID: "getCustomerVehicle", Tag: "customer vehicles",
			Summary: "Get a customer vehicle", Access: crm.PermRead, Status: 200, Out: customerVehicleOut{}, ETag: true,
			handle: getByID(h.cfg.CustomerVehicles.GetCustomerVehicle, customerVehicleView)},
	}
}

func (h *Handler) listCustomerVehicles(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var p crm.Problems
	if q.Get("customer_id") == "" && q.Get("vehicle_id") == "" {
		// The dealer's whole list, oldest first, with the store's keyset cursor.
		page, err := h.cfg.CustomerVehicles.ListCustomerVehicles(r.Context(), pg.Cursor, pg.Limit)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, listOf(mapList(page.Items, customerVehicleView), page.NextCursor))
	}
	customer := parseIDField(&p, "customer_id", q.Get("customer_id"))
	vehicle := parseIDField(&p, "vehicle_id", q.Get("vehicle_id"))
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	var all []aftersales.CustomerVehicle
	if q.Get("customer_id") != "" {
		all, err = h.cfg.CustomerVehicles.ListCustomerVehiclesByCustomer(r.Context(), customer)
	} else {
		all, err = h.cfg.CustomerVehicles.ListCustomerVehiclesByVehicle(r.Context(), vehicle)
	}
	if err != nil {
		return err
	}
	if q.Get("customer_id") != "" && q.Get("vehicle_id") != "" {
		kept := all[:0]
		for _, cv := range all {
			if cv.VehicleID == vehicle {
				kept = append(kept, cv)
			}
		}
		all = kept
	}
	items, next, err := paginate(all, func(cv aftersales.CustomerVehicle) string { return cv.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(mapList(items, customerVehicleView), next))
}
