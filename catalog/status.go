package catalog

import "slices"

// Status is where a vehicle stands in the dealer's stock.
type Status string

// Vehicle statuses.
const (
	StatusInStock     Status = "in_stock"    // on the lot, free to reserve or sell
	StatusInTransit   Status = "in_transit"  // ordered, not yet arrived
	StatusReserved    Status = "reserved"    // held for a test drive or a sale (see Vehicle.Reservations)
	StatusSold        Status = "sold"        // sold; final
	StatusUnavailable Status = "unavailable" // withdrawn (damaged, in preparation)
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses(), s) }
