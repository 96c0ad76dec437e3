package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

type customerVehicleStore struct{ t *Tx }

// CustomerVehicles returns the customer-vehicle store of this unit of work.
func (t *Tx) CustomerVehicles() aftersales.CustomerVehicleStore { return customerVehicleStore{t} }

const customerVehicleCols = `id, dealer_id, version, created_at, updated_at, customer_id, vehicle_id, vin, make, model,
	trim, year, sale_id, sold_at, insurer, policy_number, insured_from, insured_to, service_contract,
	selling_dealer_id, odometer_at_sale`

func scanCustomerVehicle(row interface{ Scan(...any) error }) (aftersales.CustomerVehicle, error) {
	var cv aftersales.CustomerVehicle
	var vin string
	var soldAt, from, to sql.Null[time.Time]
	err := row.Scan(&cv.ID, &cv.DealerID, &cv.Version, &cv.CreatedAt, &cv.UpdatedAt, &cv.CustomerID, &cv.VehicleID, &vin,
		&cv.Make, &cv.Model, &cv.Trim, &cv.Year, &cv.SaleID, &soldAt, &cv.Insurance.Insurer, &cv.Insurance.PolicyNumber,
		&from, &to, &cv.ServiceContract, &cv.SellingDealerID, &cv.OdometerAtSale)
	cv.VIN = catalog.VIN(vin)
	cv.SoldAt, cv.Insurance.ValidFrom, cv.Insurance.ValidTo = salesTime(soldAt), salesTime(from), salesTime(to)
	cv.CreatedAt, cv.UpdatedAt = cv.CreatedAt.UTC(), cv.UpdatedAt.UTC()
	return cv, err
}

func (s customerVehicleStore) Get(ctx context.Context, id crm.ID) (aftersales.CustomerVehicle, error) {
	d, err := dealer(ctx)
	if err != nil {
		return aftersales.CustomerVehicle{}, err
	}
	cv, err := scanCustomerVehicle(s.t.tx.QueryRowxContext(ctx, `SELECT `+customerVehicleCols+` FROM customer_vehicles
		WHERE id = $1 AND dealer_id = $2`, id, d))
	if isNoRows(err) {
		return aftersales.CustomerVehicle{}, crm.NotFound("postgres.CustomerVehicles.Get", "customer vehicle %s not found", id)
	}
	return cv, mapErr("postgres.CustomerVehicles.Get", err)
}

func (s customerVehicleStore) Create(ctx context.Context, cv *aftersales.CustomerVehicle) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&cv.Meta, d, "postgres.CustomerVehicles.Create"); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO customer_vehicles (`+customerVehicleCols+`)
		VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		cv.ID, cv.DealerID, cv.CreatedAt, cv.UpdatedAt, cv.CustomerID, cv.VehicleID, string(cv.VIN), cv.Make, cv.Model,
		cv.Trim, cv.Year, salesNullID(cv.SaleID), salesNullTime(cv.SoldAt), cv.Insurance.Insurer, cv.Insurance.PolicyNumber,
		salesNullTime(cv.Insurance.ValidFrom), salesNullTime(cv.Insurance.ValidTo), cv.ServiceContract,
		salesNullID(cv.SellingDealerID), cv.OdometerAtSale)
	return created(&cv.Meta, mapErr("postgres.CustomerVehicles.Create", err))
}

func (s customerVehicleStore) Update(ctx context.Context, cv *aftersales.CustomerVehicle) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE customer_vehicles SET version = version + 1, updated_at = $4,
		customer_id = $5, vehicle_id = $6, vin = $7, make = $8, model = $9, trim = $10, year = $11, sale_id = $12,
		sold_at = $13, insurer = $14, policy_number = $15, insured_from = $16, insured_to = $17, service_contract = $18,
		selling_dealer_id = $19, odometer_at_sale = $20
		WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		cv.ID, d, cv.Version, cv.UpdatedAt, cv.CustomerID, cv.VehicleID, string(cv.VIN), cv.Make, cv.Model,
		cv.Trim, cv.Year, salesNullID(cv.SaleID), salesNullTime(cv.SoldAt), cv.Insurance.Insurer, cv.Insurance.PolicyNumber,
		salesNullTime(cv.Insurance.ValidFrom), salesNullTime(cv.Insurance.ValidTo), cv.ServiceContract,
		salesNullID(cv.SellingDealerID), cv.OdometerAtSale)
	if err := s.t.updated(ctx, "postgres.CustomerVehicles.Update", "customer_vehicles", cv.ID, d, res, err); err != nil {
		return err
	}
	cv.Version++
	return nil
}

func (s customerVehicleStore) list(ctx context.Context, op, column string, key crm.ID) ([]aftersales.CustomerVehicle, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+customerVehicleCols+` FROM customer_vehicles
		WHERE dealer_id = $1 AND `+column+` = $2 ORDER BY created_at, id`, d, key)
	return collect(rows, err, op, scanCustomerVehicle)
}

func (s customerVehicleStore) ListByCustomer(ctx context.Context, customerID crm.ID) ([]aftersales.CustomerVehicle, error) {
	return s.list(ctx, "postgres.CustomerVehicles.ListByCustomer", "customer_id", customerID)
}

func (s customerVehicleStore) ListByVehicle(ctx context.Context, vehicleID crm.ID) ([]aftersales.CustomerVehicle, error) {
	return s.list(ctx, "postgres.CustomerVehicles.ListByVehicle", "vehicle_id", vehicleID)
}

func (s customerVehicleStore) FindBySale(ctx context.Context, saleID crm.ID) (aftersales.CustomerVehicle, error) {
	out, err := s.list(ctx, "postgres.CustomerVehicles.FindBySale", "sale_id", saleID)
	if err != nil {
		return aftersales.CustomerVehicle{}, err
	}
	if len(out) == 0 {
		return aftersales.CustomerVehicle{}, crm.NotFound("postgres.CustomerVehicles.FindBySale", "sale %s has no customer vehicle", saleID)
	}
	return out[0], nil
}

var _ aftersales.Stores = (*Tx)(nil)

func (s customerVehicleStore) List(ctx context.Context, afterCreated time.Time, afterID crm.ID, limit int) ([]aftersales.CustomerVehicle, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+customerVehicleCols+` FROM customer_vehicles
		WHERE dealer_id = $1 AND ($2::uuid = '00000000-0000-0000-0000-000000000000' OR (created_at, id) > ($3, $2))
		ORDER BY created_at, id LIMIT $4`, d, afterID, afterCreated, limit)
	return collect(rows, err, "postgres.CustomerVehicles.List", scanCustomerVehicle)
}
