package pgidempotency_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/httpapi/idempotencytest"
	"github.com/dealercrm/dealercrm/adapters/httpapi/pgidempotency"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var epoch = idempotencytest.Epoch

func TestIdempotencyStoreContractPostgres(t *testing.T) {
	db := pgtest.Open(t) // one database: every case uses keys of its own
	idempotencytest.Run(t, func(t *testing.T, lifetime time.Duration) httpapi.IdempotencyStore {
		return pgidempotency.New(db, lifetime)
	})
}

func TestIdempotencyStorePurge(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	s := pgidempotency.New(db, time.Hour)
	assert.Equal(t, time.Hour, s.Lifetime())
	assert.Equal(t, httpapi.DefaultIdempotencyTTL, pgidempotency.New(db, 0).Lifetime())

	begin := func(k httpapi.IdempotencyKey, at time.Time) {
		t.Helper()
		_, claimed, err := s.Begin(ctx, k, "fp", at)
		require.NoError(t, err)
		require.True(t, claimed)
	}
	oldDone, oldPending := idempotencytest.NewKey("old done"), idempotencytest.NewKey("old pending")
	edge, fresh := idempotencytest.NewKey("edge"), idempotencytest.NewKey("fresh")
	begin(oldDone, epoch)
	require.NoError(t, s.Complete(ctx, oldDone, httpapi.StoredResponse{Status: 201, Body: []byte("x")}))
	begin(oldPending, epoch.Add(time.Minute))
	begin(edge, epoch.Add(time.Hour))
	begin(fresh, epoch.Add(2*time.Hour))

	n, err := s.Purge(ctx, epoch.Add(time.Hour))
	require.NoError(t, err)
	assert.EqualValues(t, 2, n, "finished and pending records claimed before the time go; the one at it stays")
	var left []string
	require.NoError(t, db.SQLX().Select(&left, `SELECT key FROM idempotency_keys ORDER BY created_at`))
	assert.Equal(t, []string{"edge", "fresh"}, left)

	n, err = s.Purge(ctx, epoch.Add(time.Hour))
	require.NoError(t, err)
	assert.Zero(t, n, "purging twice is harmless")

	t.Run("a record outlives its store: a new one (a restart, another process) replays it", func(t *testing.T) {
		require.NoError(t, s.Complete(ctx, fresh, httpapi.StoredResponse{Status: 201, Body: []byte("kept")}))
		rec, claimed, err := pgidempotency.New(db, time.Hour).Begin(ctx, fresh, "fp", epoch.Add(2*time.Hour+time.Minute))
		require.NoError(t, err)
		assert.False(t, claimed)
		assert.Equal(t, "kept", string(rec.Response.Body))
	})
	t.Run("driver errors are returned", func(t *testing.T) {
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		_, _, err := s.Begin(cancelled, idempotencytest.NewKey("x"), "fp", epoch)
		assert.ErrorIs(t, err, context.Canceled)
		_, err = s.Purge(cancelled, epoch)
		assert.Error(t, err)
	})
}
