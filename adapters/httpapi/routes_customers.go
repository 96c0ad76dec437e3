package httpapi

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
)

// customerRoutes serve the customers through the customer service (package customers): each handler decodes,
// calls one service method and encodes.
func (h *Handler) customerRoutes() []route {
	if h.cfg.Customers == nil {
		return nil
	}
	c := h.cfg.Customers
	return []route{
		{Method: "GET", Path: "/api/v1/customers", ID: "listCustomers", Tag: "customers", Summary: "List customers",
			Access: crm.PermRead, Query: withPage(
				param{Name: "phone", Desc: "customers with this phone (any format; normalised)"},
				param{Name: "email", Desc: "customers with this e-mail"},
				param{Name: "external_id", Desc: "the customer with this ID in your own system"}),
			Status: 200, Out: listOut[customerOut]{}, handle: h.listCustomers},
		{Method: "POST", Path: "/api/v1/customers", Example: obj{"name": "Мария Смирнова", "phone": "+7 903 555-12-34", "email": "m.smirnova@example.ru"}, ID: "createCustomer", Tag: "customers", Summary: "Create a customer",
			Access: crm.PermEditCustomers, Body: customerIn{}, Status: 201, Out: customerOut{}, ETag: true, handle: h.createCustomer},
		{Method: "GET", Path: "/api/v1/customers/{id}", ID: "getCustomer", Tag: "customers", Summary: "Get a customer",
			Access: crm.PermRead, Status: 200, Out: customerOut{}, ETag: true, handle: getByID(c.GetCustomer, customerView)},
		{Method: "PATCH", Path: "/api/v1/customers/{id}", Example: obj{"name": "Иван Петров"}, ID: "updateCustomer", IfMatch: true, Tag: "customers",
			Summary: "Edit a customer (JSON merge patch of the create body)", Access: crm.PermEditCustomers, Body: customerIn{},
			Status: 200, Out: customerOut{}, ETag: true, handle: patchByID(c.GetCustomer, customerInOf, contactReplaces,
				func(ctx context.Context, id crm.ID, version int64, _ crm.Customer, in customerIn) (crm.Customer, error) {
					return c.UpdateCustomer(ctx, id, version, in.customer())
				}, customerView)},
		{Method: "POST", Path: "/api/v1/customers/{id}/merge", Example: obj{"duplicate_id": exDuplicate}, ID: "mergeCustomer", IfMatch: true, Tag: "customers",
			Summary: "Merge a duplicate into this customer: its leads, test drives, sales and cars move here, its " +
				"phones and e-mails are added, and it is deleted (If-Match: this customer's version)",
			Access: crm.PermMergeCustomers, Body: customerMergeIn{}, Status: 200, Out: customerOut{}, ETag: true,
			handle: h.mergeCustomer},
	}
}

func (h *Handler) listCustomers(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := queryOf(r)
	if q.Get("external_id") != "" {
		return byExternalID(w, r, h.cfg.Customers.GetCustomerByExternalID, customerView)
	}
	if phone, email := q.Get("phone"), q.Get("email"); phone != "" || email != "" {
		all, err := h.cfg.Customers.FindCustomers(r.Context(), phone, email)
		if err != nil {
			return err
		}
		items, next, err := paginate(all, func(c crm.Customer) string { return c.ID.String() }, pg)
		if err != nil {
			return err
		}
		return writeList(w, items, customerView, next)
	}
	after, err := customers.List.DecodeID("httpapi.listCustomers", pg.Cursor)
	if err != nil {
		return err
	}
	items, err := h.cfg.Customers.ListCustomers(r.Context(), after, pg.Limit+1)
	if err != nil {
		return err
	}
	next := ""
	if len(items) > pg.Limit {
		items = items[:pg.Limit]
		next = customers.List.IDCursor(items[len(items)-1].ID)
	}
	return writeList(w, items, customerView, next)
}

func (h *Handler) createCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customerIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := h.cfg.Customers.CreateCustomer(r.Context(), in.customer())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/customers/"+c.ID.String())
	return writeRecord(w, http.StatusCreated, c.Version, customerView(c))
}

func (h *Handler) mergeCustomer(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[customerMergeIn](r)
	if err != nil {
		return err
	}
	if in.DuplicateID == (crm.ID{}) {
		return invalidField("duplicate_id", "is required")
	}
	c, _, err := h.cfg.Customers.MergeCustomers(r.Context(), customers.Merge{KeepID: id, KeepVersion: want,
		DuplicateID: in.DuplicateID, DuplicateVersion: in.DuplicateVersion})
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, c.Version, customerView(c))
}
