package catalog

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// CreateVehicle validates the card with NewVehicle (the VIN under the dealer's policy) and saves it; a card with a
// build is priced and its data derived from the model directory first (VehicleBuild), every wrong choice named
// (build.configuration_id, build.option_ids[i], build.exterior_color, build.interior_color, year) together with the
// card's own. It returns
// the saved vehicle (Version 1); crm.KindInvalid naming the bad fields ("dealer.manager_id" for a manager who is not
// a user of the dealer), crm.KindConflict when the dealer already
// has the VIN, crm.KindNotFound when the context's dealer does not exist.
func (s *Service) CreateVehicle(ctx context.Context, v Vehicle) (Vehicle, error) {
	var out Vehicle
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return err
		}
		var nv Vehicle
		if err := withBuild(ctx, st, "catalog.Service.CreateVehicle", &v, func() (err error) {
			nv, err = NewVehicle(d, v, crm.Now(ctx))
			return err
		}); err != nil {
			return err
		}
		if err := checkManager(ctx, st, nv.DealerTab.ManagerID); err != nil {
			return err
		}
		if err := st.Vehicles().Create(ctx, &nv); err != nil {
			return err
		}
		out = nv
		return nil
	})
	return out, err
}

// GetVehicle returns the vehicle; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetVehicle(ctx context.Context, id crm.ID) (Vehicle, error) {
	var out Vehicle
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Vehicles().Get(ctx, id)
		return err
	})
	return out, err
}

// UpdateVehicle replaces the descriptive data of vehicle id with card's (Vehicle.Edit: status, reservations and
// sale are kept; card's ID and Version are ignored), provided expectedVersion is the stored version (0:
// unconditional), checked in the unit of work that writes. A card with a build is priced again from the directory as
// it is now, unless the car is sold (its build is frozen). It returns the saved vehicle; crm.KindStaleVersion
// when the vehicle changed since expectedVersion, crm.KindNotFound, crm.KindInvalid naming the bad fields,
// crm.KindConflict on a VIN the dealer already has.
func (s *Service) UpdateVehicle(ctx context.Context, id crm.ID, expectedVersion int64, card Vehicle) (Vehicle, error) {
	var out Vehicle
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		d, err := dealerOf(ctx, st)
		if err != nil {
			return err
		}
		v, err := st.Vehicles().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("catalog.Service.UpdateVehicle", v.Version, expectedVersion); err != nil {
			return err
		}
		edit := func() error { return v.Edit(d, card, crm.Now(ctx)) }
		if v.Build.Frozen() { // sold: the build stays as it was sold (Vehicle.Edit keeps it)
			err = edit()
		} else {
			err = withBuild(ctx, st, "catalog.Service.UpdateVehicle", &card, edit)
		}
		if err != nil {
			return err
		}
		if err := checkManager(ctx, st, v.DealerTab.ManagerID); err != nil {
			return err
		}
		if err := st.Vehicles().Update(ctx, &v); err != nil {
			return err
		}
		out = v
		return nil
	})
	return out, err
}

// SetVehicleStatus moves the vehicle read at expectedVersion (0: unconditional) between in stock, in transit and
// unavailable (Vehicle.SetStatus). It returns the saved vehicle; crm.KindStaleVersion, crm.KindInvalid for another
// status, ErrVehicleReserved or ErrVehicleSold (conflicts) when the vehicle is held (by a reservation not yet
// expired) or sold, crm.KindNotFound.
func (s *Service) SetVehicleStatus(ctx context.Context, id crm.ID, expectedVersion int64, status Status) (Vehicle, error) {
	return s.changeVehicle(ctx, "catalog.Service.SetVehicleStatus", id, expectedVersion, func(v *Vehicle, now time.Time) error {
		v.dropExpired(now) // an expired reservation holds nothing
		return v.SetStatus(status)
	})
}

