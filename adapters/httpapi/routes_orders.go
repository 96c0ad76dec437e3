package httpapi

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

func (h *Handler) orderRoutes() []route {
	move := func(path, id, summary string, fn func(context.Context, crm.ID, int64) (sales.Order, error)) route {
		return route{Method: "POST", Path: "/api/v1/orders/{id}/" + path, Example: obj{}, ID: id, IfMatch: true, Tag: "orders",
			Summary: summary, Access: crm.PermEditSales, Body: orderActionIn{}, OptionalBody: true, Status: 200,
			Out: orderOut{}, ETag: true, handle: h.moveOrder(fn)}
	}
	return []route{
		{Method: "GET", Path: "/api/v1/orders", ID: "listOrders", Tag: "orders",
			Summary: "The Orders section: list orders, newest first", Access: crm.PermRead, Status: 200,
			Out: listOut[orderOut]{}, handle: h.listOrders, Query: withPage(
				param{Name: "status", Desc: "draft, confirmed, paid, delivered or cancelled"},
				param{Name: "sale_id", Type: "uuid"},
				param{Name: "number", Desc: "a part of the order number, e.g. 000042"})},
		move("confirm", "confirmOrder", "Confirm a draft order; its part and accessory lines leave stock (409 when short)", h.cfg.Sales.ConfirmOrder),
		move("pay", "payOrder", "Record a confirmed order paid", h.cfg.Sales.PayOrder),
		move("deliver", "deliverOrder", "Record a paid order delivered (final)", h.cfg.Sales.DeliverOrder),
		move("cancel", "cancelOrder", "Cancel an order that is not delivered; what it took from stock returns", h.cfg.Sales.CancelOrder),
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

// orderActionIn is the (empty, optional) body of an order's status move.
type orderActionIn struct{}

func (h *Handler) moveOrder(fn func(context.Context, crm.ID, int64) (sales.Order, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, want, _, err := readAction[orderActionIn](r)
		if err != nil {
			return err
		}
		o, err := fn(r.Context(), id, want)
		if err != nil {
			return err
		}
		return writeRecord(w, http.StatusOK, o.Version, orderView(o))
	}
}

func (h *Handler) listOrders(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := queryOf(r)
	var p crm.Problems
	oq := sales.OrderQuery{Status: sales.OrderStatus(q.Get("status")), SaleID: parseIDField(&p, "sale_id", q.Get("sale_id")),
		Number: q.Get("number"), Limit: pg.Limit, Cursor: pg.Cursor}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	res, err := h.cfg.Sales.ListOrders(r.Context(), oq)
	if err != nil {
		return err
	}
	return writeList(w, res.Items, orderView, res.NextCursor)
}
