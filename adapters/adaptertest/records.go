package adaptertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Records describes one record store to the generic record contract (RunRecords): how to make a valid record and
// how to reach the store inside a unit of work over the bundle S. With it, a section's own suite tests only its
// own rules; create, get, versions, dealer isolation and rollback are held here once for every store.
type Records[S, V any] struct {
	// New returns a valid record of dealer, not yet stored, distinct for each n (unique codes or numbers).
	New func(dealer crm.Dealer, n int) V
	// Meta returns the record's metadata.
	Meta func(v *V) *crm.Meta
	// Create and Get reach the store in s.
	Create func(ctx context.Context, s S, v *V) error
	Get    func(ctx context.Context, s S, id crm.ID) (V, error)
	// Update reaches the store's versioned update; nil when records are never changed.
	Update func(ctx context.Context, s S, v *V) error
	// Edit changes v in a way the store accepts (another name, say); needed with Update.
	Edit func(v *V)
	// Same, when set, checks that got holds what want held (the record's own fields, read back).
	Same func(t *testing.T, want, got V)
}

// RunRecords runs the basics every record store keeps on every adapter: a created record reads back with version
// 1, its dealer and the unit's time; an update bumps the version and UpdatedAt; a stale version is refused and
// changes nothing; another dealer's record is not found (and cannot be written or created); a context without a
// dealer is forbidden; a unit of work that fails leaves nothing.
func RunRecords[S, V any](t *testing.T, open Open, r Records[S, V]) {
	type env struct {
		b      Backend
		ctx    context.Context
		dealer crm.Dealer
		clock  *crm.ManualClock
		unit   crm.UnitOfWork[S]
	}
	setup := func(t *testing.T) env {
		b := open(t)
		ctx, d := NewDealer(t, b, "Записи")
		clock := crm.NewManualClock(Epoch.Add(123456789 * time.Nanosecond))
		return env{b: b, ctx: ctx, dealer: d, clock: clock, unit: crm.NewUnit[S](b, clock)}
	}
	get := func(e env, ctx context.Context, id crm.ID) (v V, err error) {
		err = e.unit.View(ctx, func(ctx context.Context, s S) (err error) {
			v, err = r.Get(ctx, s, id)
			return err
		})
		return v, err
	}
	create := func(t *testing.T, e env, n int) V {
		t.Helper()
		v := r.New(e.dealer, n)
		require.NoError(t, e.unit.Update(e.ctx, func(ctx context.Context, s S) error { return r.Create(ctx, s, &v) }))
		return v
	}
	stamp := crm.StorageTime(Epoch.Add(123456789 * time.Nanosecond))

	t.Run("CreateThenGet", func(t *testing.T) {
		e := setup(t)
		v := create(t, e, 1)
		m := r.Meta(&v)
		assert.NotEqual(t, crm.ID{}, m.ID, "an ID is given")
		assert.Equal(t, e.dealer.ID, m.DealerID)
		assert.EqualValues(t, 1, m.Version)
		assert.Equal(t, stamp, m.CreatedAt, "stamped with the unit's time")
		assert.Equal(t, stamp, m.UpdatedAt)
		got, err := get(e, e.ctx, m.ID)
		require.NoError(t, err)
		assert.Equal(t, *m, *r.Meta(&got))
		if r.Same != nil {
			r.Same(t, v, got)
		}
		_, err = get(e, e.ctx, crm.NewID())
		assert.True(t, errors.Is(err, crm.ErrNotFound), "an unknown ID: %v", err)
	})

	if r.Update != nil {
		t.Run("UpdateBumpsTheVersion", func(t *testing.T) {
			e := setup(t)
			v := create(t, e, 1)
			e.clock.Advance(time.Hour)
			r.Edit(&v)
			require.NoError(t, e.unit.Update(e.ctx, func(ctx context.Context, s S) error { return r.Update(ctx, s, &v) }))
			m := r.Meta(&v)
			assert.EqualValues(t, 2, m.Version)
			assert.Equal(t, stamp, m.CreatedAt)
			assert.Equal(t, stamp.Add(time.Hour), m.UpdatedAt)
			got, err := get(e, e.ctx, m.ID)
			require.NoError(t, err)
			assert.Equal(t, *m, *r.Meta(&got))
			if r.Same != nil {
				r.Same(t, v, got)
			}
		})

		t.Run("StaleVersionRefused", func(t *testing.T) {
			e := setup(t)
			v := create(t, e, 1)
			stale := v
			require.NoError(t, e.unit.Update(e.ctx, func(ctx context.Context, s S) error { return r.Update(ctx, s, &v) }))
			r.Edit(&stale)
			err := e.unit.Update(e.ctx, func(ctx context.Context, s S) error { return r.Update(ctx, s, &stale) })
			assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
			got, err := get(e, e.ctx, r.Meta(&v).ID)
			require.NoError(t, err)
			assert.EqualValues(t, 2, r.Meta(&got).Version, "the refused write changed nothing")
		})
	}

	t.Run("DealerIsolation", func(t *testing.T) {
		e := setup(t)
		v := create(t, e, 1)
		id := r.Meta(&v).ID
		ctxB, b := NewDealer(t, e.b, "Чужой")
		_, err := get(e, ctxB, id)
		assert.True(t, errors.Is(err, crm.ErrNotFound), "another dealer's record is not found: %v", err)
		if r.Update != nil {
			other := v
			r.Edit(&other)
			err = e.unit.Update(ctxB, func(ctx context.Context, s S) error { return r.Update(ctx, s, &other) })
			assert.True(t, errors.Is(err, crm.ErrNotFound), "nor written: %v", err)
		}
		theirs := r.New(b, 2)
		r.Meta(&theirs).DealerID = e.dealer.ID
		err = e.unit.Update(ctxB, func(ctx context.Context, s S) error { return r.Create(ctx, s, &theirs) })
		assert.True(t, errors.Is(err, crm.ErrForbidden), "nor created for it: %v", err)
		_, err = get(e, context.Background(), id)
		assert.True(t, errors.Is(err, crm.ErrForbidden), "no dealer in the context: %v", err)
		got, err := get(e, e.ctx, id)
		require.NoError(t, err)
		assert.Equal(t, *r.Meta(&v), *r.Meta(&got), "the owner's record is untouched")
	})

	t.Run("RollbackLeavesNothing", func(t *testing.T) {
		e := setup(t)
		kept := create(t, e, 1)
		v := r.New(e.dealer, 2)
		boom := errors.New("changed my mind")
		err := e.unit.Update(e.ctx, func(ctx context.Context, s S) error {
			if err := r.Create(ctx, s, &v); err != nil {
				return err
			}
			if r.Update != nil {
				r.Edit(&kept)
				if err := r.Update(ctx, s, &kept); err != nil {
					return err
				}
			}
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = get(e, e.ctx, r.Meta(&v).ID)
		assert.True(t, errors.Is(err, crm.ErrNotFound), "the created record is gone: %v", err)
		got, err := get(e, e.ctx, r.Meta(&kept).ID)
		require.NoError(t, err)
		assert.EqualValues(t, 1, r.Meta(&got).Version, "the update is gone")
	})
}
