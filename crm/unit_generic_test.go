package crm_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeTx is a transaction with one store accessor.
type fakeTx struct{ writable bool }

func (t *fakeTx) Outbox() string { return "outbox" }

type fakeTransactor struct{ calls []bool }

func (f *fakeTransactor) Transact(ctx context.Context, writable bool, fn func(ctx context.Context, tx any) error) error {
	f.calls = append(f.calls, writable)
	if err := fn(ctx, &fakeTx{writable}); err != nil {
		return err
	}
	return fn(ctx, &fakeTx{writable}) // a retry sees the same now
}

type outboxOnly interface{ Outbox() string }

type wantsMore interface {
	Outbox() string
	Leads() string
}

func TestNewUnit(t *testing.T) {
	at := time.Date(2026, 11, 27, 9, 0, 0, 123456789, time.FixedZone("MSK", 3*3600))
	clock := crm.NewManualClock(at)
	tr := &fakeTransactor{}
	u := crm.NewUnit[outboxOnly](tr, clock)

	t.Run("one truncated now per unit, the same on every run", func(t *testing.T) {
		var seen []time.Time
		require.NoError(t, u.Update(context.Background(), func(ctx context.Context, s outboxOnly) error {
			assert.Equal(t, "outbox", s.Outbox())
			seen = append(seen, crm.Now(ctx))
			clock.Advance(time.Second) // the clock moving does not move the unit's now
			return nil
		}))
		require.Len(t, seen, 2)
		assert.Equal(t, time.Date(2026, 11, 27, 6, 0, 0, 123456000, time.UTC), seen[0])
		assert.Equal(t, seen[0], seen[1])
		assert.Equal(t, time.UTC, seen[0].Location())
	})
	t.Run("View is read-only, Update writable", func(t *testing.T) {
		tr.calls = nil
		require.NoError(t, u.View(context.Background(), func(context.Context, outboxOnly) error { return nil }))
		require.NoError(t, u.Update(context.Background(), func(context.Context, outboxOnly) error { return nil }))
		assert.Equal(t, []bool{false, true}, tr.calls)
	})
	t.Run("a transaction without the bundle's stores is an error, not a panic", func(t *testing.T) {
		err := crm.NewUnit[wantsMore](tr, clock).View(context.Background(), func(context.Context, wantsMore) error {
			t.Fatal("fn must not run")
			return nil
		})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "fakeTx")
	})
	t.Run("outside a unit Now is the system time, truncated", func(t *testing.T) {
		now := crm.Now(context.Background())
		assert.Equal(t, now, now.Truncate(crm.TimePrecision))
		assert.WithinDuration(t, time.Now(), now, time.Minute)
	})
}

func TestWithCommitCheck(t *testing.T) {
	u := crm.NewUnit[outboxOnly](&fakeTransactor{}, nil)
	refused := crm.Invalid("test", crm.FieldError{Field: "owner_id", Message: "is not a UUID"})
	checks := 0
	ctx := crm.WithCommitCheck(context.Background(), func() error { checks++; return refused })

	err := u.Update(ctx, func(context.Context, outboxOnly) error { return nil })
	assert.ErrorIs(t, err, refused, "a failing check is what Update returns (the adapter rolls back)")
	assert.Equal(t, 1, checks)

	own := crm.Conflict("test", "taken")
	err = u.Update(ctx, func(context.Context, outboxOnly) error { return own })
	assert.ErrorIs(t, err, own, "the function's own error wins; the check is not asked")
	assert.Equal(t, 1, checks)

	require.NoError(t, u.View(ctx, func(context.Context, outboxOnly) error { return nil }), "a view commits nothing")
	assert.Equal(t, 1, checks)
}
