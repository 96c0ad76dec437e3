package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBookingWritesOnlyTheCarsHolds (issue 16 item 5): a booking's UPDATE of the car sets its status, exclusive
// holds, updated_at and version (catalog.HoldsUpdater), not the card, specs, insurance and build that it did
// not change — those are neither encoded, sent, parsed nor checked again — and the car read back after two
// bookings is the car before them but for its status, holds, version and time.
func TestBookingWritesOnlyTheCarsHolds(t *testing.T) {
	t.Parallel()
	db, rt := pgtest.OpenCounting(t)
	ctx, st, clock := salesFloor(t, db)
	lead, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
		Phones: []string{"+79161234567"}}, Source: "website", NeedType: "car_purchase"})
	require.NoError(t, err)
	car, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA21129012345678", Make: "Lada", Model: "Vesta",
		Trim: "Comfort", Year: 2026, Color: "белый", Body: "sedan", StockNumber: "С-101", Location: "площадка 2",
		Mileage: 12, Insurance: catalog.VehicleInsurance{Insurer: "Ингосстрах", PolicyNumber: "ХХХ 0123456789"},
		Specs: catalog.VehicleSpecs{EngineType: "petrol I4", DisplacementCC: 1596, PowerKW: decimal.NewFromInt(90),
			PowerHP: decimal.NewFromInt(122), Fuel: "petrol", Transmission: "cvt", Drive: "fwd", Seats: 5, Doors: 4},
		Finance: catalog.VehicleFinance{ListPrice: crm.NewMoney(decimal.NewFromInt(1_650_000), "RUB"),
			Cost: crm.NewMoney(decimal.NewFromInt(1_400_000), "RUB")}})
	require.NoError(t, err)
	require.Equal(t, catalog.StatusInStock, car.Status)
	car, err = st.Catalog.GetVehicle(ctx, car.ID) // as stored
	require.NoError(t, err)

	var updates []string
	for i := range 2 { // the first booking reserves the car; the second finds it reserved
		rt.Reset()
		_, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: lead.ID, VehicleID: car.ID,
			Start: time.Date(2026, 11, 28, 7+i, 0, 0, 0, time.UTC)})
		require.NoError(t, err)
		for _, s := range rt.Statements() {
			if strings.Contains(s, "UPDATE vehicles") {
				updates = append(updates, s)
			}
		}
	}
	// The statements' texts are recorded when they are parsed (prepared): the first booking's.
	require.NotEmpty(t, updates, "the booking's UPDATE of the car")
	for _, s := range updates {
		u := s[strings.Index(s, "UPDATE vehicles"):]
		u = u[:strings.Index(u, "WHERE")]
		assert.Contains(t, u, "status =")
		assert.Contains(t, u, "reservations =")
		for _, col := range []string{"card", "specs", "insurance", "build", "list_price", "vin", "make"} {
			assert.NotContains(t, u, " "+col+" =", "the booking's UPDATE of the car sets %s: %s", col, u)
		}
	}

	clock.Advance(time.Minute)
	got, err := st.Catalog.GetVehicle(ctx, car.ID)
	require.NoError(t, err)
	assert.Equal(t, catalog.StatusReserved, got.Status)
	assert.Equal(t, car.Version+2, got.Version)
	assert.Len(t, got.Reservations, 2)
	want := car
	want.Status, want.Version, want.UpdatedAt, want.Reservations = got.Status, got.Version, got.UpdatedAt, got.Reservations
	want.SaleHoldsOnly, want.DroppedHolds = got.SaleHoldsOnly, got.DroppedHolds
	assert.Equal(t, want, got, "the car's other fields as they were")
}

// TestUpdateHoldsRefusesAsUpdate: UpdateHolds checks the version and the dealer as Update does (a stale version,
// a missing car), and writes the car's status and holds.
func TestUpdateHoldsRefusesAsUpdate(t *testing.T) {
	t.Parallel()
	db := pgtest.Open(t)
	ctx, st, _ := salesFloor(t, db)
	car, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA21129012345679", Make: "Lada", Model: "Vesta",
		Year: 2026})
	require.NoError(t, err)
	unit := crm.NewUnit[catalog.Stores](db, nil)
	hold := catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: crm.NewID(),
		Holder: catalog.Holder{LeadID: crm.NewID()}, From: time.Now().Add(time.Hour), Until: time.Now().Add(2 * time.Hour)}
	save := func(v catalog.Vehicle, holdsOnly bool) error {
		return unit.Update(ctx, func(ctx context.Context, s catalog.Stores) error {
			if !holdsOnly {
				return s.Vehicles().Update(ctx, &v)
			}
			if _, ok := s.Vehicles().(catalog.HoldsUpdater); !ok {
				t.Fatal("the PostgreSQL vehicle store is not a catalog.HoldsUpdater")
			}
			return catalog.UpdateHolds(ctx, s.Vehicles(), &v)
		})
	}
	update := func(v catalog.Vehicle) error { return save(v, true) }
	stale := car
	stale.Version = 7
	require.NoError(t, stale.Reserve(hold, time.Now()))
	assert.Equal(t, crm.KindStaleVersion, crm.KindOf(update(stale)))
	assert.Equal(t, crm.KindOf(save(stale, false)), crm.KindOf(update(stale)), "as Update")
	missing := car
	missing.ID = crm.NewID()
	assert.Equal(t, crm.KindNotFound, crm.KindOf(update(missing)))
	assert.Equal(t, crm.KindOf(save(missing, false)), crm.KindOf(update(missing)), "as Update")

	held := car
	require.NoError(t, held.Reserve(hold, time.Now()))
	require.NoError(t, update(held))
	got, err := st.Catalog.GetVehicle(ctx, car.ID)
	require.NoError(t, err)
	assert.Equal(t, catalog.StatusReserved, got.Status)
	assert.Equal(t, car.Version+1, got.Version)
	require.Len(t, got.Reservations, 1, "%+v", got.Reservations)
	assert.Equal(t, hold.RefID, got.Reservations[0].RefID)
}
