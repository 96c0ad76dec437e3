package catalog

import (
	"strings"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// Kind is what a catalog product is: a vehicle, a spare part or a labour operation ("service").
type Kind string

// Product kinds, in the order a product search lists them.
const (
	KindVehicle Kind = "vehicle"
	KindPart    Kind = "part"
	KindLabour  Kind = "service" // a labour operation (Labour)
)

// Kinds lists every product kind in search order.
var Kinds = []Kind{KindVehicle, KindPart, KindLabour}

// Product is one entry of the product catalog whatever its kind: what a catalog list shows.
type Product struct {
	Kind     Kind      `json:"kind"`
	ID       crm.ID    `json:"id"`
	Name     string    `json:"name"`     // "Lada Vesta Comfort 2026", a part's or a service's name
	Code     string    `json:"code"`     // the VIN, the part number or the service code
	Price    crm.Money `json:"price"`    // list price, part price, service price
	Status   string    `json:"status"`   // a vehicle's status; "in_stock" or "out_of_stock" for a part; "" for a service
	Quantity *int      `json:"quantity"` // parts only
}

// ProductQuery filters and pages a search over the whole catalog. Products come kind by kind (vehicles, parts,
// services), each kind in its own order (vehicles by creation, parts by number, services by code). Zero fields do
// not filter.
type ProductQuery struct {
	Kinds     []Kind           // none: every kind
	Text      string           // vehicles: make, model, trim, VIN; parts: number and name; services: code and name
	PriceFrom *decimal.Decimal // inclusive
	PriceTo   *decimal.Decimal // inclusive
	Limit     int              // page size; 0 means 50, at most 500
	Cursor    string           // from the previous page's NextCursor
}

// ProductPage is one page of a product search.
type ProductPage struct {
	Items      []Product
	NextCursor string // "" when this is the last page
}

// prepare validates the query and returns the kinds to search, in search order, from where the cursor points,
// with the cursor's position inside the first of them.
func (q ProductQuery) prepare() (kinds []Kind, inner string, innerID crm.ID, err error) {
	var p crm.Problems
	want := map[Kind]bool{}
	for _, k := range q.Kinds {
		switch k {
		case KindVehicle, KindPart, KindLabour:
			want[k] = true
		default:
			p.Add("kind", "%q is not vehicle, part or service", k)
		}
	}
	if q.PriceFrom != nil && q.PriceTo != nil && q.PriceFrom.GreaterThan(*q.PriceTo) {
		p.Add("price_to", "is below price_from")
	}
	if err := p.Err("catalog.ProductQuery"); err != nil {
		return nil, "", crm.ID{}, err
	}
	start := KindVehicle
	if q.Cursor != "" {
		var kind string
		kind, inner, innerID, err = decodeProductCursor(q.Cursor)
		if err != nil {
			return nil, "", crm.ID{}, err
		}
		start = Kind(kind)
	}
	started := false
	for _, k := range Kinds {
		started = started || k == start
		if started && (len(want) == 0 || want[k]) {
			kinds = append(kinds, k)
		}
	}
	if q.Cursor != "" && (len(kinds) == 0 || kinds[0] != start) {
		return nil, "", crm.ID{}, crm.Invalid("catalog.ProductQuery", crm.FieldError{Field: "cursor", Message: "belongs to another search"})
	}
	return kinds, inner, innerID, nil
}

// inPrice reports whether m is within the query's price range.
func (q ProductQuery) inPrice(m crm.Money) bool {
	return (q.PriceFrom == nil || !m.Amount.LessThan(*q.PriceFrom)) && (q.PriceTo == nil || !m.Amount.GreaterThan(*q.PriceTo))
}

// matchesText reports whether any of fields holds the query's text, case-insensitively.
func (q ProductQuery) matchesText(fields ...string) bool {
	t := strings.ToLower(strings.TrimSpace(q.Text))
	if t == "" {
		return true
	}
	return strings.Contains(strings.ToLower(strings.Join(fields, " ")), t)
}

// productList is the list of products, whose cursors carry in the order's place the kind the next page starts
// with, as their key the cursor of that kind's own list (or a labour code), and an ID.
var productList = crm.List{Name: "products"}

func encodeProductCursor(kind Kind, inner string, id crm.ID) string {
	return crm.List{Name: productList.Name, Order: string(kind)}.Cursor(inner, id)
}

func decodeProductCursor(s string) (kind, inner string, id crm.ID, err error) {
	return productList.DecodeAnyOrder("catalog.ProductQuery", s)
}

func vehicleProduct(v Vehicle) Product {
	return Product{Kind: KindVehicle, ID: v.ID, Name: v.Name(), Code: string(v.VIN), Price: v.Finance.ListPrice,
		Status: string(v.Status)}
}

func partProduct(p Part) Product {
	status, qty := "out_of_stock", p.Quantity
	if p.Quantity > 0 {
		status = "in_stock"
	}
	return Product{Kind: KindPart, ID: p.ID, Name: p.Name, Code: p.Number, Price: p.Price, Status: status, Quantity: &qty}
}

func labourProduct(s Labour) Product {
	return Product{Kind: KindLabour, ID: s.ID, Name: s.Name, Code: s.Code, Price: s.Price}
}
