package httpapi

import (
	"context"
	"encoding/base64"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
)

// customerRoutes serve the kernel's customers. The kernel has no customer service, so these routes call the
// kernel's stores directly (the constructor crm.NewCustomer holds the rules).
func (h *Handler) customerRoutes() []route {
	if h.cfg.Kernel == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/customers", ID: "listCustomers", Tag: "customers", Summary: "List customers",
			Access: crm.PermRead, Query: withPage(
				param{Name: "phone", Desc: "customers with this phone (any format; normalised)"},
				param{Name: "email", Desc: "customers with this e-mail"}),
			Status: 200, Out: listOut[customerOut]{}, handle: h.listCustomers},
		{Method: "POST", Path: "/api/v1/customers", ID: "createCustomer", Tag: "customers", Summary: "Create a customer",
			Access: crm.PermEditCustomers, Body: customerIn{}, Status: 201, Out: customerOut{}, ETag: true, handle: h.createCustomer},
		{Method: "GET", Path: "/api/v1/customers/{id}", ID: "getCustomer", Tag: "customers", Summary: "Get a customer",
			Access: crm.PermRead, Status: 200, Out: customerOut{}, ETag: true, handle: h.getCustomer},
		{Method: "PATCH", Path: "/api/v1/customers/{id}", ID: "updateCustomer", IfMatch: true, Tag: "customers",
			Summary: "Edit a customer (JSON merge patch of the create body)", Access: crm.PermEditCustomers, Body: customerIn{},
			Status: 200, Out: customerOut{}, ETag: true, handle: h.updateCustomer},
	}
}

func (h *Handler) listCustomers(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if phone, email := q.Get("phone"), q.Get("email"); phone != "" || email != "" {
		return h.findCustomers(w, r, pg, crm.NormalizePhone(phone), crm.NormalizeEmail(email))
	}
	var after crm.ID
	if pg.Cursor != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(pg.Cursor)
		if after, err = crm.ParseID("cursor", string(raw)); derr != nil || err != nil {
			return invalidField("cursor", "is not a cursor of this list")
		}
	}
	var items []crm.Customer
	err = h.cfg.Kernel.View(r.Context(), func(ctx context.Context, s crm.Stores) error {
		var err error
		items, err = s.Customers().List(ctx, after, pg.Limit+1)
		return err
	})
	if err != nil {
		return err
	}
	next := ""
	if len(items) > pg.Limit {
		items = items[:pg.Limit]
		next = base64.RawURLEncoding.EncodeToString([]byte(items[len(items)-1].ID.String()))
	}
	return writeJSON(w, http.StatusOK, listOf(mapList(items, customerView), next))
}

func (h *Handler) findCustomers(w http.ResponseWriter, r *http.Request, pg page, phone, email string) error {
	var all []crm.Customer
	if phone != "" || email != "" {
		err := h.cfg.Kernel.View(r.Context(), func(ctx context.Context, s crm.Stores) error {
			var err error
			all, err = s.Customers().FindByContact(ctx, phone, email)
			return err
		})
		if err != nil {
			return err
		}
	}
	items, next, err := paginate(all, func(c crm.Customer) string { return c.ID.String() }, pg)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(mapList(items, customerView), next))
}

func (h *Handler) createCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customerIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var c crm.Customer
	err := h.cfg.Kernel.Update(r.Context(), func(ctx context.Context, s crm.Stores) error {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		if c, err = crm.NewCustomer(dealer, in.customer(), h.clock.Now()); err != nil {
			return err
		}
		return s.Customers().Create(ctx, &c)
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/customers/"+c.ID.String())
	return writeRecord(w, http.StatusCreated, c.Version, customerView(c))
}

func (h *Handler) getCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var c crm.Customer
	err = h.cfg.Kernel.View(r.Context(), func(ctx context.Context, s crm.Stores) error {
		c, err = s.Customers().Get(ctx, id)
		return err
	})
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, c.Version, customerView(c))
}

func (h *Handler) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	patch, err := readPatch(r)
	if err != nil {
		return err
	}
	var c crm.Customer
	err = h.cfg.Kernel.Update(r.Context(), func(ctx context.Context, s crm.Stores) error {
		cur, err := s.Customers().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("httpapi.updateCustomer", cur.Version, want); err != nil {
			return err
		}
		var in customerIn
		if err := applyPatch(customerInOf(cur), patch, contactReplaces, &in); err != nil {
			return err
		}
		if c, err = crm.NewCustomer(cur.DealerID, in.customer(), cur.CreatedAt); err != nil {
			return err
		}
		c.Meta = cur.Meta
		c.UpdatedAt = h.clock.Now()
		return s.Customers().Update(ctx, &c)
	})
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, c.Version, customerView(c))
}
