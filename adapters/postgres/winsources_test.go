package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ReadWin's one statement reads the unlocked records (the car's drives) in the snapshot it started with; when it
// waited for the car's lock while another transaction changed the car and a drive, it reads again, so the win
// never works from drives older than the car it locked.
func TestReadWinAfterALockWait(t *testing.T) {
	db := pgtest.Open(t)
	clock := crm.NewManualClock(adaptertest.Epoch)
	s := stack.New(db, clock)
	ctx, dealer := adaptertest.NewDealer(t, db, "Север")
	ctx = crm.WithActor(ctx, crm.NewID())
	v, err := s.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA210990Y2765498", Make: "Lada", Model: "Vesta", Year: 2024,
		Condition: catalog.New, Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1500000", "RUB")}})
	require.NoError(t, err)
	c, err := crm.NewCustomer(dealer.ID, crm.Customer{Contact: crm.Contact{FirstName: "Пётр", LastName: "Петров",
		Phones: []string{"+7 901 000 00 01"}}}, clock.Now())
	require.NoError(t, err)
	require.NoError(t, db.Transact(ctx, true, func(ctx context.Context, tx any) error {
		return tx.(*postgres.Tx).Customers().Create(ctx, &c)
	}))
	drive, err := s.Leads.BookTestDrive(ctx, leads.TestDriveBooking{CustomerID: c.ID, VehicleID: v.ID,
		Start: adaptertest.Epoch.Add(26 * time.Hour)})
	require.NoError(t, err)
	_, err = s.Sales.SeedStages(ctx)
	require.NoError(t, err)
	sale, err := s.Sales.OpenSale(ctx, sales.OpenSaleInput{CustomerID: c.ID, VehicleID: v.ID})
	require.NoError(t, err)
	car, err := s.Catalog.GetVehicle(ctx, v.ID)
	require.NoError(t, err)

	// another transaction holds the car and changes it and the drive
	other, err := db.SQLX().BeginTxx(ctx, nil)
	require.NoError(t, err)
	defer other.Rollback() //nolint:errcheck // committed below
	_, err = other.Exec(`UPDATE vehicles SET version = version + 1 WHERE id = $1`, v.ID)
	require.NoError(t, err)
	_, err = other.Exec(`UPDATE test_drives SET version = version + 1, notes = 'moved' WHERE id = $1`, drive.ID)
	require.NoError(t, err)

	type result struct {
		src sales.WinSources
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		r.err = db.Transact(ctx, true, func(ctx context.Context, tx any) error {
			var err error
			r.src, err = tx.(*postgres.Tx).ReadWin(ctx, sale.ID)
			return err
		})
		done <- r
	}()
	// wait until the read waits for the car's lock, then let the other transaction commit
	deadline := time.Now().Add(time.Minute)
	for {
		var waiting int
		require.NoError(t, db.SQLX().Get(&waiting, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`))
		if waiting > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the read never waited for the car")
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, other.Commit())

	r := <-done
	require.NoError(t, r.err)
	assert.Equal(t, car.Version+1, r.src.Vehicle.Version, "the car as it is after the wait")
	require.Len(t, r.src.Drives.Drives, 1)
	assert.Equal(t, drive.Version+1, r.src.Drives.Drives[0].Version, "the drive as it is after the wait, not as the snapshot had it")
	assert.Equal(t, "moved", r.src.Drives.Drives[0].Notes)
}
