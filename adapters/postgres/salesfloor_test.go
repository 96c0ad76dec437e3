package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/require"
)

// salesFloor is the setting of the tests that book and hold cars on db: a dealer (Север) with a sales manager
// (Мария), the services over db, a context scoped to both, and the clock at 2026-11-27 06:00 UTC.
func salesFloor(t testing.TB, db *postgres.DB) (context.Context, *stack.Stack, *crm.ManualClock) {
	t.Helper()
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	st := stack.New(db, clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»", Currency: "RUB"})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	u, err := st.AddUser(ctx, crm.User{Name: "Мария", Role: crm.RoleSalesManager})
	require.NoError(t, err)
	return crm.WithActor(ctx, u.ID), st, clock
}
