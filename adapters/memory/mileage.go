package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
)

var mileageRecords = records[aftersales.MileageReading]{name: "mileage_readings",
	meta: func(r *aftersales.MileageReading) *crm.Meta { return &r.Meta }}

type mileageStore struct{ tx *Tx }

// MileageReadings returns the mileage-reading store of this unit of work.
func (tx *Tx) MileageReadings() aftersales.MileageReadingStore { return mileageStore{tx} }

func (s mileageStore) Create(ctx context.Context, r *aftersales.MileageReading) error {
	if r.KM < 0 || r.At.IsZero() {
		return crm.Invalid("memory.MileageReadings.Create", crm.FieldError{Field: "km", Message: "breaks a stored rule"})
	}
	if _, err := customerVehicleRecords.get(ctx, s.tx, r.CustomerVehicleID); err != nil {
		return crm.Invalid("memory.MileageReadings.Create", crm.FieldError{Field: "customer_vehicle_id", Message: "no such customer vehicle"})
	}
	return mileageRecords.create(ctx, s.tx, r)
}

func (s mileageStore) ListByCustomerVehicle(ctx context.Context, id crm.ID) ([]aftersales.MileageReading, error) {
	out, err := mileageRecords.all(ctx, s.tx, func(r *aftersales.MileageReading) bool { return r.CustomerVehicleID == id })
	sortByCreation(out, func(r aftersales.MileageReading) crm.Meta { return r.Meta })
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, err
}

func (s mileageStore) ListByCustomerVehicles(ctx context.Context, ids []crm.ID) ([]aftersales.MileageReading, error) {
	want := make(map[crm.ID]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	out, err := mileageRecords.all(ctx, s.tx, func(r *aftersales.MileageReading) bool { return want[r.CustomerVehicleID] })
	sortByCreation(out, func(r aftersales.MileageReading) crm.Meta { return r.Meta })
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, err
}

// sortByCreation orders records by creation time, then ID.
func sortByCreation[V any](vs []V, meta func(V) crm.Meta) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := meta(vs[i]), meta(vs[j])
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID.String() < b.ID.String()
	})
}
