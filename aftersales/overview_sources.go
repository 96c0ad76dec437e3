package aftersales

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// OverviewSources is what a car's overview (GetCarOverview) is made from, as stored: the dealer's workshop
// calendar (its time zone), the customer vehicle, its mileage readings, its appointments, its warranties, the won
// sales of its VIN and, for a car without a plan attached, the directory's records its plan is picked from.
type OverviewSources struct {
	Workshop    Workshop // valid when HasWorkshop; else DefaultWorkshop applies
	HasWorkshop bool
	Car         CustomerVehicle     // zero (ID zero) when the dealer has no such car; then the rest is empty
	Readings    []MileageReading    // as MileageReadingStore.ListByCustomerVehicle
	Visits      []Appointment       // as AppointmentStore.ListByCustomerVehicle
	Warranties  []Warranty          // as WarrantyStore.ListByCustomerVehicle
	Sales       []CarSale           // as CarSaleStore.ListWonByVIN of the car's VIN
	Directory   catalog.MakeRecords // the car's make and model in the directory; read only when HasDirectory
	// HasDirectory is set when Directory was read (the car has no plan attached): its plan is then picked from
	// Directory (catalog.MaintenancePlanFrom) rather than read from the stores.
	HasDirectory bool
}

// OverviewReader is an optional capability of a Stores bundle: reading a car's OverviewSources at once (the
// PostgreSQL adapter's is one statement, so one round trip and one snapshot). GetCarOverview asks for it with a
// type assertion and reads the records one by one from the stores when the bundle lacks it.
type OverviewReader interface {
	// ReadOverview reads the sources of the overview of customer vehicle id. A car the dealer does not have is
	// left zero (ID zero), the caller decides; errors are the database's.
	ReadOverview(ctx context.Context, id crm.ID) (OverviewSources, error)
}

// overviewSources reads the sources of car id's overview through st's OverviewReader when it has one, else store
// by store (without the directory: planOf reads it). A car the dealer does not have is left zero.
func overviewSources(ctx context.Context, st Stores, id crm.ID) (OverviewSources, error) {
	if r, ok := st.(OverviewReader); ok {
		return r.ReadOverview(ctx, id)
	}
	var src OverviewSources
	var err error
	if src.Workshop, err = st.Workshops().Get(ctx); err == nil {
		src.HasWorkshop = true
	} else if !errors.Is(err, crm.ErrNotFound) {
		return OverviewSources{}, err
	}
	if src.Car, err = st.CustomerVehicles().Get(ctx, id); errors.Is(err, crm.ErrNotFound) {
		return OverviewSources{Workshop: src.Workshop, HasWorkshop: src.HasWorkshop}, nil
	} else if err != nil {
		return OverviewSources{}, err
	}
	if src.Readings, err = st.MileageReadings().ListByCustomerVehicle(ctx, id); err != nil {
		return OverviewSources{}, err
	}
	if src.Visits, err = st.Appointments().ListByCustomerVehicle(ctx, id); err != nil {
		return OverviewSources{}, err
	}
	if src.Warranties, err = st.Warranties().ListByCustomerVehicle(ctx, id); err != nil {
		return OverviewSources{}, err
	}
	if src.Sales, err = st.CarSales().ListWonByVIN(ctx, src.Car.VIN); err != nil {
		return OverviewSources{}, err
	}
	return src, nil
}

// overviewPlan is planOf over what the overview's sources hold: the plan attached to the car, else the
// directory's picked from the records read along (HasDirectory), else read from the stores.
func overviewPlan(ctx context.Context, st Stores, src OverviewSources) (AttachedPlan, error) {
	cv := src.Car
	if !cv.Plan.Interval.IsZero() || !src.HasDirectory {
		return planOf(ctx, st, cv)
	}
	p, err := catalog.MaintenancePlanFrom(ctx, st, src.Directory, cv.Make, cv.Model, cv.Year)
	return planFromDirectory(p, err)
}
