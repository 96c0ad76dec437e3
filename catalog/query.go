package catalog

import (
	"github.com/shopspring/decimal"
)

// VehicleSort names the order of a vehicle search.
type VehicleSort string

// Sort orders. Every order is made total by the vehicle ID, so keyset pages are stable.
const (
	SortCreated VehicleSort = "created_at"
	SortPrice   VehicleSort = "price"
	SortYear    VehicleSort = "year"
)

// VehicleQuery filters, orders and pages a vehicle search. Zero fields do not filter.
type VehicleQuery struct {
	Status    []Status
	Make      string // exact, case-insensitive
	Model     string // exact, case-insensitive
	Trim      string // exact, case-insensitive
	YearFrom  int
	YearTo    int
	PriceFrom *decimal.Decimal // list price, inclusive
	PriceTo   *decimal.Decimal // list price, inclusive
	Text      string           // free text over make, model, trim and VIN
	Sort      VehicleSort
	Desc      bool
	Limit     int    // page size; 0 means 50, at most 500
	Cursor    string // from the previous page's NextCursor
}

// VehiclePage is one page of a vehicle search.
type VehiclePage struct {
	Items      []Vehicle
	NextCursor string // "" when this is the last page
}
