package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

func (h *Handler) orderRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/v1/sales/{id}/order", ID: "getSaleOrder", Tag: "orders",
			Summary: "Get the order of a sale (404 when it has none)", Access: crm.PermRead, Status: 200, Out: orderOut{},
			ETag: true, handle: h.getSaleOrder},
		{Method: "POST", Path: "/api/v1/sales/{id}/order", Example: obj{}, ID: "createOrder", Tag: "orders",
			Summary: "Create the order of an open sale (one per sale)", Access: crm.PermEditSales, Body: orderIn{}, OptionalBody: true,
			Status: 201, Out: orderOut{}, ETag: true, handle: h.createOrder},
		{Method: "GET", Path: "/api/v1/orders/{id}", ID: "getOrder", Tag: "orders", Summary: "Get an order with its lines",
			Access: crm.PermRead, Status: 200, Out: orderOut{}, ETag: true, handle: getByID(h.cfg.Sales.GetOrder, orderView)},
		{Method: "POST", Path: "/api/v1/orders/{id}/lines", Example: obj{"kind": "other", "description": "Сбор", "unit_price": obj{"amount": "100", "currency": "RUB"}}, ID: "addOrderLine", IfMatch: true, Tag: "orders",
			Summary: "Add a priced line; a vehicle line holds the vehicle for the sale", Access: crm.PermEditSales, Body: lineIn{},
			Status: 201, Out: orderOut{}, ETag: true, handle: h.addOrderLine},
		{Method: "PATCH", Path: "/api/v1/orders/{id}/lines/{line_id}", Example: obj{"kind": "accessory", "description": "Коврики", "unit_price": obj{"amount": "4000", "currency": "RUB"}}, ID: "updateOrderLine", IfMatch: true, Tag: "orders",
			Summary: "Replace and reprice a line", Access: crm.PermEditSales, Body: lineIn{}, Status: 200, Out: orderOut{},
			ETag: true, handle: h.updateOrderLine},
		{Method: "DELETE", Path: "/api/v1/orders/{id}/lines/{line_id}", ID: "removeOrderLine", IfMatch: true, Tag: "orders",
			Summary: "Remove a line; removing the vehicle line releases the vehicle", Access: crm.PermEditSales, Status: 200,
			Out: orderOut{}, ETag: true, handle: h.removeOrderLine},
	}
}

func (h *Handler) getSaleOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := h.cfg.Sales.GetSaleOrder(r.Context(), id)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, o.Version, orderView(o))
}

func (h *Handler) createOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in orderIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var cur crm.Currency
	if in.Currency != "" {
		if cur, err = crm.ParseCurrency(in.Currency); err != nil {
			return err
		}
	}
	o, err := h.cfg.Sales.CreateOrder(r.Context(), id, cur)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/orders/"+o.ID.String())
	return writeRecord(w, http.StatusCreated, o.Version, orderView(o))
}

// orderChange reads the order id, If-Match and (when body is not nil) a line body, then writes through do with
// the If-Match version (0 without one: unconditional), which the sales service checks in its unit of work.
func (h *Handler) orderChange(w http.ResponseWriter, r *http.Request, status int, body *lineIn,
	do func(id crm.ID, version int64, in sales.LineInput) (sales.Order, error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in sales.LineInput
	if body != nil {
		if err := decodeJSON(r, body); err != nil {
			return err
		}
		var p crm.Problems
		in = body.input(&p)
		if err := p.Err("httpapi"); err != nil {
			return err
		}
	}
	o, err := do(id, want, in)
	if err != nil {
		return err
	}
	return writeRecord(w, status, o.Version, orderView(o))
}

func (h *Handler) addOrderLine(w http.ResponseWriter, r *http.Request) error {
	return h.orderChange(w, r, http.StatusCreated, &lineIn{}, func(id crm.ID, version int64, in sales.LineInput) (sales.Order, error) {
		o, _, err := h.cfg.Sales.AddOrderLine(r.Context(), id, version, in)
		return o, err
	})
}

func (h *Handler) updateOrderLine(w http.ResponseWriter, r *http.Request) error {
	lineID, err := pathID(r, "line_id")
	if err != nil {
		return err
	}
	return h.orderChange(w, r, http.StatusOK, &lineIn{}, func(id crm.ID, version int64, in sales.LineInput) (sales.Order, error) {
		return h.cfg.Sales.UpdateOrderLine(r.Context(), id, version, lineID, in)
	})
}

func (h *Handler) removeOrderLine(w http.ResponseWriter, r *http.Request) error {
	lineID, err := pathID(r, "line_id")
	if err != nil {
		return err
	}
	return h.orderChange(w, r, http.StatusOK, nil, func(id crm.ID, version int64, _ sales.LineInput) (sales.Order, error) {
		return h.cfg.Sales.RemoveOrderLine(r.Context(), id, version, lineID)
	})
}
