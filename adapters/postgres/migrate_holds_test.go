package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMigrateVehicleHoldsOverExistingData: a database that kept every hold in vehicles.reservations (before 093)
// has its test-drive holds moved to vehicle_holds, in their order, and keeps the sale's in the row; the card lists
// all three as before, and a vehicle without holds is left alone.
func TestMigrateVehicleHoldsOverExistingData(t *testing.T) {
	t.Parallel()
	db := pgtest.Open(t)
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	st := stack.New(db, clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»", Currency: "RUB"})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA21700080000001", Make: "Lada", Model: "Vesta", Year: 2026})
	require.NoError(t, err)
	idle, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA21700080000002", Make: "Lada", Model: "Vesta", Year: 2026})
	require.NoError(t, err)
	drive1, sale, drive2, lead, customer := crm.NewID(), crm.NewID(), crm.NewID(), crm.NewID(), crm.NewID()

	// As a database that had not yet taken 093: every hold in the row, as the adapter wrote them then (a zero
	// holder ID written out as the nil UUID).
	x := db.SQLX()
	_, err = x.ExecContext(ctx, `DROP TABLE vehicle_holds; ALTER TABLE vehicles DROP CONSTRAINT vehicles_dealer_id_id;
		DELETE FROM schema_migrations WHERE version = 93`)
	require.NoError(t, err)
	const nilID = "00000000-0000-0000-0000-000000000000"
	_, err = x.ExecContext(ctx, `UPDATE vehicles SET status = 'reserved', reservations = jsonb_build_array(
		jsonb_build_object('purpose', 'test_drive', 'ref_id', $2::text, 'holder', jsonb_build_object('lead_id', $3::text,
			'sale_id', $6::text, 'customer_id', $6::text), 'from', '2026-12-01T07:00:00Z', 'until', '2026-12-01T07:45:00Z',
			'created_at', '2026-11-30T08:00:00Z'),
		jsonb_build_object('purpose', 'sale', 'ref_id', $4::text, 'holder', jsonb_build_object('lead_id', $3::text,
			'sale_id', $4::text, 'customer_id', $5::text), 'created_at', '2026-11-30T08:30:00Z'),
		jsonb_build_object('purpose', 'test_drive', 'ref_id', $7::text, 'holder', jsonb_build_object('lead_id', $6::text,
			'sale_id', $6::text, 'customer_id', $5::text), 'from', '2026-12-02T07:00:00Z', 'until', '2026-12-02T07:45:00Z',
			'created_at', '2026-11-30T08:45:00Z'))
		WHERE id = $1`, v.ID, drive1, lead, sale, customer, nilID, drive2)
	require.NoError(t, err)

	require.NoError(t, db.Migrate(ctx))

	var inRow []string
	require.NoError(t, x.SelectContext(ctx, &inRow, `SELECT e ->> 'ref_id' FROM vehicles, jsonb_array_elements(reservations) e WHERE id = $1`, v.ID))
	assert.Equal(t, []string{sale.String()}, inRow, "the sale's hold stays in the row")
	var moved []struct {
		Ref      string  `db:"ref_id"`
		Lead     *string `db:"lead_id"`
		Customer *string `db:"customer_id"`
	}
	require.NoError(t, x.SelectContext(ctx, &moved, `SELECT ref_id, lead_id, customer_id FROM vehicle_holds WHERE vehicle_id = $1 ORDER BY seq`, v.ID))
	require.Len(t, moved, 2)
	assert.Equal(t, drive1.String(), moved[0].Ref)
	assert.Equal(t, drive2.String(), moved[1].Ref)
	assert.Nil(t, moved[0].Customer, "a nil holder ID is stored as NULL")
	assert.Nil(t, moved[1].Lead)

	got, err := st.Catalog.GetVehicle(ctx, v.ID)
	require.NoError(t, err)
	require.Len(t, got.Reservations, 3)
	for i, want := range []struct {
		ref     crm.ID
		purpose catalog.Purpose
		holder  catalog.Holder
	}{{drive1, catalog.ForTestDrive, catalog.Holder{LeadID: lead}}, {sale, catalog.ForSale, catalog.Holder{LeadID: lead, SaleID: sale, CustomerID: customer}},
		{drive2, catalog.ForTestDrive, catalog.Holder{CustomerID: customer}}} {
		r := got.Reservations[i]
		assert.Equal(t, want.ref, r.RefID, "hold %d", i)
		assert.Equal(t, want.purpose, r.Purpose, "hold %d", i)
		assert.Equal(t, want.holder, r.Holder, "hold %d", i)
	}
	assert.True(t, got.Reservations[0].From.Equal(time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)))
	assert.True(t, got.Reservations[2].Until.Equal(time.Date(2026, 12, 2, 7, 45, 0, 0, time.UTC)))
	assert.True(t, got.Reservations[1].From.IsZero() && got.Reservations[1].Until.IsZero(), "a sale's hold has no slot")

	// The rules go on from there: releasing the sale leaves the drives holding the car.
	got, err = st.Catalog.ReleaseVehicle(ctx, v.ID, 0, sale)
	require.NoError(t, err)
	assert.Equal(t, catalog.StatusReserved, got.Status)
	assert.Len(t, got.Reservations, 2)
	other, err := st.Catalog.GetVehicle(ctx, idle.ID)
	require.NoError(t, err)
	assert.Empty(t, other.Reservations)
	assert.Equal(t, catalog.StatusInStock, other.Status)
}
