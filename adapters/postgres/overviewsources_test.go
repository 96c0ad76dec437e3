package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// storesOnly is a DB whose transactions show only the stores of aftersales.Stores, not the *Tx's optional
// capabilities (OverviewReader, catalog.ModelRecordsReader): the service then reads store by store, as on an
// adapter without them.
type storesOnly struct{ db *postgres.DB }

func (s storesOnly) Transact(ctx context.Context, writable bool, fn func(ctx context.Context, tx any) error) error {
	return s.db.Transact(ctx, writable, func(ctx context.Context, tx any) error {
		return fn(ctx, struct{ aftersales.Stores }{tx.(aftersales.Stores)})
	})
}

// TestOverviewReaderEqualsTheStores: GetCarOverview through the *Tx's OverviewReader is one round trip (one
// statement on the pool, no BEGIN or COMMIT) and gives exactly what it gives store by store on the same database
// (the capability hidden) — for a car with a sale, visits with works of every state, warranties, readings and the
// directory's plan (its generation's), a car with a plan attached, one the directory does not know, a missing car
// and another dealer's — and, for a make whose name key is not its case folding (a final sigma), the same answer
// through catalog.MaintenancePlanFrom's fallback to the stores.
func TestOverviewReaderEqualsTheStores(t *testing.T) {
	db, trips := pgtest.OpenCounting(t)
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	st := stack.New(db, clock)
	plain := aftersales.NewService(crm.NewUnit[aftersales.Stores](storesOnly{db}, clock), clock)
	_, isReader := any(&postgres.Tx{}).(aftersales.OverviewReader)
	require.True(t, isReader)
	base := context.Background()
	d, err := st.AddDealer(base, crm.Dealer{Name: "Обзор", LegalName: "ООО «Обзор»", Currency: "RUB"})
	require.NoError(t, err)
	ctx := crm.WithDealer(base, d.ID)
	other, err := st.AddDealer(base, crm.Dealer{Name: "Юг", LegalName: "ООО «Юг»", Currency: "RUB"})
	require.NoError(t, err)
	otherCtx := crm.WithDealer(base, other.ID)

	// The directory: Lada Vesta with the model's plan and generation II's; a make whose name key differs from
	// its case folding.
	mk, err := st.Catalog.CreateMake(ctx, catalog.Make{Name: "Lada"})
	require.NoError(t, err)
	_, err = st.Catalog.CreateMake(ctx, catalog.Make{Name: "Kia"})
	require.NoError(t, err)
	md, err := st.Catalog.CreateModel(ctx, catalog.Model{MakeID: mk.ID, Name: "Vesta"})
	require.NoError(t, err)
	_, err = st.Catalog.CreateModel(ctx, catalog.Model{MakeID: mk.ID, Name: "Granta"})
	require.NoError(t, err)
	_, err = st.Catalog.CreateGeneration(ctx, catalog.Generation{ModelID: md.ID, Name: "I", YearFrom: 2015, YearTo: 2022})
	require.NoError(t, err)
	gen, err := st.Catalog.CreateGeneration(ctx, catalog.Generation{ModelID: md.ID, Name: "II", YearFrom: 2023})
	require.NoError(t, err)
	visits := []catalog.MaintenanceVisit{{Name: "ТО-1", Works: []catalog.MaintenanceWork{{Name: "Масло"}}}}
	_, err = st.Catalog.CreateMaintenancePlan(ctx, catalog.MaintenancePlan{ModelID: md.ID, Name: "ТО", IntervalKm: 15000,
		IntervalMonths: 12, Visits: visits})
	require.NoError(t, err)
	_, err = st.Catalog.CreateMaintenancePlan(ctx, catalog.MaintenancePlan{GenerationID: gen.ID, Name: "ТО II", IntervalKm: 10000,
		IntervalMonths: 6, Visits: visits})
	require.NoError(t, err)
	sigma, err := st.Catalog.CreateMake(ctx, catalog.Make{Name: "Aς"})
	require.NoError(t, err)
	sm, err := st.Catalog.CreateModel(ctx, catalog.Model{MakeID: sigma.ID, Name: "X"})
	require.NoError(t, err)
	_, err = st.Catalog.CreateMaintenancePlan(ctx, catalog.MaintenancePlan{ModelID: sm.ID, Name: "ТО X", IntervalKm: 7000,
		IntervalMonths: 3, Visits: visits})
	require.NoError(t, err)

	// A car sold here (its sale won in the store: what the overview reads of it), recorded for the buyer.
	v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTAGFL110RY000001", Make: "Lada", Model: "Vesta", Year: 2026,
		Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1500000", "RUB"), VATRate: decimal.RequireFromString("0.2")}})
	require.NoError(t, err)
	buyer, err := st.Customers.CreateCustomer(ctx, crm.Customer{Contact: crm.Contact{Kind: crm.Person, FirstName: "Пётр",
		LastName: "Обзоров", Phones: []string{"+79161230001"}}})
	require.NoError(t, err)
	sale, err := st.Sales.OpenSale(ctx, sales.OpenSaleInput{CustomerID: buyer.ID, VehicleID: v.ID})
	require.NoError(t, err)
	require.NoError(t, crm.NewUnit[sales.Stores](db, clock).Update(ctx, func(ctx context.Context, s sales.Stores) error {
		w, err := s.Sales().Get(ctx, sale.ID)
		if err != nil {
			return err
		}
		w.Status, w.Probability, w.WonAt, w.PaymentMethod = sales.StatusWon, 100, clock.Now(), "cash"
		w.Amount = crm.MustMoney("1450000", "RUB")
		return s.Sales().Update(ctx, &w)
	}))
	car, err := st.Aftersales.CreateCustomerVehicle(ctx, aftersales.CustomerVehicle{CustomerID: buyer.ID, VIN: v.VIN,
		Make: "lada", Model: " VESTA", Year: 2026, OdometerAtSale: 15, InServiceSince: clock.Now()})
	require.NoError(t, err)
	_, err = st.Aftersales.AddWarranty(ctx, car.ID, aftersales.Warranty{Kind: aftersales.WarrantyDealer, Start: aftersales.Date(clock.Now()),
		End: aftersales.Date(clock.Now()).AddDate(0, 0, 10), Systems: []string{"brakes"}})
	require.NoError(t, err)
	_, err = st.Aftersales.AddWarranty(ctx, car.ID, aftersales.Warranty{Kind: aftersales.WarrantyManufacturer,
		Start: aftersales.Date(clock.Now()), End: aftersales.Date(clock.Now()).AddDate(3, 0, 0), KmLimit: 100000,
		Systems: []string{"engine", "transmission"}})
	require.NoError(t, err)
	oil, err := st.Catalog.CreateLabour(ctx, catalog.Labour{Code: "OIL", Name: "Замена масла",
		LabourHours: decimal.RequireFromString("1"), Price: crm.MustMoney("2500", "RUB")})
	require.NoError(t, err)
	at := func(day, hour int) time.Time { return time.Date(2026, 11, 27+day, hour-3, 0, 0, 0, time.UTC) } // Moscow time
	done, err := st.Aftersales.BookAppointment(ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "1",
		Start: at(1, 10), Works: []aftersales.WorkRequest{{LabourID: oil.ID}}, Maintenance: true, Notes: "ТО-1"})
	require.NoError(t, err)
	cancelled, err := st.Aftersales.BookAppointment(ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "2",
		Start: at(2, 10), End: at(2, 11)})
	require.NoError(t, err)
	_, err = st.Aftersales.MoveAppointment(ctx, cancelled.ID, 0, "cancel", aftersales.StepInput{Reason: "занят"})
	require.NoError(t, err)
	_, err = st.Aftersales.BookAppointment(ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "3",
		Start: at(9, 10), End: at(9, 11)})
	require.NoError(t, err)
	clock.Advance(28 * time.Hour)
	for _, step := range []struct {
		name string
		km   int
	}{{"arrive", 990}, {"start", 0}, {"complete", 1000}} {
		clock.Advance(10 * time.Minute)
		_, err = st.Aftersales.MoveAppointment(ctx, done.ID, 0, step.name, aftersales.StepInput{KM: step.km})
		require.NoError(t, err, step.name)
	}
	clock.Advance(time.Hour)
	_, _, err = st.Aftersales.RecordMileage(ctx, car.ID, 0, aftersales.MileageReading{KM: 1200})
	require.NoError(t, err)

	attached := aftersales.CustomerVehicle{CustomerID: buyer.ID, VIN: "XTAGFL110RY000002", Make: "Lada", Model: "Vesta",
		Year: 2026, Plan: aftersales.AttachedPlan{Interval: aftersales.MaintenanceInterval{EveryKM: 20000, EveryMonths: 24}},
		InServiceSince: clock.Now()}
	require.NoError(t, crm.NewUnit[aftersales.Stores](db, clock).Update(ctx, func(ctx context.Context, s aftersales.Stores) error {
		return s.CustomerVehicles().Create(ctx, &attached)
	}))
	unknown, err := st.Aftersales.CreateCustomerVehicle(ctx, aftersales.CustomerVehicle{CustomerID: buyer.ID,
		VIN: "XTAGFL110RY000003", Make: "Haval", Model: "Jolion", Year: 2024})
	require.NoError(t, err)
	folded, err := st.Aftersales.CreateCustomerVehicle(ctx, aftersales.CustomerVehicle{CustomerID: buyer.ID,
		VIN: "XTAGFL110RY000004", Make: "AΣ", Model: "x", Year: 2024})
	require.NoError(t, err)
	theirBuyer, err := st.Customers.CreateCustomer(otherCtx, crm.Customer{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
		Phones: []string{"+79161230002"}}})
	require.NoError(t, err)
	theirs, err := st.Aftersales.CreateCustomerVehicle(otherCtx, aftersales.CustomerVehicle{CustomerID: theirBuyer.ID,
		VIN: "XTAGFL110RY000005", Make: "Lada", Model: "Vesta", Year: 2026})
	require.NoError(t, err)

	// measure reads the overview twice from one call site and counts the second: the first warms (the pool's
	// connections open, the call site's shape learnt by DB.view), as a server runs.
	measure := func(s *aftersales.Service, id crm.ID) (o aftersales.CarOverview, n int, err error) {
		for range 2 {
			trips.Reset()
			o, err = s.GetCarOverview(ctx, id)
		}
		return o, trips.Count(), err
	}
	compare := func(name string, id crm.ID, oneTrip bool) aftersales.CarOverview {
		t.Helper()
		got, fast, gotErr := measure(st.Aftersales, id)
		want, slow, wantErr := measure(plain, id)
		t.Logf("%s: %d round trip(s) through the OverviewReader, %d store by store (warm)", name, fast, slow)
		assert.Equal(t, want, got, name)
		if wantErr != nil || gotErr != nil {
			assert.True(t, errors.Is(gotErr, crm.ErrNotFound), "%s: %v", name, gotErr)
			assert.True(t, errors.Is(wantErr, crm.ErrNotFound), "%s: %v", name, wantErr)
		}
		if oneTrip {
			assert.Equal(t, 1, fast, "%s: one statement, no BEGIN or COMMIT", name)
			assert.Greater(t, slow, fast, name)
		}
		return got
	}
	o := compare("sold car, directory plan", car.ID, true)
	assert.Len(t, o.Sales, 1)
	assert.Len(t, o.Visits, 3)
	assert.Len(t, o.Visits[0].Works, 1)
	assert.Len(t, o.Warranties, 2)
	assert.Len(t, o.Readings, 4)
	assert.Equal(t, aftersales.MaintenanceInterval{EveryKM: 10000, EveryMonths: 6}, o.Maintenance.Plan.Interval, "generation II's")
	o = compare("plan attached", attached.ID, true)
	assert.Equal(t, attached.Plan, o.Maintenance.Plan)
	o = compare("make the directory does not know", unknown.ID, true)
	assert.True(t, o.Maintenance.Plan.Interval.IsZero())
	compare("missing car", crm.NewID(), true)
	compare("another dealer's car", theirs.ID, true)
	// Last: the fallback's second statement teaches the DB that the overview's read may take more than one.
	o = compare("make named by case folding only", folded.ID, false)
	assert.Equal(t, aftersales.MaintenanceInterval{EveryKM: 7000, EveryMonths: 3}, o.Maintenance.Plan.Interval)
}
