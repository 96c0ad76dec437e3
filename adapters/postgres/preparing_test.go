package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A change of the schema while the pool's connections keep statements prepared (a migration run by another
// process) makes the server refuse them ("cached plan must not change result type"): every read and write after
// it still succeeds, on every connection of the pool, because the statement's unit runs again with the
// statements prepared afresh. Runs on the driver DEALERCRM_TEST_DRIVER names (CI runs both).
func TestSchemaChangeUnderPreparedStatements(t *testing.T) {
	db := pgtest.Open(t)
	const conns = 4
	db.SQLX().SetMaxOpenConns(conns)
	ctx, d := adaptertest.NewDealer(t, db, "Север")
	unit := crm.NewUnit[crm.Stores](db, nil)

	get := func(ctx context.Context) error {
		return unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
			_, err := s.Dealers().Get(ctx, d.ID)
			return err
		})
	}
	rename := func(ctx context.Context, name string) error {
		return unit.Update(ctx, func(ctx context.Context, s crm.Stores) error {
			cur, err := s.Dealers().Get(ctx, d.ID)
			if err != nil {
				return err
			}
			cur.Name = name
			return s.Dealers().Update(ctx, &cur)
		})
	}
	// onEveryConnection runs fn on each connection of the pool at once: each holds its connection (a read of two
	// statements is a transaction) until all have read.
	onEveryConnection := func(fn func(ctx context.Context) error) {
		var ready, wg sync.WaitGroup
		ready.Add(conns)
		errs := make(chan error, conns)
		for range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var arrived sync.Once // the unit may run again (a retried attempt)
				errs <- unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
					_, err := s.Dealers().Get(ctx, d.ID)
					arrived.Do(ready.Done)
					if err != nil {
						return err
					}
					ready.Wait()
					return fn(ctx)
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			assert.NoError(t, err)
		}
	}
	alter := func(typ string) {
		_, err := db.SQLX().ExecContext(ctx, `ALTER TABLE dealers ALTER COLUMN version TYPE `+typ)
		require.NoError(t, err)
	}

	onEveryConnection(func(ctx context.Context) error { return nil }) // every connection has the read prepared
	require.NoError(t, rename(ctx, "Север-1"))
	alter("integer")
	for range 2 * conns {
		require.NoError(t, get(ctx), "a read after the schema changed")
	}
	onEveryConnection(func(ctx context.Context) error { return nil })

	alter("bigint")
	for i := range 2 * conns {
		require.NoError(t, rename(ctx, "Север-"+string(rune('a'+i))), "a write after the schema changed")
	}
	onEveryConnection(get)
}

// A statement lib/pq cancels because the request's context ran out (SQLSTATE 57014, "canceling statement due to
// user request") is reported as the context's error, which the HTTP layer answers 503 timeout, not 500.
func TestStatementCanceledByTheContextIsItsError(t *testing.T) {
	db := pgtest.Open(t)
	ctx, d := adaptertest.NewDealer(t, db, "Север")
	unit := crm.NewUnit[crm.Stores](db, nil)

	lock, err := db.SQLX().BeginTxx(ctx, nil)
	require.NoError(t, err)
	defer func() { _ = lock.Rollback() }()
	_, err = lock.ExecContext(ctx, `SELECT 1 FROM dealers WHERE id = $1 FOR UPDATE`, d.ID)
	require.NoError(t, err)

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	err = unit.Update(short, func(ctx context.Context, s crm.Stores) error {
		cur, err := s.Dealers().Get(ctx, d.ID) // waits for the lock until the context ends
		if err != nil {
			return err
		}
		cur.Name = "Юг"
		return s.Dealers().Update(ctx, &cur)
	})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "the context's error in the chain: %v", err)
}

// lib/pq's connections keep their most recently used statements prepared (postgres.PreparingConnector): past the
// bound, the one used least recently is closed to make room, so a statement first met late is still prepared.
func TestPreparedStatementsKeepTheRecentlyUsed(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.Create(t)) // lib/pq whatever DEALERCRM_TEST_DRIVER says: the wrapper is lib/pq's
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	x := db.SQLX()
	x.SetMaxOpenConns(1) // one connection: every statement below is on it
	run := func(n int) {
		var got int
		require.NoError(t, x.QueryRowContext(ctx, fmt.Sprintf("SELECT $1::int + %d", n), 1).Scan(&got))
		require.Equal(t, n+1, got)
	}
	kept := func() map[string]bool { // the connection's prepared statements, as the server lists them
		rows, err := x.QueryContext(ctx, `SELECT statement FROM pg_prepared_statements`)
		require.NoError(t, err)
		defer rows.Close()
		out := map[string]bool{}
		for rows.Next() {
			var s string
			require.NoError(t, rows.Scan(&s))
			out[s] = true
		}
		require.NoError(t, rows.Err())
		return out
	}
	const bound = 512 // maxPreparedPerConn
	for n := range bound + 88 {
		run(n)
		if n%100 == 0 {
			run(-1) // a hot statement, used all along
		}
	}
	got := kept()
	assert.Len(t, got, bound)
	assert.True(t, got["SELECT $1::int + -1"], "the hot statement stays prepared")
	assert.True(t, got[fmt.Sprintf("SELECT $1::int + %d", bound+87)], "the newest is prepared")
	assert.False(t, got["SELECT $1::int + 1"], "the least recently used made room")
}
