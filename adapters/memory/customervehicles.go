package memory

import (
	"context"
	"sort"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

var customerVehicleRecords = records[aftersales.CustomerVehicle]{name: "customer_vehicles",
	meta:  func(cv *aftersales.CustomerVehicle) *crm.Meta { return &cv.Meta },
	clone: aftersales.CustomerVehicle.Clone}

// customerVehicleKey names the one customer vehicle per (dealer, vehicle, sale) of a sale.
type customerVehicleKey struct{ dealer, vehicle, sale crm.ID }

type customerVehicleStore struct{ tx *Tx }

// CustomerVehicles returns the customer-vehicle store of this unit of work.
func (tx *Tx) CustomerVehicles() aftersales.CustomerVehicleStore { return customerVehicleStore{tx} }

func (s customerVehicleStore) keys() *table[customerVehicleKey, crm.ID] {
	return tableOf[customerVehicleKey, crm.ID](s.tx.db, "customer_vehicles_by_sale")
}

func (s customerVehicleStore) Get(ctx context.Context, id crm.ID) (aftersales.CustomerVehicle, error) {
	return customerVehicleRecords.get(ctx, s.tx, id)
}

func (s customerVehicleStore) Create(ctx context.Context, cv *aftersales.CustomerVehicle) error {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	if cv.CustomerID == (crm.ID{}) || cv.Make == "" || cv.VIN == "" || cv.OdometerAtSale < 0 || cv.Odometer < 0 {
		return crm.Invalid("memory.CustomerVehicles.Create", crm.FieldError{Field: "customer_vehicle", Message: "breaks a stored rule"})
	}
	key := customerVehicleKey{dealer, cv.VehicleID, cv.SaleID}
	if other, ok := s.keys().get(key); ok && cv.SaleID != (crm.ID{}) {
		return crm.Duplicate("memory.CustomerVehicles.Create", "vehicle %s already has customer vehicle %s for sale %s", cv.VehicleID, other, cv.SaleID)
	}
	if err := vinFree(s.tx, dealer, "memory.CustomerVehicles.Create", cv); err != nil {
		return err
	}
	if err := customerVehicleRecords.create(ctx, s.tx, cv); err != nil {
		return err
	}
	if err := customerVehicleVINs.move(s.tx, dealer, "", string(cv.VIN), cv.ID); err != nil {
		return err
	}
	if cv.SaleID == (crm.ID{}) {
		return nil // like PostgreSQL's unique index, which treats NULL sales as distinct
	}
	return s.keys().put(s.tx, key, cv.ID)
}

func (s customerVehicleStore) Update(ctx context.Context, cv *aftersales.CustomerVehicle) error {
	old, err := customerVehicleRecords.get(ctx, s.tx, cv.ID)
	if err != nil {
		return err
	}
	if err := vinFree(s.tx, old.DealerID, "memory.CustomerVehicles.Update", cv); err != nil {
		return err
	}
	if err := customerVehicleRecords.update(ctx, s.tx, cv); err != nil {
		return err
	}
	return customerVehicleVINs.move(s.tx, old.DealerID, string(old.VIN), string(cv.VIN), cv.ID)
}

// customerVehicleVINs is the unique VIN per dealer of customer vehicles, as PostgreSQL's customer_vehicles_vin.
var customerVehicleVINs = uniqueIndex{name: "customer_vehicles_vin"}

// vinFree refuses cv's VIN when another of the dealer's customer vehicles has it, naming the field as
// PostgreSQL's unique index does.
func vinFree(tx *Tx, dealer crm.ID, op string, cv *aftersales.CustomerVehicle) error {
	if customerVehicleVINs.free(tx, dealer, string(cv.VIN), cv.ID) {
		return nil
	}
	return &crm.Error{Kind: crm.KindConflict, Code: crm.CodeDuplicate, Op: op, Message: "vin: already exists",
		Fields: []crm.FieldError{{Field: "vin", Message: "already exists"}}}
}

func (s customerVehicleStore) FindByVIN(ctx context.Context, vin catalog.VIN) (aftersales.CustomerVehicle, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return aftersales.CustomerVehicle{}, err
	}
	id, ok := customerVehicleVINs.table(s.tx).get(dealerKey{dealer, string(vin)})
	if !ok || vin == "" {
		return aftersales.CustomerVehicle{}, crm.NotFound("memory.CustomerVehicles.FindByVIN", "no customer vehicle with VIN %s", vin)
	}
	return customerVehicleRecords.get(ctx, s.tx, id)
}

func (s customerVehicleStore) list(ctx context.Context, keep func(*aftersales.CustomerVehicle) bool) ([]aftersales.CustomerVehicle, error) {
	out, err := customerVehicleRecords.all(ctx, s.tx, keep)
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}

func (s customerVehicleStore) ListByCustomer(ctx context.Context, customerID crm.ID) ([]aftersales.CustomerVehicle, error) {
	return s.list(ctx, func(cv *aftersales.CustomerVehicle) bool { return cv.CustomerID == customerID })
}

func (s customerVehicleStore) ListByVehicle(ctx context.Context, vehicleID crm.ID) ([]aftersales.CustomerVehicle, error) {
	return s.list(ctx, func(cv *aftersales.CustomerVehicle) bool { return cv.VehicleID == vehicleID })
}

func (s customerVehicleStore) FindBySale(ctx context.Context, saleID crm.ID) (aftersales.CustomerVehicle, error) {
	out, err := s.list(ctx, func(cv *aftersales.CustomerVehicle) bool { return cv.SaleID == saleID })
	if err != nil {
		return aftersales.CustomerVehicle{}, err
	}
	if len(out) == 0 {
		return aftersales.CustomerVehicle{}, crm.NotFound("memory.CustomerVehicles.FindBySale", "sale %s has no customer vehicle", saleID)
	}
	return out[0], nil
}

var _ aftersales.Stores = (*Tx)(nil)

func (s customerVehicleStore) List(ctx context.Context, afterCreated time.Time, afterID crm.ID, limit int) ([]aftersales.CustomerVehicle, error) {
	start := afterID != (crm.ID{})
	out, err := s.list(ctx, func(cv *aftersales.CustomerVehicle) bool {
		return !start || cv.CreatedAt.After(afterCreated) ||
			(cv.CreatedAt.Equal(afterCreated) && cv.ID.String() > afterID.String())
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, err
}
