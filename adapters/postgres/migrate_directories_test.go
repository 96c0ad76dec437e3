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

// TestMigrateDirectoryVersionsOverExistingData: migrations 081 and 083 give every dealer that already has
// playbooks or makes a fresh directory version; on a database where a dealer has several of each (any database
// in use, unlike a fresh test one) they must apply too — a SELECT DISTINCT over nextval() made them fail with
// "ON CONFLICT DO UPDATE command cannot affect row a second time".
func TestMigrateDirectoryVersionsOverExistingData(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	x := db.SQLX()
	id := crm.NewID()
	_, err := x.ExecContext(ctx, `INSERT INTO dealers (id, dealer_id, version, created_at, updated_at, name, legal_name, currency, doc)
		VALUES ($1, $1, 1, now(), now(), 'Старый', 'ООО «Старый»', 'RUB', '{}')`, id)
	require.NoError(t, err)
	for i, name := range []string{"Lada", "Kia", "Haval"} {
		_, err = x.ExecContext(ctx, `INSERT INTO makes (id, dealer_id, version, created_at, updated_at, name, name_key)
			VALUES ($1, $2, 1, now(), now(), $3, lower($3))`, crm.NewID(), id, name)
		require.NoError(t, err, "make %d", i)
		_, err = x.ExecContext(ctx, `INSERT INTO playbooks (id, dealer_id, version, created_at, updated_at, stage_id, subject, stage_code)
			VALUES ($1, $2, 1, now(), now(), $3, 'sale', $4)`, crm.NewID(), id, crm.NewID(), name)
		require.NoError(t, err, "playbook %d", i)
	}
	var before int64
	require.NoError(t, x.GetContext(ctx, &before, `SELECT version FROM directory_versions WHERE dealer_id = $1`, id))

	// As a database that had not yet taken 081 and 083.
	_, err = x.ExecContext(ctx, `DROP TRIGGER playbooks_directory_version ON playbooks;
		DROP TRIGGER makes_directory_version ON makes;
		DELETE FROM schema_migrations WHERE version IN (81, 83)`)
	require.NoError(t, err)
	require.NoError(t, db.Migrate(ctx))
	var after int64
	require.NoError(t, x.GetContext(ctx, &after, `SELECT version FROM directory_versions WHERE dealer_id = $1`, id))
	assert.Greater(t, after, before, "a fresh version for the dealer's cached directories")
}
