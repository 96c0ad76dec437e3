package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/lib/pq"
)

// ownerChangeDoc is one owner change as customer_vehicles.owners keeps it.
type ownerChangeDoc struct {
	From   crm.ID    `json:"from"`
	To     crm.ID    `json:"to"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// customerVehicleTable is the row of a customer vehicle.
var customerVehicleTable = table[aftersales.CustomerVehicle]{
	name: "customer_vehicles",
	cols: []string{"customer_id", "vehicle_id", "vin", "make", "model", "trim", "year", "sale_id", "sold_at", "insurer",
		"policy_number", "insured_from", "insured_to", "service_contract", "selling_dealer_id", "odometer_at_sale",
		"in_service_since", "odometer", "odometer_at", "last_maintenance_at", "last_maintenance_km", "plan_id",
		"plan_every_km", "plan_every_months", "owners", "past_insurance"},
	meta: func(cv *aftersales.CustomerVehicle) *crm.Meta { return &cv.Meta },
	args: func(cv *aftersales.CustomerVehicle) []any {
		owners := make([]ownerChangeDoc, 0, len(cv.Owners))
		for _, o := range cv.Owners {
			owners = append(owners, ownerChangeDoc{From: o.From, To: o.To, At: o.At.UTC(), Reason: o.Reason})
		}
		past := make([]insuranceDoc, 0, len(cv.PastInsurance))
		for _, in := range cv.PastInsurance {
			past = append(past, insuranceDocOf(in))
		}
		return []any{cv.CustomerID, salesNullID(cv.VehicleID), string(cv.VIN), cv.Make, cv.Model, cv.Trim, cv.Year,
			salesNullID(cv.SaleID), salesNullTime(cv.SoldAt), cv.Insurance.Insurer, cv.Insurance.PolicyNumber,
			salesNullTime(cv.Insurance.ValidFrom), salesNullTime(cv.Insurance.ValidTo), cv.ServiceContract,
			salesNullID(cv.SellingDealerID), cv.OdometerAtSale, salesNullTime(cv.InServiceSince), cv.Odometer,
			salesNullTime(cv.OdometerAt), salesNullTime(cv.LastMaintenanceAt), cv.LastMaintenanceKM,
			salesNullID(cv.Plan.PlanID), cv.Plan.Interval.EveryKM, cv.Plan.Interval.EveryMonths, jsonb{owners}, jsonb{past}}
	},
	scan: func(cv *aftersales.CustomerVehicle) ([]any, func()) {
		var vin string
		var vehicle, sale, selling, plan sql.Null[crm.ID]
		var soldAt, from, to, since, odoAt, maintAt sql.Null[time.Time]
		var owners []ownerChangeDoc
		var past []insuranceDoc
		return []any{&cv.CustomerID, &vehicle, &vin, &cv.Make, &cv.Model, &cv.Trim, &cv.Year, &sale, &soldAt,
				&cv.Insurance.Insurer, &cv.Insurance.PolicyNumber, &from, &to, &cv.ServiceContract, &selling,
				&cv.OdometerAtSale, &since, &cv.Odometer, &odoAt, &maintAt, &cv.LastMaintenanceKM, &plan,
				&cv.Plan.Interval.EveryKM, &cv.Plan.Interval.EveryMonths, jsonb{&owners}, jsonb{&past}},
			func() {
				cv.VIN = catalog.VIN(vin)
				cv.VehicleID, cv.SaleID, cv.SellingDealerID, cv.Plan.PlanID = vehicle.V, sale.V, selling.V, plan.V
				cv.SoldAt, cv.Insurance.ValidFrom, cv.Insurance.ValidTo = salesTime(soldAt), salesTime(from), salesTime(to)
				cv.InServiceSince, cv.OdometerAt, cv.LastMaintenanceAt = salesTime(since), salesTime(odoAt), salesTime(maintAt)
				for _, o := range owners {
					cv.Owners = append(cv.Owners, aftersales.OwnerChange{From: o.From, To: o.To, At: o.At.UTC(), Reason: o.Reason})
				}
				for _, in := range past {
					v := in.value()
					v.ValidFrom, v.ValidTo = utcOrZero(v.ValidFrom), utcOrZero(v.ValidTo)
					cv.PastInsurance = append(cv.PastInsurance, v)
				}
			}
	},
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

type customerVehicleStore struct{ t *Tx }

// CustomerVehicles returns the customer-vehicle store of this unit of work.
func (t *Tx) CustomerVehicles() aftersales.CustomerVehicleStore { return customerVehicleStore{t} }

func (s customerVehicleStore) Get(ctx context.Context, id crm.ID) (aftersales.CustomerVehicle, error) {
	return customerVehicleTable.get(ctx, s.t, id)
}

func (s customerVehicleStore) Create(ctx context.Context, cv *aftersales.CustomerVehicle) error {
	return customerVehicleTable.create(ctx, s.t, cv)
}

func (s customerVehicleStore) Update(ctx context.Context, cv *aftersales.CustomerVehicle) error {
	return customerVehicleTable.update(ctx, s.t, cv)
}

func (s customerVehicleStore) ListByCustomer(ctx context.Context, customerID crm.ID) ([]aftersales.CustomerVehicle, error) {
	return customerVehicleTable.list(ctx, s.t, "customer_id = $2", "created_at, id", customerID)
}

func (s customerVehicleStore) ListByVehicle(ctx context.Context, vehicleID crm.ID) ([]aftersales.CustomerVehicle, error) {
	return customerVehicleTable.list(ctx, s.t, "vehicle_id = $2", "created_at, id", vehicleID)
}

func (s customerVehicleStore) FindByVIN(ctx context.Context, vin catalog.VIN) (aftersales.CustomerVehicle, error) {
	out, err := customerVehicleTable.list(ctx, s.t, "vin = $2", "id", string(vin))
	if err != nil {
		return aftersales.CustomerVehicle{}, err
	}
	if len(out) == 0 {
		return aftersales.CustomerVehicle{}, crm.NotFound("postgres.CustomerVehicles.FindByVIN", "no customer vehicle with VIN %s", vin)
	}
	return out[0], nil
}

func (s customerVehicleStore) FindBySale(ctx context.Context, saleID crm.ID) (aftersales.CustomerVehicle, error) {
	out, err := customerVehicleTable.list(ctx, s.t, "sale_id = $2", "created_at, id", saleID)
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
	return customerVehicleTable.list(ctx, s.t,
		`$2::uuid = '00000000-0000-0000-0000-000000000000' OR (created_at, id) > ($3, $2)`, "created_at, id LIMIT $4",
		afterID, afterCreated, limit)
}

// mileageTable is the row of a mileage reading.
var mileageTable = table[aftersales.MileageReading]{
	name: "mileage_readings",
	cols: []string{"customer_vehicle_id", "km", "taken_at", "source", "correction_reason"},
	meta: func(r *aftersales.MileageReading) *crm.Meta { return &r.Meta },
	args: func(r *aftersales.MileageReading) []any {
		return []any{r.CustomerVehicleID, r.KM, r.At.UTC(), string(r.Source), r.CorrectionReason}
	},
	scan: func(r *aftersales.MileageReading) ([]any, func()) {
		var source string
		return []any{&r.CustomerVehicleID, &r.KM, &r.At, &source, &r.CorrectionReason}, func() {
			r.At, r.Source = r.At.UTC(), aftersales.ReadingSource(source)
		}
	},
}

type mileageStore struct{ t *Tx }

// MileageReadings returns the mileage-reading store of this unit of work.
func (t *Tx) MileageReadings() aftersales.MileageReadingStore { return mileageStore{t} }

func (s mileageStore) Create(ctx context.Context, r *aftersales.MileageReading) error {
	return mileageTable.create(ctx, s.t, r)
}

func (s mileageStore) ListByCustomerVehicle(ctx context.Context, id crm.ID) ([]aftersales.MileageReading, error) {
	return mileageTable.list(ctx, s.t, "customer_vehicle_id = $2", "taken_at, created_at, id", id)
}

func (s mileageStore) ListByCustomerVehicles(ctx context.Context, ids []crm.ID) ([]aftersales.MileageReading, error) {
	keys := make(pq.StringArray, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, id.String())
	}
	return mileageTable.list(ctx, s.t, "customer_vehicle_id = ANY($2::uuid[])", "customer_vehicle_id, taken_at, created_at, id", keys)
}
