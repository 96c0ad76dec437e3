package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A batch (crm.Batch on PostgreSQL) sends its held writes in one round trip, sets what each store sets after its
// write, reports a write's error as the store would (a stale version here), and a failed batch or unit leaves
// nothing.
func TestBatchSendsWritesTogether(t *testing.T) {
	db, trips := pgtest.OpenCounting(t)
	clock := crm.NewManualClock(adaptertest.Epoch)
	s := stack.New(db, clock)
	ctx, _ := adaptertest.NewDealer(t, db, "Север")
	v, err := s.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA210990Y2765499", Make: "Lada", Model: "Vesta", Year: 2024,
		Condition: catalog.New, Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1500000", "RUB")}})
	require.NoError(t, err)
	outbox := func() int {
		var n int
		require.NoError(t, db.SQLX().Get(&n, `SELECT count(*) FROM outbox`))
		return n
	}
	before := outbox()
	unit := func(fn func(ctx context.Context, tx *postgres.Tx) error) error {
		return db.Transact(ctx, true, func(ctx context.Context, tx any) error { return fn(ctx, tx.(*postgres.Tx)) })
	}
	write := func(v *catalog.Vehicle, fail error) func(ctx context.Context, tx *postgres.Tx) error {
		return func(ctx context.Context, tx *postgres.Tx) error {
			return crm.Batch(ctx, tx, func(ctx context.Context) error {
				v.Mileage++
				if err := tx.Vehicles().Update(ctx, v); err != nil {
					return err
				}
				if err := tx.Outbox().Enqueue(ctx, &crm.Message{Topic: "test", Recipient: "a@example.com", Subject: "s", Body: "b"}); err != nil {
					return err
				}
				return fail
			})
		}
	}

	// A stale version: the vehicle store's error, and the notice is not written either.
	stale := v
	stale.Version = 7
	err = unit(write(&stale, nil))
	assert.Equal(t, crm.KindStaleVersion, crm.KindOf(err), "%v", err)
	assert.Equal(t, before, outbox())

	// fn fails: nothing is sent.
	boom := errors.New("boom")
	fresh := v
	trips.Reset()
	assert.ErrorIs(t, unit(write(&fresh, boom)), boom)
	assert.Equal(t, 2, trips.Count(), "BEGIN and ROLLBACK only")
	assert.Equal(t, before, outbox())

	// Both writes in one statement: BEGIN, the batch, COMMIT.
	ok := v
	trips.Reset()
	require.NoError(t, unit(write(&ok, nil)))
	assert.Equal(t, 3, trips.Count())
	assert.Equal(t, v.Version+1, ok.Version, "the version the store sets after its write")
	assert.Equal(t, before+1, outbox())
	got, err := s.Catalog.GetVehicle(ctx, v.ID)
	require.NoError(t, err)
	assert.Equal(t, ok.Version, got.Version)
	assert.Equal(t, v.Mileage+1, got.Mileage)
}
