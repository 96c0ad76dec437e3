package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// VehicleStore keeps the vehicles of the context's dealer.
type VehicleStore interface {
	// Get returns the vehicle; KindNotFound if missing or another dealer's. Inside a read-write unit of work the
	// PostgreSQL adapter locks the row (SELECT … FOR UPDATE) until the transaction ends.
	Get(ctx context.Context, id crm.ID) (Vehicle, error)
	// Create saves a new vehicle (Version becomes 1); KindConflict if its VIN is already the dealer's.
	Create(ctx context.Context, v *Vehicle) error
	// Update saves v if v.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing, KindConflict on a duplicate VIN.
	Update(ctx context.Context, v *Vehicle) error
	// Search returns one page of vehicles matching q, in q's order, and the cursor of the next page ("" at the end).
	Search(ctx context.Context, q VehicleQuery) (VehiclePage, error)
}

// Stores is what catalog services read and write inside one unit of work.
type Stores interface {
	Vehicles() VehicleStore
	Parts() PartStore
	Services() ServiceStore
}
