package catalog

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// VehicleStore keeps the vehicles of the context's dealer. Every method returns KindForbidden when the context
// carries no dealer.
type VehicleStore interface {
	// Get returns the vehicle with every hold; KindNotFound if missing or another dealer's. Inside a read-write unit of work the
	// PostgreSQL adapter locks the row (SELECT … FOR UPDATE) until the transaction ends.
	Get(ctx context.Context, id crm.ID) (Vehicle, error)
	// GetForReserve returns the vehicle as Get does, locked alike, but without its shared holds: Reservations
	// carries only the exclusive (sale) holds and SaleHoldsOnly is set. It is the read for adding a hold
	// (Vehicle.Reserve) or selling (Vehicle.Sell): its cost does not grow with the test drives booked on the car.
	GetForReserve(ctx context.Context, id crm.ID) (Vehicle, error)
	// GetForExpiry returns the vehicle as GetForReserve does (locked alike, SaleHoldsOnly set), carrying beside
	// its exclusive holds the shared holds that ended at or before now and, when some shared hold is still active
	// at now, one such: what ending the ended holds needs (Vehicle.dropExpired drops them, and the car stays
	// reserved while a hold is left), read by index, so that its cost does not grow with the car's other holds.
	GetForExpiry(ctx context.Context, id crm.ID, now time.Time) (Vehicle, error)
	// ListHeldPastEnd returns the IDs of up to limit of the dealer's reserved vehicles that have a hold which ended
	// at or before now — a shared one, or one of the exclusive holds kept with the vehicle's record (a sale's hold
	// given an end) —, in ID order after after (the zero ID: from the first): the vehicles whose holds
	// ExpireReservations ends, found by index without reading their shared holds.
	ListHeldPastEnd(ctx context.Context, now time.Time, after crm.ID, limit int) ([]crm.ID, error)
	// GetByVIN returns the dealer's vehicle with that VIN; KindNotFound if there is none. It locks like Get.
	GetByVIN(ctx context.Context, vin VIN) (Vehicle, error)
	// Create saves a new vehicle (Version becomes 1); KindConflict if its ID exists or its VIN is already the
	// dealer's, KindInvalid if it breaks Vehicle.Invariants (in PostgreSQL: a CHECK constraint), KindForbidden if
	// it names another dealer.
	Create(ctx context.Context, v *Vehicle) error
	// Update saves v if v.Version is the stored one and bumps it; KindNotFound if missing or another dealer's,
	// KindStaleVersion if the version differs, KindInvalid if it breaks Vehicle.Invariants, KindConflict on a
	// duplicate VIN. The holds saved are v.Reservations; when v.SaleHoldsOnly, the stored shared holds that v does
	// not carry are kept while v is reserved, but for those in v.DroppedHolds (and dropped with the rest once it is
	// not), so that adding or ending a hold writes only that hold.
	Update(ctx context.Context, v *Vehicle) error
	// Search returns one page of vehicles matching q, in q's order (made total by ID), and the cursor of the next
	// page ("" at the end). Its semantics are VehicleQuery.Prepare, Match and Compare; KindInvalid for a bad query
	// or cursor.
	Search(ctx context.Context, q VehicleQuery) (VehiclePage, error)
}

// HoldsUpdater is an optional capability of a VehicleStore (the PostgreSQL adapter's): UpdateHolds saves a
// vehicle that differs from the stored one only in what Reserve changes — its status, its holds and UpdatedAt —
// as Update does (the same version check, errors, holds saved and version bump), writing only those: the
// vehicle's other fields are left as stored instead of being written again. A field changed otherwise is not
// saved. UpdateHolds (the function) uses it where the store has it, else Update.
type HoldsUpdater interface {
	UpdateHolds(ctx context.Context, v *Vehicle) error
}

// UpdateHolds saves v, changed only by Reserve since it was read, through s's HoldsUpdater when it has one, else
// through s.Update.
func UpdateHolds(ctx context.Context, s VehicleStore, v *Vehicle) error {
	if h, ok := s.(HoldsUpdater); ok {
		return h.UpdateHolds(ctx, v)
	}
	return s.Update(ctx, v)
}

// PartStore keeps the spare parts of the context's dealer. Every method returns KindForbidden when the context
// carries no dealer.
type PartStore interface {
	// Get returns the part; KindNotFound if missing or another dealer's. Inside a read-write unit of work the
	// PostgreSQL adapter locks the row until the transaction ends.
	Get(ctx context.Context, id crm.ID) (Part, error)
	// Create saves a new part (Version becomes 1); KindConflict if its ID exists or its number is already the
	// dealer's, KindInvalid if it breaks Part.Invariants.
	Create(ctx context.Context, p *Part) error
	// Update saves p if p.Version is the stored one and bumps it; KindNotFound, KindStaleVersion, KindInvalid or
	// KindConflict (duplicate number) otherwise.
	Update(ctx context.Context, p *Part) error
	// Search returns one page of parts matching q ordered by number then ID, and the next page's cursor ("" at
	// the end); KindInvalid for a bad cursor.
	Search(ctx context.Context, q PartQuery) (PartPage, error)
}

// LabourStore keeps the labour operations (HTTP's "services") of the context's dealer. Every method returns
// KindForbidden when the context carries no dealer.
type LabourStore interface {
	// Get returns the labour operation; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (Labour, error)
	// Create saves a new labour operation (Version becomes 1); KindConflict if its ID exists or its code is already the
	// dealer's, KindInvalid if it breaks Labour.Invariants.
	Create(ctx context.Context, s *Labour) error
	// Update saves s if s.Version is the stored one and bumps it; KindNotFound, KindStaleVersion, KindInvalid or
	// KindConflict (duplicate code) otherwise.
	Update(ctx context.Context, s *Labour) error
	// List returns every labour operation of the dealer ordered by code, then ID.
	List(ctx context.Context) ([]Labour, error)
}

// Stores is what catalog services read and write inside one unit of work. Dealers is read for the dealer's VIN
// policy and currency.
type Stores interface {
	Vehicles() VehicleStore
	Parts() PartStore
	Labours() LabourStore
	DirectoryStores // makes, models, generations, configurations, maintenance plans, warranty terms
	Dealers() crm.DealerStore
	Users() crm.UserStore // the managers a vehicle card's dealer tab names
}
