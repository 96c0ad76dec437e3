package memory_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConvertAndExpiryCostDoNotGrowWithTheCarsHolds (issue 16 items 5 and 6): converting a lead into a sale of a
// car held for 300 test drives, and ending the one hold of such a car whose time ran out, allocate about what
// they do on a car held once: neither copies the car's holds (catalog.VehicleStore.GetForReserve and
// GetForExpiry read the row and, for the expiry, the ended holds and the one ending last).
func TestConvertAndExpiryCostDoNotGrowWithTheCarsHolds(t *testing.T) {
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	st := stack.New(memory.New(), clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»", Currency: "RUB"})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	u, err := st.AddUser(ctx, crm.User{Name: "Мария", Role: crm.RoleSalesManager})
	require.NoError(t, err)
	ctx = crm.WithActor(ctx, u.ID)
	vin := 0
	car := func() crm.ID {
		vin++
		v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: catalog.VIN(fmt.Sprintf("XTA%014d", vin)),
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
	// allocated runs the prepared runs of a and b in turn and returns the bytes each allocated per run (in turn,
	// so that the maps growing under both are alike).
	allocated := func(runs int, a, b func(i int) func()) (perA, perB uint64) {
		fa, fb := make([]func(), runs), make([]func(), runs)
		for i := range runs {
			fa[i], fb[i] = a(i), b(i)
		}
		var m0, m1, m2 runtime.MemStats
		for i := range runs {
			runtime.ReadMemStats(&m0)
			fa[i]()
			runtime.ReadMemStats(&m1)
			fb[i]()
			runtime.ReadMemStats(&m2)
			perA += m1.TotalAlloc - m0.TotalAlloc
			perB += m2.TotalAlloc - m1.TotalAlloc
		}
		return perA / uint64(runs), perB / uint64(runs)
	}
	leadNo := 0
	convert := func(cars []crm.ID) func(i int) func() {
		return func(i int) func() {
			leadNo++
			l, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
				Phones: []string{fmt.Sprintf("+7916000%04d", leadNo)}}, Source: "website", NeedType: "car_purchase"})
			require.NoError(t, err)
			return func() {
				_, err := st.Sales.ConvertLead(ctx, l.ID, 0, sales.ConvertInput{VehicleID: cars[i]})
				require.NoError(t, err)
			}
		}
	}
	const runs, held = 6, 300
	fews, manys, warm := make([]crm.ID, runs), make([]crm.ID, runs), make([]crm.ID, runs)
	for i := range runs {
		warm[i], fews[i], manys[i] = car(), car(), car()
		hold(fews[i], later)
		for range held {
			hold(manys[i], later)
		}
	}
	for i := range runs { // warm: the first converts of the dealer
		convert(warm)(i)()
	}
	a, b := allocated(runs, convert(fews), convert(manys))
	t.Logf("bytes allocated per convert: a car held once %d, %d times %d", a, held, b)
	assert.Less(t, b, a+a/4, "a convert allocates about the same however many holds the car has")

	// Ending holds: one run per car, each car with one hold that ends, beside one or 1,000 that do not.
	end := clock.Now().Add(time.Hour)
	ended := func(i int) time.Time { return end.Add(time.Duration(i) * time.Minute) }
	fewer, more := make([]crm.ID, runs), make([]crm.ID, runs)
	for i := range runs {
		fewer[i], more[i] = car(), car()
		hold(fewer[i], ended(2*i))
		hold(fewer[i], later)
		hold(more[i], ended(2*i+1))
		for range held {
			hold(more[i], later)
		}
	}
	expire := func(first int) func(i int) func() {
		return func(i int) func() {
			return func() {
				clock.Set(ended(2*i + first).Add(30 * time.Second))
				n, err := st.Catalog.ExpireReservations(ctx)
				require.NoError(t, err)
				assert.Equal(t, 1, n)
			}
		}
	}
	a, b = allocated(runs, expire(0), expire(1))
	t.Logf("bytes allocated per expiry: a car held twice %d, %d times %d", a, held+1, b)
	assert.Less(t, b, a+a/4, "ending a hold allocates about the same however many holds the car has")
	v, err := st.Catalog.GetVehicle(ctx, more[0])
	require.NoError(t, err)
	assert.Equal(t, catalog.StatusReserved, v.Status)
	assert.Len(t, v.Reservations, held, "the ended hold is gone, the others stay")
}
