package postgres_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBookingCostDoesNotGrowWithTheCarsDrives (issue 16 items 5 and 6): booking a test drive on a car that has
// 80 future drives booked reads and sends what booking one on a car with a single drive does — the same
// statements, round trips and bytes on the wire — and never reads the car's other holds (vehicle_holds is only
// inserted into). Before migration 093 every booking read, decoded and rewrote the car's whole list of holds:
// about 300 bytes more per drive booked before it.
func TestBookingCostDoesNotGrowWithTheCarsDrives(t *testing.T) {
	t.Parallel()
	db, rt := pgtest.OpenCounting(t)
	db.SQLX().SetMaxOpenConns(1) // one connection: pgx's statement cache warm for both cars alike
	ctx, st, _ := salesFloor(t, db)
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
	// Half-hour slots from 09:00 Moscow, 20 a day, all in the future of the clock.
	slot := func(n int) time.Time {
		return time.Date(2026, 11, 28+n/20, 6, 0, 0, 0, time.UTC).Add(time.Duration(n%20) * 30 * time.Minute)
	}
	book := func(car crm.ID, n int) {
		t.Helper()
		_, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: lead.ID, VehicleID: car, Start: slot(n)})
		require.NoError(t, err)
	}
	rt.Reset()
	book(few, 0)
	first := rt.Statements() // the first booking on the connection: every statement's text (parsed to be prepared)
	require.NotEmpty(t, first)
	for n := range 80 {
		book(many, n)
	}
	type cost struct {
		trips      int
		sent, read int64
		statements []string
	}
	measure := func(car crm.ID, n int) cost {
		rt.Reset()
		book(car, n)
		return cost{rt.Count(), rt.BytesSent(), rt.BytesReceived(), rt.Statements()}
	}
	measure(few, 100) // warm: every statement of a booking prepared (pgx) on the one connection
	a, b := measure(few, 101), measure(many, 101)
	t.Logf("a car with 2 drives: %d round trips, %d bytes sent, %d received; with 81: %d, %d, %d",
		a.trips, a.sent, a.read, b.trips, b.sent, b.read)
	assert.Equal(t, a.trips, b.trips, "round trips")
	assert.Equal(t, a.statements, b.statements, "the same statements")
	assert.InDelta(t, a.read, b.read, 16, "bytes read from PostgreSQL")
	assert.InDelta(t, a.sent, b.sent, 16, "bytes sent to PostgreSQL")
	for _, s := range append(first, b.statements...) {
		if strings.Contains(s, "vehicle_holds") {
			assert.Contains(t, s, "INSERT INTO vehicle_holds", "the car's other holds are never read: %s", s)
			assert.NotContains(t, s, "FROM vehicle_holds h", "the car's other holds are never read: %s", s)
		}
	}

	// The card still lists every hold, in the order they were booked.
	v, err := st.Catalog.GetVehicle(ctx, many)
	require.NoError(t, err)
	require.Len(t, v.Reservations, 81)
	assert.Equal(t, catalog.StatusReserved, v.Status)
	for i, r := range v.Reservations[:80] {
		assert.True(t, r.From.Equal(slot(i)), "hold %d from %v", i, r.From)
	}
}
