package adaptertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runTimes holds that a unit of work has one now, taken from its clock once and truncated to what PostgreSQL
// keeps, and that stores stamp CreatedAt and UpdatedAt with it: every adapter returns exactly the same times for
// the same operations (the expected values below are fixed, so memory and PostgreSQL agree with each other).
func runTimes(t *testing.T, open Open) {
	t.Run("StoresStampOneTruncatedNow", func(t *testing.T) {
		b := open(t)
		ctx, d := NewDealer(t, b, "Время")
		msk := time.FixedZone("MSK", 3*3600)
		clock := crm.NewManualClock(Epoch.In(msk).Add(123456789 * time.Nanosecond))
		created := time.Date(2026, 11, 27, 9, 0, 0, 123456000, time.UTC)
		kernel := crm.NewUnit[crm.Stores](b, clock)

		// The caller's times are not what is stored: the store stamps the unit's now.
		c, err := crm.NewCustomer(d.ID, crm.Customer{Contact: crm.Contact{FirstName: "Время", Phones: []string{"+79001112233"}}},
			time.Date(2001, 1, 1, 0, 0, 0, 1, time.UTC))
		require.NoError(t, err)
		require.NoError(t, kernel.Update(ctx, func(ctx context.Context, s crm.Stores) error {
			assert.Equal(t, created, crm.Now(ctx), "the unit's now: UTC, to the microsecond")
			clock.Advance(time.Minute) // the clock moving inside the unit does not move its now
			if err := s.Customers().Create(ctx, &c); err != nil {
				return err
			}
			return s.Outbox().Enqueue(ctx, &crm.Message{Topic: "t", Recipient: "a@b.c", Subject: "s", Body: "b"})
		}))
		assert.Equal(t, created, c.CreatedAt)
		assert.Equal(t, created, c.UpdatedAt)
		got := getCustomer(t, b, ctx, c.ID)
		assert.Equal(t, created, got.CreatedAt, "read back equal, location included")
		assert.Equal(t, created, got.UpdatedAt)
		msgs := outbox(t, b, ctx)
		require.Len(t, msgs, 1)
		assert.Equal(t, created, msgs[0].CreatedAt)

		// An update stamps UpdatedAt only.
		clock.Set(Epoch.Add(time.Hour + 999*time.Nanosecond))
		updated := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		c.TaxID = "7700000000"
		require.NoError(t, kernel.Update(ctx, func(ctx context.Context, s crm.Stores) error { return s.Customers().Update(ctx, &c) }))
		assert.Equal(t, created, c.CreatedAt)
		assert.Equal(t, updated, c.UpdatedAt)
		got = getCustomer(t, b, ctx, c.ID)
		assert.Equal(t, created, got.CreatedAt)
		assert.Equal(t, updated, got.UpdatedAt)

		// A refused update stamps nothing that is kept.
		clock.Advance(time.Hour)
		stale := got
		stale.Version--
		err = kernel.Update(ctx, func(ctx context.Context, s crm.Stores) error { return s.Customers().Update(ctx, &stale) })
		require.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
		assert.Equal(t, updated, getCustomer(t, b, ctx, c.ID).UpdatedAt)
	})

	t.Run("DomainTimesComeFromTheUnit", func(t *testing.T) {
		b := open(t)
		ctx, _ := NewDealer(t, b, "Время")
		clock := crm.NewManualClock(Epoch.Add(987654321 * time.Nanosecond))
		want := time.Date(2026, 11, 27, 9, 0, 0, 987654000, time.UTC)
		svc := leads.NewService(crm.NewUnit[leads.Stores](b, clock), clock)
		require.NoError(t, svc.SeedDirectories(ctx))
		l, err := svc.CreateLead(ctx, leadInput("Время", "Тестов"))
		require.NoError(t, err)
		assert.Equal(t, want, l.CreatedAt)
		require.NotEmpty(t, l.History)
		assert.Equal(t, want, l.History[0].At, "a time the rule records is the unit's now too")
		again, err := svc.GetLead(ctx, l.ID)
		require.NoError(t, err)
		assert.Equal(t, want, again.CreatedAt)
		assert.Equal(t, want, again.UpdatedAt)
		assert.Equal(t, want, again.History[0].At)
	})
}
