package httpapi

import (
	"net/http"
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

func (h *Handler) productRoutes() []route {
	if h.cfg.Catalog == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/products", ID: "searchProducts", Tag: "products",
			Summary: "Search the whole catalog: vehicles, then spare parts, then services, with one cursor",
			Access:  crm.PermRead, Status: 200, Out: listOut[productOut]{}, handle: h.searchProducts, Query: withPage(
				param{Name: "kind", Of: "ProductKind", List: true, Desc: "one kind or several, comma-separated; none: every kind"},
				param{Name: "q", Desc: "free text: make, model, trim and VIN; part number and name; service code and name"},
				param{Name: "price_from", Type: "decimal", Desc: "price, inclusive"},
				param{Name: "price_to", Type: "decimal", Desc: "price, inclusive"})},
	}
}

// productOut is one catalog entry whatever its kind.
type productOut struct {
	Kind     string     `json:"kind" enum:"ProductKind"`
	ID       crm.ID     `json:"id"`
	Name     string     `json:"name"`
	Code     string     `json:"code" doc:"the VIN, the part number or the service code"`
	Price    *crm.Money `json:"price"`
	Status   string     `json:"status" doc:"a vehicle's status; in_stock or out_of_stock for a part; empty for a service"`
	Quantity *int       `json:"quantity" doc:"parts only"`
}

func productView(p catalog.Product) productOut {
	return productOut{Kind: string(p.Kind), ID: p.ID, Name: p.Name, Code: p.Code, Price: moneyOut(p.Price),
		Status: p.Status, Quantity: p.Quantity}
}

func (h *Handler) searchProducts(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := queryOf(r)
	var p crm.Problems
	pq := catalog.ProductQuery{Text: q.Get("q"), Limit: pg.Limit, Cursor: pg.Cursor}
	for _, k := range strings.Split(q.Get("kind"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			pq.Kinds = append(pq.Kinds, catalog.Kind(k))
		}
	}
	for _, b := range []struct {
		name string
		dst  **decimal.Decimal
	}{{"price_from", &pq.PriceFrom}, {"price_to", &pq.PriceTo}} {
		if s := q.Get(b.name); s != "" {
			d := parseDecimal(&p, b.name, decimalText(s))
			*b.dst = &d
		}
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	res, err := h.cfg.Catalog.SearchProducts(r.Context(), pq)
	if err != nil {
		return err
	}
	return writeList(w, res.Items, productView, res.NextCursor)
}
