package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConvertAndExpiryCostDoNotGrowWithTheCarsHolds (issue 16 items 5 and 6): converting a lead into a sale of a
// car held for 80 test drives, and ending the one hold of such a car whose time ran out, read and send what they
// do on a car held once — the same statements, round trips and bytes on the wire — and never read the car's
// holds as a whole (the card's vehicleHoldsCol). Before, both read every hold of the car (Vehicles.Get).
func TestConvertAndExpiryCostDoNotGrowWithTheCarsHolds(t *testing.T) {
	t.Parallel()
	db, rt := pgtest.OpenCounting(t)
	db.SQLX().SetMaxOpenConns(1) // one connection: pgx's statement cache warm for every car alike
	ctx, st, clock := salesFloor(t, db)
	car := func(n int) crm.ID {
		v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: catalog.VIN(fmt.Sprintf("XTA%014d", n)),
			Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026,
			Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1500000", "RUB")}})
		require.NoError(t, err)
		return v.ID
	}
	hold := func(id crm.ID, until time.Time) {
		_, err := st.Catalog.ReserveVehicle(ctx, id, 0, catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: crm.NewID(),
			Holder: catalog.Holder{LeadID: crm.NewID()}, Until: until})
		require.NoError(t, err)
	}
	later := clock.Now().Add(30 * 24 * time.Hour)
	type cost struct {
		trips      int
		sent, read int64
		statements []string
	}
	measure := func(fn func()) cost {
		rt.Reset()
		fn()
		return cost{rt.Count(), rt.BytesSent(), rt.BytesReceived(), rt.Statements()}
	}
	same := func(what string, a, b cost) {
		t.Helper()
		t.Logf("%s: a car held once: %d round trips, %d bytes sent, %d received; held 81 times: %d, %d, %d",
			what, a.trips, a.sent, a.read, b.trips, b.sent, b.read)
		assert.Equal(t, a.trips, b.trips, "%s: round trips", what)
		assert.Equal(t, a.statements, b.statements, "%s: the same statements", what)
		assert.InDelta(t, a.read, b.read, 16, "%s: bytes read from PostgreSQL", what)
		assert.InDelta(t, a.sent, b.sent, 16, "%s: bytes sent to PostgreSQL", what)
		for _, s := range b.statements {
			assert.NotContains(t, s, "FROM vehicle_holds h WHERE", "%s reads no car's holds as a whole: %s", what, s)
		}
	}

	// Converting: a fresh lead each time, the same sale but for its car.
	leadNo := 0
	convert := func(id crm.ID) func() {
		leadNo++
		l, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
			Phones: []string{fmt.Sprintf("+7916000%04d", leadNo)}}, Source: "website", NeedType: "car_purchase"})
		require.NoError(t, err)
		return func() {
			_, err := st.Sales.ConvertLead(ctx, l.ID, 0, sales.ConvertInput{VehicleID: id})
			require.NoError(t, err)
		}
	}
	warm, few, many := car(1), car(2), car(3)
	hold(few, later)
	for range 81 {
		hold(many, later)
	}
	measure(convert(warm))
	same("convert", measure(convert(few)), measure(convert(many)))

	// Ending holds: each car has one hold that ends, beside one or 81 that do not (the first car is the warm-up);
	// then a car whose only hold ends, back in stock.
	w, b, c, a := car(4), car(5), car(6), car(7)
	end := clock.Now().Add(time.Hour)
	hold(w, end)
	hold(w, later)
	hold(b, end.Add(time.Minute))
	hold(b, later)
	hold(c, end.Add(2*time.Minute))
	for range 81 {
		hold(c, later)
	}
	hold(a, end.Add(3*time.Minute))
	expire := func(at time.Time) func() {
		return func() {
			clock.Set(at)
			n, err := st.Catalog.ExpireReservations(ctx)
			require.NoError(t, err)
			assert.Equal(t, 1, n)
		}
	}
	measure(expire(end.Add(30 * time.Second)))
	same("expiry", measure(expire(end.Add(90*time.Second))), measure(expire(end.Add(150*time.Second))))
	expire(end.Add(210 * time.Second))()

	va, err := st.Catalog.GetVehicle(ctx, a)
	require.NoError(t, err)
	assert.Equal(t, catalog.StatusInStock, va.Status)
	vc, err := st.Catalog.GetVehicle(ctx, c)
	require.NoError(t, err)
	assert.Equal(t, catalog.StatusReserved, vc.Status)
	assert.Len(t, vc.Reservations, 81, "the ended hold is gone, the others stay")
}
