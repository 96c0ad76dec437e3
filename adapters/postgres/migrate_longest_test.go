package postgres_test

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMigrateLongestDriveOverExistingData: a database made by the main before migration 100 (099's index on
// dealer_id, a drive of three days stored) takes 100 at start-up: test_drives_longest replaces
// test_drives_longer_than_a_day, and the calendar of a period overlapping only the drive's last day lists it.
func TestMigrateLongestDriveOverExistingData(t *testing.T) {
	t.Parallel()
	db := pgtest.Open(t)
	ctx, st, _ := salesFloor(t, db)
	lead, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
		Phones: []string{"+79161234567"}}, Source: "website", NeedType: "car_purchase"})
	require.NoError(t, err)
	car, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA00000000000001", Make: "Lada", Model: "Vesta", Year: 2026})
	require.NoError(t, err)
	start := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	drive, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: lead.ID, VehicleID: car.ID, Start: start})
	require.NoError(t, err)

	// As the main before 100 left it: 099's index, and a drive of three days.
	x := db.SQLX()
	_, err = x.ExecContext(ctx, `DROP INDEX test_drives_longest;
		CREATE INDEX test_drives_longer_than_a_day ON test_drives (dealer_id) WHERE end_at - start_at > interval '25 hours';
		DELETE FROM schema_migrations WHERE version = 100`)
	require.NoError(t, err)
	_, err = x.ExecContext(ctx, `UPDATE test_drives SET end_at = $2 WHERE id = $1`, drive.ID, start.Add(72*time.Hour))
	require.NoError(t, err)

	require.NoError(t, db.Migrate(ctx))

	var indexes []string
	require.NoError(t, x.SelectContext(ctx, &indexes, `SELECT indexname FROM pg_indexes WHERE tablename = 'test_drives'
		AND indexname IN ('test_drives_longest', 'test_drives_longer_than_a_day')`))
	assert.Equal(t, []string{"test_drives_longest"}, indexes)
	from := start.Add(71 * time.Hour)
	page, err := st.Leads.ListTestDrives(ctx, leads.TestDriveFilter{From: from, To: from.Add(24 * time.Hour)}, crm.PageRequest{Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "the calendar of the drive's last hour")
	assert.Equal(t, drive.ID, page.Items[0].ID)
}