// ReserveVehicle holds the vehicle read at expectedVersion (0: unconditional) with r (Vehicle.Reserve), e.g. for
// a sale negotiated from the catalog. It returns the saved vehicle; crm.KindStaleVersion, ErrVehicleReserved,
// ErrVehicleSold, ErrVehicleUnavailable (conflicts), crm.KindInvalid without holder or reference,
// crm.KindNotFound.
func (s *Service) ReserveVehicle(ctx context.Context, id crm.ID, expectedVersion int64, r Reservation) (Vehicle, error) {
	return s.changeVehicle(ctx, "catalog.Service.ReserveVehicle", id, expectedVersion, func(v *Vehicle, now time.Time) error {
		return v.Reserve(r, now)
	})
}

// ReleaseVehicle drops the hold made by ref (Vehicle.Release) on the vehicle read at expectedVersion (0:
// unconditional); the vehicle is back in stock when nothing else holds it. It returns the saved vehicle;
// crm.KindStaleVersion, crm.KindNotFound.
func (s *Service) ReleaseVehicle(ctx context.Context, id crm.ID, expectedVersion int64, ref crm.ID) (Vehicle, error) {
	return s.changeVehicle(ctx, "catalog.Service.ReleaseVehicle", id, expectedVersion, func(v *Vehicle, now time.Time) error {
		v.Release(ref, now)
		return nil
	})
}

// changeVehicle loads the vehicle (locked), checks expectedVersion, applies rule at the unit of work's time and
// saves it, in one unit of work.
func (s *Service) changeVehicle(ctx context.Context, op string, id crm.ID, expectedVersion int64, rule func(v *Vehicle, now time.Time) error) (Vehicle, error) {
	var out Vehicle
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		v, err := st.Vehicles().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, v.Version, expectedVersion); err != nil {
			return err
		}
		if err := rule(&v, crm.Now(ctx)); err != nil {
			return err
		}
		if err := st.Vehicles().Update(ctx, &v); err != nil {
			return err
		}
		out = v
		return nil
	})
	return out, err
}

// SearchVehicles returns one page of the dealer's vehicles matching q (see VehicleQuery) and the cursor of the
// next page; crm.KindInvalid naming a bad filter or cursor.
func (s *Service) SearchVehicles(ctx context.Context, q VehicleQuery) (VehiclePage, error) {
	if _, _, err := q.Prepare(); err != nil {
		return VehiclePage{}, err
	}
	var out VehiclePage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Vehicles().Search(ctx, q)
		return err
	})
	return out, err
}

// ListReservedVehicles is the "reserved vehicles" view: a page of the dealer's reserved vehicles (each with its
// reservations: for whom, why, until when), filtered, ordered and paged by q, whose Status is replaced by
// reserved. It returns crm.KindInvalid naming a bad filter or cursor.
func (s *Service) ListReservedVehicles(ctx context.Context, q VehicleQuery) (VehiclePage, error) {
	q.Status = []Status{StatusReserved}
	return s.SearchVehicles(ctx, q)
}

// withBuild prices card's build and derives its data (build), then runs check (the card's own validation), and
// returns one crm.KindInvalid error naming the fields of both, the build's under "build." (build.option_ids[0]). When the build cannot be priced, the fields it would
// have filled in (make, model, list_price) are not reported missing as well.
func withBuild(ctx context.Context, st Stores, op string, card *Vehicle, check func() error) error {
	berr := build(ctx, st, card)
	if berr != nil && crm.KindOf(berr) != crm.KindInvalid {
		return berr
	}
	cerr := check()
	if berr == nil {
		return cerr
	}
	if cerr != nil && crm.KindOf(cerr) != crm.KindInvalid {
		return cerr
	}
	var p crm.Problems
	for _, f := range crm.FieldsOf(berr) { // the build's fields are under build., the model year is the card's
		if f.Field != "year" {
			f.Field = "build." + f.Field
		}
		p.Add(f.Field, "%s", f.Message)
	}
	for _, f := range crm.FieldsOf(cerr) {
		if f.Field != "make" && f.Field != "model" && f.Field != "list_price" {
			p.Add(f.Field, "%s", f.Message)
		}
	}
	return p.Err(op)
}
