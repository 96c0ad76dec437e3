package aftersales

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/crm"
)

// CreateCustomerVehicle records a car the dealer did not sell here (bought elsewhere, or sold before the CRM):
// cv's customer (required, the dealer's own), its identity (VIN, make, model, trim, year), insurance, the date it
// entered service (InServiceSince; default today) and its odometer then (OdometerAtSale, which also becomes the
// first mileage reading when positive). A catalog vehicle, when named, must be the dealer's. It returns the
// stored car (Version 1); crm.KindInvalid naming the bad fields (NewCustomerVehicle: the VIN's form, the model
// year), crm.KindNotFound for a customer or vehicle the dealer does not have, ErrVINTaken (409 duplicate, naming
// "vin") when the dealer already has a car with the VIN.
func (s *Service) CreateCustomerVehicle(ctx context.Context, cv CustomerVehicle) (CustomerVehicle, error) {
	const op = "aftersales.Service.CreateCustomerVehicle"
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return CustomerVehicle{}, err
	}
	cv.SaleID, cv.SoldAt, cv.Odometer, cv.OdometerAt = crm.ID{}, cv.SoldAt.UTC(), 0, cv.InServiceSince
	var out CustomerVehicle
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		now := crm.Now(ctx)
		nv, err := NewCustomerVehicle(dealer, cv, now)
		if err != nil {
			return err
		}
		if nv.InServiceSince.After(now) {
			return crm.Invalid(op, crm.FieldError{Field: "in_service_since", Message: "must not be in the future"})
		}
		if _, err := st.Customers().Get(ctx, nv.CustomerID); err != nil {
			return err
		}
		if err := vinFree(ctx, st.CustomerVehicles(), op, nv); err != nil {
			return err
		}
		if nv.VehicleID != (crm.ID{}) {
			if _, err := st.Vehicles().Get(ctx, nv.VehicleID); err != nil {
				return err
			}
		}
		if err := st.CustomerVehicles().Create(ctx, &nv); err != nil {
			return err
		}
		if nv.OdometerAtSale > 0 {
			r := MileageReading{Meta: crm.NewMeta(dealer, now), CustomerVehicleID: nv.ID, KM: nv.OdometerAtSale,
				At: nv.OdometerAt, Source: ReadingManual}
			if err := st.MileageReadings().Create(ctx, &r); err != nil {
				return err
			}
		}
		out = nv
		return nil
	})
	return out, wrap(op, err)
}

// EditCustomerVehicle applies e to the customer vehicle read at expectedVersion (0: unconditional), in one unit
// of work: a new owner (who must be the dealer's customer) is recorded in the owner history, a new insurance
// policy moves the current one to PastInsurance. It returns the saved car; crm.KindStaleVersion,
// crm.KindNotFound (the car or the new owner), crm.KindInvalid naming the bad fields, ErrVINTaken for a new VIN
// another of the dealer's cars has.
func (s *Service) EditCustomerVehicle(ctx context.Context, id crm.ID, expectedVersion int64, e CustomerVehicleEdit) (CustomerVehicle, error) {
	const op = "aftersales.Service.EditCustomerVehicle"
	var out CustomerVehicle
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		cv, err := st.CustomerVehicles().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, cv.Version, expectedVersion); err != nil {
			return err
		}
		if e.CustomerID != nil && *e.CustomerID != cv.CustomerID && *e.CustomerID != (crm.ID{}) {
			if _, err := st.Customers().Get(ctx, *e.CustomerID); err != nil {
				return err
			}
		}
		vin := cv.VIN
		if err := cv.Edit(e, crm.Now(ctx)); err != nil {
			return err
		}
		if cv.VIN != vin {
			if err := vinFree(ctx, st.CustomerVehicles(), op, cv); err != nil {
				return err
			}
		}
		if err := st.CustomerVehicles().Update(ctx, &cv); err != nil {
			return err
		}
		out = cv
		return nil
	})
	return out, wrap(op, err)
}

// RecordMileage records an odometer reading of the customer vehicle read at expectedVersion (0: unconditional):
// the reading is stored and becomes the car's odometer, in one unit of work (CustomerVehicle.RecordMileage: a
// reading below the last one is ErrMileageBelowLast unless it has a correction reason). Of several readings
// recorded at once each sees the one before it. It returns the car and the stored reading; crm.KindStaleVersion,
// crm.KindNotFound, crm.KindInvalid naming km, at or correction_reason.
func (s *Service) RecordMileage(ctx context.Context, id crm.ID, expectedVersion int64, r MileageReading) (CustomerVehicle, MileageReading, error) {
	const op = "aftersales.Service.RecordMileage"
	var (
		outCV CustomerVehicle
		outR  MileageReading
	)
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		cv, err := st.CustomerVehicles().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, cv.Version, expectedVersion); err != nil {
			return err
		}
		reading := r
		if err := cv.RecordMileage(&reading, crm.Now(ctx)); err != nil {
			return err
		}
		if err := st.MileageReadings().Create(ctx, &reading); err != nil {
			return err
		}
		if err := st.CustomerVehicles().Update(ctx, &cv); err != nil {
			return err
		}
		outCV, outR = cv, reading
		return nil
	})
	if err != nil {
		return CustomerVehicle{}, MileageReading{}, wrap(op, err)
	}
	return outCV, outR, nil
}

// ListMileageReadings returns the customer vehicle's readings in the order they were recorded; crm.KindNotFound
// for a car the dealer does not have.
func (s *Service) ListMileageReadings(ctx context.Context, id crm.ID) ([]MileageReading, error) {
	var out []MileageReading
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		if _, err := st.CustomerVehicles().Get(ctx, id); err != nil {
			return err
		}
		var err error
		out, err = st.MileageReadings().ListByCustomerVehicle(ctx, id)
		return err
	})
	return out, wrap("aftersales.Service.ListMileageReadings", err)
}

// vinFree returns ErrVINTaken (naming "vin") when another of the dealer's cars has cv's VIN. The store holds the
// rule too (a unique index in PostgreSQL), so of two racing records one fails there.
func vinFree(ctx context.Context, cvs CustomerVehicleStore, op string, cv CustomerVehicle) error {
	other, err := cvs.FindByVIN(ctx, cv.VIN)
	switch {
	case errors.Is(err, crm.ErrNotFound):
		return nil
	case err != nil:
		return err
	case other.ID != cv.ID:
		return vinTaken(op, other)
	}
	return nil
}
