package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMigrateSeedsDealersWithoutDirectories: a dealer stored without its directories (inserted by hand, or by an
// older version that seeded lazily) gets them from Migrate's directory step; a dealer's own changes survive it.
func TestMigrateSeedsDealersWithoutDirectories(t *testing.T) {
	db := pgtest.Open(t)
	id := crm.NewID()
	ctx := context.Background()
	_, err := db.SQLX().ExecContext(ctx, `INSERT INTO dealers (id, dealer_id, version, created_at, updated_at, name, legal_name, currency, doc)
		VALUES ($1, $1, 1, now(), now(), 'Старый', 'ООО «Старый»', 'RUB', '{}')`, id)
	require.NoError(t, err)
	old := crm.WithDealer(ctx, id)
	clock := crm.NewManualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	ls := leads.NewService(crm.NewUnit[leads.Stores](db, clock), clock)
	ss := sales.NewService(crm.NewUnit[sales.Stores](db, clock), clock)

	needs, err := ls.ListNeedTypes(old)
	require.NoError(t, err)
	require.Empty(t, needs, "inserted without directories")

	require.NoError(t, db.Migrate(ctx))
	needs, err = ls.ListNeedTypes(old)
	require.NoError(t, err)
	assert.Len(t, needs, len(leads.DefaultNeedTypes()))
	stages, err := ls.ListLeadStages(old)
	require.NoError(t, err)
	assert.Len(t, stages, len(leads.DefaultLeadStages()))
	sstages, err := ss.ListStages(old)
	require.NoError(t, err)
	assert.Len(t, sstages, len(sales.DefaultStages()))

	renamed, err := ls.RenameLeadStage(old, leads.StageNew, 0, "Входящие")
	require.NoError(t, err)
	require.NoError(t, db.Migrate(ctx), "again: nothing to do")
	stages, err = ls.ListLeadStages(old)
	require.NoError(t, err)
	assert.Len(t, stages, len(leads.DefaultLeadStages()))
	assert.Contains(t, stages, renamed, "the dealer's own name is kept")
}
