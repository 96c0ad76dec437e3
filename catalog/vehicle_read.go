package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// VehicleReader is an optional capability of a VehicleStore, found with a type assertion (as database/sql/driver's
// optional interfaces are): it hands fn the stored vehicles themselves instead of copies, for a caller that only
// reads them (the HTTP layer's encoders). fn runs inside the store's unit of work, once per vehicle (an adapter
// whose read units may be retried does not implement it); fn must not change what it is given, nor anything that
// refers to (reservations, the build's lists), nor keep any of it after it returns. The memory adapter implements
// it: fn runs under its read lock, and its rows are never changed in place.
type VehicleReader interface {
	// Read calls fn with the stored vehicle id; the errors of VehicleStore.Get, or fn's.
	Read(ctx context.Context, id crm.ID, fn func(v *Vehicle) error) error
	// ReadSearch calls fn with each vehicle of the page q selects, in q's order, and returns the next page's
	// cursor ("" at the end); the errors of VehicleStore.Search, or fn's (which stops the page).
	ReadSearch(ctx context.Context, q VehicleQuery, fn func(v *Vehicle) error) (next string, err error)
}

// ReadVehicle is GetVehicle for a caller that only reads the vehicle (to encode it, say): fn gets it inside the
// read's unit of work — the store's own record, without the copy GetVehicle makes, when the store is a
// VehicleReader, its copy otherwise. fn must be quick, must not change v or anything it refers to, and must not
// keep any of it after it returns; an adapter that retries the unit calls fn again, so fn starts afresh on each
// call. It returns crm.KindNotFound if the vehicle is missing or another dealer's, or fn's error.
func (s *Service) ReadVehicle(ctx context.Context, id crm.ID, fn func(v *Vehicle) error) error {
	return s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		vs := st.Vehicles()
		if r, ok := vs.(VehicleReader); ok {
			return r.Read(ctx, id, fn)
		}
		v, err := vs.Get(ctx, id)
		if err != nil {
			return err
		}
		return fn(&v)
	})
}

// ReadVehicles is SearchVehicles for a caller that only reads the page: fn gets each vehicle in q's order, as
// ReadVehicle gives one (the same rules for fn), and it returns the next page's cursor ("" at the end). It returns
// crm.KindInvalid naming a bad filter or cursor, or fn's error (which stops the page).
func (s *Service) ReadVehicles(ctx context.Context, q VehicleQuery, fn func(v *Vehicle) error) (next string, err error) {
	if _, _, err := q.Prepare(); err != nil {
		return "", err
	}
	res := &struct { // the query, the function and the results in one allocation, which the closure shares
		q      VehicleQuery
		fn     func(v *Vehicle) error
		next   string
		copied *VehiclePage // set when the store has no VehicleReader
	}{q: q, fn: fn}
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		vs := st.Vehicles()
		if r, ok := vs.(VehicleReader); ok {
			res.next, err = r.ReadSearch(ctx, res.q, res.fn)
			return err
		}
		page, err := vs.Search(ctx, res.q)
		if err != nil {
			return err
		}
		res.copied = &page
		return nil
	})
	if err != nil {
		return "", err
	}
	if res.copied == nil {
		return res.next, nil
	}
	for i := range res.copied.Items { // outside the unit of work, so that a retried unit calls fn once per vehicle
		if err := fn(&res.copied.Items[i]); err != nil {
			return "", err
		}
	}
	return res.copied.NextCursor, nil
}
