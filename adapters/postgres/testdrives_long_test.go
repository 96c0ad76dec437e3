package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCalendarFindsADriveLongerThanADayStoredBefore (outside review D1): a drive longer than leads.MaxDriveLength
// written by an older build, as an UPDATE of its end (no store method was called); the calendar of a period it
// overlaps, starting more than 25 hours after its start, still lists it (the list and a page), and a period it
// does not overlap does not.
func TestCalendarFindsADriveLongerThanADayStoredBefore(t *testing.T) {
	t.Parallel()
	db := pgtest.Open(t)
	ctx, st, clock := salesFloor(t, db)
	lead, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
		Phones: []string{"+79161234567"}}, Source: "website", NeedType: "car_purchase"})
	require.NoError(t, err)
	car, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA00000000000001", Make: "Lada", Model: "Vesta", Year: 2026})
	require.NoError(t, err)
	start := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	drive, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: lead.ID, VehicleID: car.ID, Start: start})
	require.NoError(t, err)
	// What an older RecordTestDrive could store: a drive of three days.
	_, err = db.SQLX().ExecContext(ctx, `UPDATE test_drives SET end_at = $2 WHERE id = $1`, drive.ID, start.Add(72*time.Hour))
	require.NoError(t, err)

	from := start.Add(48 * time.Hour)
	page, err := st.Leads.ListTestDrives(ctx, leads.TestDriveFilter{From: from, To: from.Add(24 * time.Hour)}, crm.PageRequest{Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "the page of a period the long drive overlaps")
	assert.Equal(t, drive.ID, page.Items[0].ID)
	unit := crm.NewUnit[leads.Stores](db, clock)
	require.NoError(t, unit.View(ctx, func(ctx context.Context, s leads.Stores) error {
		all, err := s.TestDrives().ListBetween(ctx, from, from.Add(24*time.Hour))
		require.Len(t, all, 1, "the list of a period the long drive overlaps")
		return err
	}))
	later := start.Add(73 * time.Hour)
	page, err = st.Leads.ListTestDrives(ctx, leads.TestDriveFilter{From: later, To: later.Add(24 * time.Hour)}, crm.PageRequest{Limit: 10})
	require.NoError(t, err)
	assert.Empty(t, page.Items, "a period after its end")
}
