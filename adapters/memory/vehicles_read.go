package memory

import (
	"context"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// The vehicle store is a catalog.VehicleReader: its rows are copies never changed after they are put (an update puts
// a new copy), and a read-only unit of work holds the read lock while fn runs, so fn can be handed the stored card
// itself.
var _ catalog.VehicleReader = vehicleStore{}

// Read implements catalog.VehicleReader.Read: fn gets the stored vehicle, not a copy.
func (s vehicleStore) Read(ctx context.Context, id crm.ID, fn func(v *catalog.Vehicle) error) error {
	v, err := s.stored(ctx, id)
	if err != nil {
		return err
	}
	return fn(s.card(v))
}

// card returns the stored vehicle v as its card: v itself when it has no shared holds, else a shallow copy
// carrying every hold (the shared ones are kept beside the row, vehicleholds.go; nothing stored is changed).
func (s vehicleStore) card(v *catalog.Vehicle) *catalog.Vehicle {
	if h, ok := holdsTable(s.tx).get(v.ID); !ok || len(h.byRef) == 0 {
		return v
	}
	c := withHolds(s.tx, *v)
	return &c
}

// stored returns the stored vehicle id of the context's dealer (not a copy: the caller must not change it);
// KindNotFound when missing or another dealer's, as records.get.
func (s vehicleStore) stored(ctx context.Context, id crm.ID) (*catalog.Vehicle, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, err
	}
	r, ok := vehicleRecords.table(s.tx).rows[id]
	if !ok || r.dealer != d {
		return nil, crm.NotFound("memory.vehicles.Get", "vehicles %s not found", id)
	}
	return r.v, nil
}

// ReadSearch implements catalog.VehicleReader.ReadSearch: fn gets the stored vehicles, not copies.
func (s vehicleStore) ReadSearch(ctx context.Context, q catalog.VehicleQuery, fn func(v *catalog.Vehicle) error) (string, error) {
	top, next, err := s.search(ctx, q)
	if err != nil {
		return "", err
	}
	for _, v := range top {
		if err := fn(s.card(v)); err != nil {
			return "", err
		}
	}
	return next, nil
}
