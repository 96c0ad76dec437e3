package sales

import "github.com/dealercrm/dealercrm/crm"

// SaleQuery filters and pages a sale list. Zero fields do not filter.
type SaleQuery struct {
	Status     Status `json:"status,omitempty"`
	StageID    crm.ID `json:"stage_id,omitzero"`
	OwnerID    crm.ID `json:"owner_id,omitzero"`
	CustomerID crm.ID `json:"customer_id,omitzero"`
	VehicleID  crm.ID `json:"vehicle_id,omitzero"`
	Limit      int    `json:"limit,omitempty"`  // page size; 0 means 50, at most 500 (see PageLimit)
	Cursor     string `json:"cursor,omitempty"` // from the previous page's NextCursor
}

// SalePage is one page of a sale list.
type SalePage struct {
	Items      []Sale `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"` // "" on the last page
}

// Validate checks the query: a known status (or none), a non-negative limit and a cursor this package made.
// It returns a crm.KindInvalid error naming "status", "limit" or "cursor".
func (q SaleQuery) Validate() error {
	var p crm.Problems
	switch q.Status {
	case "", StatusOpen, StatusWon, StatusLost:
	default:
		p.Add("status", "must be open, won or lost")
	}
	if q.Limit < 0 {
		p.Add("limit", "cannot be negative")
	}
	if _, _, err := SaleList.DecodeTime("sales.SaleQuery", q.Cursor); err != nil {
		p.Add("cursor", "is not a cursor of this list")
	}
	return p.Err("sales.SaleQuery")
}

// Match reports whether s passes q's filters (not the cursor); adapters that filter in Go use it.
func (q SaleQuery) Match(s Sale) bool {
	var zero crm.ID
	return (q.Status == "" || s.Status == q.Status) &&
		(q.StageID == zero || s.StageID == q.StageID) &&
		(q.OwnerID == zero || s.OwnerID == q.OwnerID) &&
		(q.CustomerID == zero || s.CustomerID == q.CustomerID) &&
		(q.VehicleID == zero || s.VehicleID == q.VehicleID)
}

// SaleList is the sale list (SaleStore.List), newest first: created_at, then ID, descending. Its cursors name it
// (crm.List); adapters make and read them only through it, so that cursors are alike everywhere.
var SaleList = crm.List{Name: "sales", Order: "created_at desc"}
