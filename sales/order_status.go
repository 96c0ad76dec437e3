package sales

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// OrderStatus is where an order stands: draft → confirmed → paid → delivered, or cancelled from any but delivered.
type OrderStatus string

// Order statuses.
const (
	OrderDraft     OrderStatus = "draft"     // lines are being put together; the only status in which they change
	OrderConfirmed OrderStatus = "confirmed" // the customer agreed; its parts and accessories are taken from stock
	OrderPaid      OrderStatus = "paid"
	OrderDelivered OrderStatus = "delivered" // handed over; final
	OrderCancelled OrderStatus = "cancelled" // final; what it took from stock is back
)

// OrderStatuses lists every order status in its order.
func OrderStatuses() []OrderStatus {
	return []OrderStatus{OrderDraft, OrderConfirmed, OrderPaid, OrderDelivered, OrderCancelled}
}

// Valid reports whether s is a known status.
func (s OrderStatus) Valid() bool {
	for _, k := range OrderStatuses() {
		if s == k {
			return true
		}
	}
	return false
}

// ErrOrderStatus: the order's status does not allow the change (lines of an order no longer a draft, paying a
// draft, cancelling a delivered order, …). A conflict.
var ErrOrderStatus = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeOrderStatus, Message: "the order's status does not allow it"}

// FormatOrderNumber is the human-readable number of an order: the year and its place in the dealer's sequence of
// that year, "2026-000042".
func FormatOrderNumber(year int, n int64) string { return fmt.Sprintf("%d-%06d", year, n) }

// HoldsStock reports whether the order has taken its parts and accessories from stock (confirmed or paid, not yet
// delivered or cancelled; a delivered order's parts are gone with the customer).
func (o Order) HoldsStock() bool { return o.Status == OrderConfirmed || o.Status == OrderPaid }

// StockLines returns the lines that take parts from stock: part and accessory lines naming a catalog part.
func (o Order) StockLines() []Line {
	var out []Line
	for _, l := range o.Lines {
		if (l.Kind == LinePart || l.Kind == LineAccessory) && l.RefID != (crm.ID{}) {
			out = append(out, l)
		}
	}
	return out
}

// MoveTo moves the order to status next at now: draft → confirmed → paid → delivered, and cancelled from draft,
// confirmed or paid. Any other move is ErrOrderStatus; an unknown status is crm.KindInvalid naming "status".
func (o *Order) MoveTo(next OrderStatus, now time.Time) error {
	if !next.Valid() {
		return crm.Invalid("sales.Order.MoveTo", crm.FieldError{Field: "status",
			Message: "must be one of " + strings.Join(orderStatusNames(), ", ")})
	}
	allowed := map[OrderStatus]OrderStatus{OrderDraft: OrderConfirmed, OrderConfirmed: OrderPaid, OrderPaid: OrderDelivered}
	ok := allowed[o.Status] == next ||
		(next == OrderCancelled && (o.Status == OrderDraft || o.Status == OrderConfirmed || o.Status == OrderPaid))
	if !ok {
		return fmt.Errorf("order %s is %s, it cannot become %s: %w", o.Number, o.Status, next, ErrOrderStatus)
	}
	o.Status = next
	o.UpdatedAt = now.UTC()
	return nil
}

func (o *Order) mustBeDraft(op string) error {
	if o.Status != "" && o.Status != OrderDraft {
		return fmt.Errorf("%s: order %s is %s, its lines no longer change: %w", op, o.Number, o.Status, ErrOrderStatus)
	}
	return nil
}

func orderStatusNames() []string {
	var out []string
	for _, s := range OrderStatuses() {
		out = append(out, string(s))
	}
	return out
}

// OrderQuery filters and pages the order list (the Orders section). Zero fields do not filter.
type OrderQuery struct {
	Status OrderStatus `json:"status,omitempty"`
	SaleID crm.ID      `json:"sale_id,omitzero"`
	Number string      `json:"number,omitempty"` // a case-insensitive part of the number ("000042", "2026-0000")
	Limit  int         `json:"limit,omitempty"`  // page size; 0 means 50, at most 500
	Cursor string      `json:"cursor,omitempty"` // from the previous page's NextCursor
}

// OrderPage is one page of the order list.
type OrderPage struct {
	Items      []Order `json:"items"`
	NextCursor string  `json:"next_cursor,omitempty"` // "" on the last page
}

// Validate checks the query: a known status (or none), a non-negative limit and a cursor this package made.
// It returns a crm.KindInvalid error naming "status", "limit" or "cursor".
func (q OrderQuery) Validate() error {
	var p crm.Problems
	if q.Status != "" && !q.Status.Valid() {
		p.Add("status", "must be one of %s", strings.Join(orderStatusNames(), ", "))
	}
	if q.Limit < 0 {
		p.Add("limit", "cannot be negative")
	}
	if _, _, err := OrderList.DecodeTime("sales.OrderQuery", q.Cursor); err != nil {
		p.Add("cursor", "is not a cursor of this list")
	}
	return p.Err("sales.OrderQuery")
}

// Match reports whether o passes q's filters (not the cursor); adapters that filter in Go use it.
func (q OrderQuery) Match(o Order) bool {
	return (q.Status == "" || o.Status == q.Status) && (q.SaleID == (crm.ID{}) || o.SaleID == q.SaleID) &&
		(q.Number == "" || strings.Contains(strings.ToLower(o.Number), strings.ToLower(strings.TrimSpace(q.Number))))
}

// OrderList is the order list, newest first: created_at, then ID, descending. Its cursors name it (crm.List);
// adapters make and read them only through it.
var OrderList = crm.List{Name: "orders", Order: "created_at desc"}
