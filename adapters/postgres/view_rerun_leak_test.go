package postgres_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A View's first run that is split (its first statement on the pool, its second in a transaction begun for the
// rest) ends its transaction on every path: a panic after the second statement (re-raised, fn not run again), a
// context cancelled after it (the second run fails at once), an error. No connection stays in use.
func TestViewSplitRunLeavesNoConnection(t *testing.T) {
	db := pgtest.Open(t)
	ctx, d := adaptertest.NewDealer(t, db, "Север")
	unit := crm.NewUnit[crm.Stores](db, nil)
	inUse := func() int { return db.SQLX().DB.Stats().InUse }
	twoReads := func(ctx context.Context, s crm.Stores) error {
		if _, err := s.Dealers().Get(ctx, d.ID); err != nil {
			return err
		}
		_, err := s.Dealers().Get(ctx, d.ID)
		return err
	}

	t.Run("panic", func(t *testing.T) {
		passes := 0
		func() {
			defer func() { assert.Equal(t, "boom", recover()) }()
			_ = unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
				passes++
				if err := twoReads(ctx, s); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		assert.Equal(t, 1, passes, "a panic is re-raised, not run again")
		assert.Equal(t, 0, inUse())
	})

	t.Run("cancel", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		passes := 0
		err := unit.View(cctx, func(ctx context.Context, s crm.Stores) error {
			passes++
			err := twoReads(ctx, s)
			cancel()
			return err
		})
		require.Error(t, err)
		assert.True(t, errors.Is(err, context.Canceled), "%v", err)
		assert.LessOrEqual(t, passes, 2)
		assert.Eventually(t, func() bool { return inUse() == 0 }, time.Second, 10*time.Millisecond)
	})

	// runtime.Goexit (what t.FailNow or require does inside fn) is no panic: recover misses it, and the unit's
	// transaction was left open with its connection (and an Update's row locks) until the context ended.
	goexit := func(t *testing.T, run func(fn func(ctx context.Context, s crm.Stores) error) error) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = run(func(ctx context.Context, s crm.Stores) error {
				if err := twoReads(ctx, s); err != nil {
					return err
				}
				runtime.Goexit()
				return nil
			})
		}()
		<-done
		assert.Equal(t, 0, inUse())
	}
	t.Run("goexit in a split View", func(t *testing.T) {
		goexit(t, func(fn func(ctx context.Context, s crm.Stores) error) error { return unit.View(ctx, fn) })
	})
	t.Run("goexit in a known View", func(t *testing.T) {
		goexit(t, func(fn func(ctx context.Context, s crm.Stores) error) error { return unit.View(ctx, fn) })
	})
	t.Run("goexit in an Update", func(t *testing.T) {
		goexit(t, func(fn func(ctx context.Context, s crm.Stores) error) error { return unit.Update(ctx, fn) })
	})

	t.Run("error", func(t *testing.T) {
		mine := errors.New("mine")
		passes := 0
		err := unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
			passes++
			if err := twoReads(ctx, s); err != nil {
				return err
			}
			return mine
		})
		assert.ErrorIs(t, err, mine)
		assert.Equal(t, 2, passes, "split the first time: run again in one snapshot")
		assert.Equal(t, 0, inUse())
	})
}
