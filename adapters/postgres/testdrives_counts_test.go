package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDriveInsertGivesTheLeadsCounts: a test drive's copy of its lead's sale counts (migration 073) is given by
// the store's INSERT, read from the lead in the same statement, so the insert trigger is not called for it
// (migration 097: it fires only when a count is not given, as for an INSERT that leaves the columns out, which
// still gets the counts); EXPLAIN ANALYZE lists the triggers that ran.
func TestDriveInsertGivesTheLeadsCounts(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	st := stack.New(db, clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Счёт", LegalName: "ООО «Счёт»", Currency: "RUB"})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	l, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
		Phones: []string{"+79161234567"}}, Source: "website", NeedType: "car_purchase"})
	require.NoError(t, err)
	var cars []crm.ID
	for _, vin := range []string{"XTA00000000000001", "XTA00000000000002"} {
		v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: catalog.VIN(vin), Make: "Lada", Model: "Vesta", Year: 2026})
		require.NoError(t, err)
		cars = append(cars, v.ID)
	}
	x := db.SQLX()
	// The counts as a sale trigger keeps them (two sales, one won), written straight for the test.
	_, err = x.ExecContext(ctx, `UPDATE leads SET sales_count = 2, won_count = 1 WHERE id = $1`, l.ID)
	require.NoError(t, err)

	booked, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: cars[0],
		Start: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	counts := func(id crm.ID) (n, won int) {
		t.Helper()
		require.NoError(t, x.QueryRowContext(ctx, `SELECT lead_sales_count, lead_won_count FROM test_drives WHERE id = $1`,
			id).Scan(&n, &won))
		return n, won
	}
	n, won := counts(booked.ID)
	assert.Equal(t, []int{2, 1}, []int{n, won}, "a booking's drive carries its lead's counts")

	explain := func(query string, args ...any) string {
		t.Helper()
		tx, err := x.BeginTx(ctx, nil)
		require.NoError(t, err)
		defer tx.Rollback()
		rows, err := tx.QueryContext(ctx, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) `+query, args...)
		require.NoError(t, err)
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var line string
			require.NoError(t, rows.Scan(&line))
			plan = append(plan, line)
		}
		require.NoError(t, rows.Err())
		return strings.Join(plan, "\n")
	}
	id, start := crm.NewID(), time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	plan := explain(postgres.TestDriveInsertSQL, id, d.ID, start, start, l.ID, nil, cars[1], start, start.Add(time.Hour),
		"booked", nil, "", "{}", 0, 0, "", 0, "", nil)
	assert.Contains(t, plan, "test_drives_lead_id_fkey", "EXPLAIN ANALYZE lists the triggers that ran:\n%s", plan)
	assert.NotContains(t, plan, "test_drives_lead_counts", "the store's INSERT gives the counts: no trigger call\n%s", plan)

	plan = explain(postgres.TestDriveInsertCountedSQL, id, d.ID, start, start, l.ID, nil, cars[1], start, start.Add(time.Hour),
		"booked", nil, "", "{}", 0, 0, "", 0, "", nil, 2, 1)
	assert.NotContains(t, plan, "test_drives_lead_counts", "the booking's INSERT gives the counts: no trigger call\n%s", plan)
	assert.NotContains(t, plan, "leads", "the booking's INSERT does not read the lead again\n%s", plan)

	raw := `INSERT INTO test_drives (id, dealer_id, version, created_at, updated_at, lead_id, vehicle_id, start_at, end_at, status)
		VALUES ($1, $2, 1, $3, $3, $4, $5, $3, $6, 'booked')`
	plan = explain(raw, id, d.ID, start, l.ID, cars[1], start.Add(time.Hour))
	assert.Contains(t, plan, "Trigger test_drives_lead_counts:", "an INSERT without the counts calls the trigger\n%s", plan)
	_, err = x.ExecContext(ctx, raw, id, d.ID, start, l.ID, cars[1], start.Add(time.Hour))
	require.NoError(t, err)
	n, won = counts(id)
	assert.Equal(t, []int{2, 1}, []int{n, won}, "the trigger gives an INSERT without them the lead's counts")
}

// TestBookingCopiesTheCountsItRead (issue 16 item 5): a booking's drive takes its lead's sale counts from the
// booking's joined read, which locked the lead, so that its INSERT does not read the lead again
// (testDriveInsertCountedSQL); the counts are the lead's at the booking.
func TestBookingCopiesTheCountsItRead(t *testing.T) {
	t.Parallel()
	db, rt := pgtest.OpenCounting(t)
	ctx, st, _ := salesFloor(t, db)
	l, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
		Phones: []string{"+79161234567"}}, Source: "website", NeedType: "car_purchase"})
	require.NoError(t, err)
	v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA00000000000003", Make: "Lada", Model: "Vesta", Year: 2026})
	require.NoError(t, err)
	x := db.SQLX()
	_, err = x.ExecContext(ctx, `UPDATE leads SET sales_count = 3, won_count = 2 WHERE id = $1`, l.ID)
	require.NoError(t, err)
	rt.Reset()
	booked, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID,
		Start: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	inserts := 0
	for _, s := range rt.Statements() {
		if i := strings.Index(s, "INSERT INTO test_drives"); i >= 0 {
			inserts++
			insert := s[i:]
			if j := strings.Index(insert, "RETURNING"); j >= 0 { // a part of the batch
				insert = insert[:j]
			}
			assert.NotContains(t, insert, "leads", "the drive's INSERT reads the lead again: %s", insert)
		}
	}
	assert.Equal(t, 1, inserts, "the booking's INSERT of the drive")
	var n, won int
	require.NoError(t, x.QueryRowContext(ctx, `SELECT lead_sales_count, lead_won_count FROM test_drives WHERE id = $1`,
		booked.ID).Scan(&n, &won))
	assert.Equal(t, []int{3, 2}, []int{n, won})
}
