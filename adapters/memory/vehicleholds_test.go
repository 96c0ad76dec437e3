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
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBookingCostDoesNotGrowWithTheCarsDrives (issue 16 item 6): booking a test drive on a car with 1,000 future
// drives booked allocates what booking one on a car with a single drive does: the booking reads the car without
// its shared holds (GetForReserve) and writes only the new one. Before, every booking copied the car's whole list
// of holds several times (about 200 bytes a hold a copy).
func TestBookingCostDoesNotGrowWithTheCarsDrives(t *testing.T) {
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	st := stack.New(memory.New(), clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»", Currency: "RUB"})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	u, err := st.AddUser(ctx, crm.User{Name: "Мария", Role: crm.RoleSalesManager})
	require.NoError(t, err)
	ctx = crm.WithActor(ctx, u.ID)
	lead, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
		Phones: []string{"+79161234567"}}, Source: "website", NeedType: "car_purchase"})
	require.NoError(t, err)
	var few, many crm.ID
	for i, id := range []*crm.ID{&few, &many} {
		v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: catalog.VIN(fmt.Sprintf("XTA%014d", i+1)),
			Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026})
		require.NoError(t, err)
		*id = v.ID
	}
	slot := func(n int) time.Time {
		return time.Date(2026, 11, 28+n/20, 6, 0, 0, 0, time.UTC).Add(time.Duration(n%20) * 30 * time.Minute)
	}
	book := func(car crm.ID, n int) {
		t.Helper()
		_, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: lead.ID, VehicleID: car, Start: slot(n)})
		require.NoError(t, err)
	}
	book(few, 0)
	for n := range 1000 {
		book(many, n)
	}
	allocated := func(car crm.ID, from int) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for n := from; n < from+10; n++ {
			book(car, n)
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / 10
	}
	allocated(few, 1300) // warm
	a, b := allocated(few, 1400), allocated(many, 1400)
	t.Logf("bytes allocated per booking: a car with a few drives %d, with 1,000 %d", a, b)
	assert.Less(t, b, a+a/4, "a booking allocates about the same however many drives the car has")
}
