package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRelayRunReadsTheDealersSettingsOnce (issue 16 item 5): the notify service reads the dealer's mailbox
// settings, the dealer and the template once per relay run (crm.RunMemo), not once per message: a run of 10
// booking notices makes 21 round trips — the claim's unit (3), the first message's read-only unit (BEGIN, the
// mailbox, the dealer, the lead, the template, COMMIT: 6), one read of the lead for each of the other nine (a
// unit of one statement needs no BEGIN), the record of the batch (3) — where it made 66 with the settings read
// for every message.
func TestRelayRunReadsTheDealersSettingsOnce(t *testing.T) {
	t.Parallel()
	db, rt := pgtest.OpenCounting(t)
	db.SQLX().SetMaxOpenConns(1) // one connection: its statements prepared by the first run
	ctx, st, clock := salesFloor(t, db)
	book := func(n int) {
		t.Helper()
		for i := range n {
			l, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
				Emails: []string{"ivan@example.org"}}, Source: "website", NeedType: "car_purchase"})
			require.NoError(t, err)
			v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: catalog.VIN(fmt.Sprintf("XTA%014d", i+n*100)),
				Make: "Lada", Model: "Vesta", Year: 2026})
			require.NoError(t, err)
			_, err = st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID,
				Start: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)})
			require.NoError(t, err)
		}
	}
	drain := func(ctx context.Context) int {
		t.Helper()
		n, err := st.Relay.RunOnce(ctx)
		require.NoError(t, err)
		return n
	}
	book(2)
	clock.Advance(time.Minute)
	drain(ctx) // the lead's and the customer's notices of the setup, every statement prepared
	for drain(ctx) > 0 {
	}
	book(10)
	clock.Advance(time.Minute)
	rt.Reset()
	sent := drain(ctx)
	require.Equal(t, 10, sent)
	assert.Equal(t, 3+6+9+3, rt.Count(), "round trips of a run of 10 notices")
}
