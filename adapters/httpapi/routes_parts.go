package httpapi

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

func (h *Handler) partRoutes() []route {
	if h.cfg.Catalog == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/parts", ID: "listParts", Tag: "parts", Summary: "Search the spare parts, by number",
			Access: crm.PermRead, Status: 200, Out: listOut[partOut]{}, handle: h.listParts, Query: withPage(
				param{Name: "q", Desc: "free text over number and name"},
				param{Name: "model", Desc: "compatible with this model"},
				param{Name: "in_stock", Type: "boolean", Desc: "only parts in stock"})},
		{Method: "POST", Path: "/api/v1/parts", Example: obj{"number": "04E115561H", "name": "Фильтр масляный", "quantity": 10, "price": obj{"amount": "1250.00", "currency": "RUB"}}, ID: "createPart", Tag: "parts", Summary: "Add a spare part",
			Access: crm.PermEditCatalog, Body: partIn{}, Status: 201, Out: partOut{}, ETag: true, handle: h.createPart},
		{Method: "GET", Path: "/api/v1/parts/{id}", ID: "getPart", Tag: "parts", Summary: "Get a spare part",
			Access: crm.PermRead, Status: 200, Out: partOut{}, ETag: true, handle: getByID(h.cfg.Catalog.GetPart, partView)},
		{Method: "PATCH", Path: "/api/v1/parts/{id}", Example: obj{"name": "Фильтр"}, ID: "updatePart", IfMatch: true, Tag: "parts",
			Summary: "Edit a spare part (JSON merge patch; quantity through /stock)", Access: crm.PermEditCatalog, Body: partIn{},
			Status: 200, Out: partOut{}, ETag: true, handle: h.updatePart},
		{Method: "POST", Path: "/api/v1/parts/{id}/stock", Example: obj{"delta": 1}, ID: "adjustPartStock", IfMatch: true, Tag: "parts",
			Summary: "Add parts to stock or take them out (never below zero: 409)", Access: crm.PermEditCatalog, Body: partStockIn{},
			Status: 200, Out: partOut{}, ETag: true, handle: h.adjustPartStock},
	}
}

func (h *Handler) listParts(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := queryOf(r)
	pq := catalog.PartQuery{Text: q.Get("q"), Model: q.Get("model"), Limit: pg.Limit, Cursor: pg.Cursor}
	switch q.Get("in_stock") {
	case "", "false":
	case "true":
		pq.InStock = true
	default:
		return invalidField("in_stock", "must be true or false")
	}
	res, err := h.cfg.Catalog.SearchParts(r.Context(), pq)
	if err != nil {
		return err
	}
	return writeList(w, res.Items, partView, res.NextCursor)
}

func (in partIn) part(p *crm.Problems) catalog.Part {
	return catalog.Part{Number: in.Number, Name: in.Name, CompatibleModels: in.CompatibleModels, Quantity: in.Quantity,
		Price: in.Price.money(p, "price")}
}

func (h *Handler) createPart(w http.ResponseWriter, r *http.Request) error {
	var in partIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	card := in.part(&p)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	part, err := h.cfg.Catalog.CreatePart(r.Context(), card)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/parts/"+part.ID.String())
	return writeRecord(w, http.StatusCreated, part.Version, partView(part))
}

// updatePart applies a merge patch of the part's create body; the quantity changes only through /stock.
func (h *Handler) updatePart(w http.ResponseWriter, r *http.Request) error {
	return patchByID(h.cfg.Catalog.GetPart, partInOf, nil,
		func(ctx context.Context, id crm.ID, version int64, cur catalog.Part, in partIn) (catalog.Part, error) {
			var p crm.Problems
			if in.Quantity != cur.Quantity {
				p.Add("quantity", "changes through POST /api/v1/parts/{id}/stock")
			}
			card := in.part(&p)
			if err := p.Err("httpapi"); err != nil {
				return catalog.Part{}, err
			}
			return h.cfg.Catalog.UpdatePart(ctx, id, version, card)
		}, partView)(w, r)
}

// partInOf is the create body of a stored part, the base a merge patch applies to.
func partInOf(cur catalog.Part) partIn {
	return partIn{Number: cur.Number, Name: cur.Name, CompatibleModels: cur.CompatibleModels, Quantity: cur.Quantity,
		Price: moneyInOf(cur.Price)}
}

func (h *Handler) adjustPartStock(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[partStockIn](r)
	if err != nil {
		return err
	}
	part, err := h.cfg.Catalog.AdjustPartStock(r.Context(), id, want, in.Delta)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, part.Version, partView(part))
}
