package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The dealer's lead response policy is cached with the directories (migration 091): a new lead's due time comes
// from the cache of the process that creates it — none is read while the version the need type's read brings is
// the one cached — and a policy set, or set again, through another process is the one its next lead gets.
func TestResponsePolicyCacheAcrossProcesses(t *testing.T) {
	dsn := pgtest.Create(t)
	open := func() stack.Backend {
		db, err := pgtest.OpenDSN(context.Background(), dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
	db1, db2 := open(), open()
	clock := crm.NewManualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)) // Monday 12:00 in Moscow
	one, two := stack.New(db1, clock), stack.New(db2, clock)
	ctx, _ := adaptertest.NewDealer(t, db1, "Север")
	ctx = crm.WithActor(ctx, crm.NewID())
	require.NoError(t, one.Leads.SeedDirectories(ctx))

	n := 0
	due := func(s *stack.Stack) time.Duration {
		n++
		l, err := s.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван",
			Phones: []string{"+7 903 000-00-0" + string(rune('0'+n))}}, Source: leads.SourceWebsite, NeedType: "car_purchase"})
		require.NoError(t, err)
		return l.ResponseDueAt.Sub(clock.Now())
	}
	policy := func(target time.Duration) leads.ResponsePolicy {
		return leads.ResponsePolicy{Target: target, WorkdayStart: 9 * time.Hour, WorkdayEnd: 21 * time.Hour,
			Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday},
			TimeZone: "Europe/Moscow"}
	}
	def := leads.DefaultResponsePolicy().Target
	assert.Equal(t, def, due(two), "no policy: the default")
	assert.Equal(t, def, due(two), "no policy, from the cache")

	p, err := one.Leads.SetResponsePolicy(ctx, 0, policy(40*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 40*time.Minute, due(two), "set through process one")
	assert.Equal(t, 40*time.Minute, due(two), "and cached")

	_, err = one.Leads.SetResponsePolicy(ctx, p.Version, policy(25*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 25*time.Minute, due(two), "changed through process one")
	assert.Equal(t, 25*time.Minute, due(one))
}
