package catalog

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Purpose says why a vehicle is reserved.
type Purpose string

// Reservation purposes.
const (
	ForTestDrive Purpose = "test_drive"
	ForSale      Purpose = "sale"
)

// Exclusive reports whether a hold of this purpose keeps every other holder off the vehicle: a sale's does. A
// test drive's hold is shared: other holders' drives hold the same car for other slots (the calendar keeps the
// slots apart), so no rule of the vehicle ever refuses anything because of one. Stores may keep the two kinds
// apart (see Vehicle.SaleHoldsOnly), so that adding a hold reads only the exclusive ones.
func (p Purpose) Exclusive() bool { return p == ForSale }

// ExclusiveHolds returns the exclusive holds of rs in their order (nil: none) — what a store that keeps the two
// kinds apart keeps with the vehicle record, the shared ones being stored beside it.
func ExclusiveHolds(rs []Reservation) []Reservation {
	var out []Reservation
	for _, r := range rs {
		if r.Purpose.Exclusive() {
			out = append(out, r)
		}
	}
	return out
}

// Holder names for whom a vehicle is held: a lead, a sale, a customer (any of them may be zero). Two holders are
// the same when they share a non-zero lead, sale or customer: a lead's test-drive reservation is the same holder as
// the sale converted from that lead.
type Holder struct {
	LeadID     crm.ID `json:"lead_id,omitempty"`
	SaleID     crm.ID `json:"sale_id,omitempty"`
	CustomerID crm.ID `json:"customer_id,omitempty"`
}

// Same reports whether h and o name the same holder.
func (h Holder) Same(o Holder) bool {
	var zero crm.ID
	return (h.LeadID != zero && h.LeadID == o.LeadID) ||
		(h.SaleID != zero && h.SaleID == o.SaleID) ||
		(h.CustomerID != zero && h.CustomerID == o.CustomerID)
}

// IsZero reports whether the holder names nobody.
func (h Holder) IsZero() bool { return h == Holder{} }

// Reservation records that a vehicle is held: for whom, why and until when. RefID is the record that holds it (a
// test drive or a sale), so that exactly that hold can be released. A test drive's hold names its slot: From is
// the drive's start and Until its end plus the grace a late drive keeps the car.
type Reservation struct {
	Purpose   Purpose   `json:"purpose"`
	RefID     crm.ID    `json:"ref_id"`
	Holder    Holder    `json:"holder"`
	From      time.Time `json:"from,omitzero"`  // the slot's start for a test drive; zero for a sale
	Until     time.Time `json:"until,omitzero"` // zero: until released
	CreatedAt time.Time `json:"created_at"`
}

// ActiveAt reports whether the reservation still holds at t (Until is exclusive).
func (r Reservation) ActiveAt(t time.Time) bool { return r.Until.IsZero() || t.Before(r.Until) }
