package postgres_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Marking a leased message sent or failed reads it by its primary key, whatever the statistics say: a burst of
// queued notices not yet analyzed (here 5,000 rows the planner has never counted) must not make it walk the
// dealer's queue through the partial index of due messages. Checked with EXPLAIN of the adapter's own statement,
// as a generic plan (what a prepared statement runs) and as a custom one.
func TestOutboxMarkReadsByPrimaryKey(t *testing.T) {
	db := pgtest.Open(t)
	ctx, d := adaptertest.NewDealer(t, db, "Север")
	x := db.SQLX()
	_, err := x.ExecContext(ctx, `INSERT INTO outbox (id, dealer_id, topic, recipient, subject, body, data, created_at, next_attempt_at)
		SELECT gen_random_uuid(), $1, 'test_drive.booked', 'a@example.com', 's', 'b', '{}'::jsonb, now(), now()
		FROM generate_series(1, 5000)`, d.ID)
	require.NoError(t, err)

	for _, mode := range []string{"force_generic_plan", "force_custom_plan"} {
		conn, err := x.Connx(ctx)
		require.NoError(t, err)
		_, err = conn.ExecContext(ctx, `SET plan_cache_mode = `+mode)
		require.NoError(t, err)
		var plan string
		err = conn.QueryRowxContext(ctx, `EXPLAIN (FORMAT JSON) `+postgres.OutboxMarkSQL(`sent_at = $4, attempts = attempts + 1`),
			d.ID, d.ID, d.ID, "2026-11-30T00:00:00Z").Scan(&plan)
		_, _ = conn.ExecContext(context.Background(), `RESET plan_cache_mode`)
		conn.Close()
		require.NoError(t, err, mode)
		var doc []map[string]any
		require.NoError(t, json.Unmarshal([]byte(plan), &doc))
		assert.Equal(t, []string{"outbox_pkey"}, indexesOf(doc[0]["Plan"]), "%s: %s", mode, plan)
	}
}

// indexesOf lists the indexes a JSON plan node and its children read.
func indexesOf(node any) []string {
	m, _ := node.(map[string]any)
	var out []string
	if name, ok := m["Index Name"].(string); ok {
		out = append(out, name)
	}
	plans, _ := m["Plans"].([]any)
	for _, p := range plans {
		out = append(out, indexesOf(p)...)
	}
	return out
}

// The relay's claim reads its batch of due messages in order from outbox_due and stops, however many are queued:
// no sort of the dealer's whole queue before the LIMIT (as when the index lacked the id of the claim's order).
// EXPLAIN of the adapter's own statement at 5,000 queued, before the table is analyzed (a burst of notices, as
// after a run of bookings: the plan then sorted the whole queue) and after, as a generic and as a custom plan.
func TestOutboxClaimReadsItsBatch(t *testing.T) {
	db := pgtest.Open(t)
	ctx, d := adaptertest.NewDealer(t, db, "Север")
	x := db.SQLX()
	_, err := x.ExecContext(ctx, `INSERT INTO outbox (id, dealer_id, topic, recipient, subject, body, data, created_at, next_attempt_at)
		SELECT gen_random_uuid(), $1, 'test_drive.booked', 'a@example.com', 's', 'b', '{}'::jsonb,
			now() - interval '1 hour' + i * interval '1 ms', now() - interval '1 hour'
		FROM generate_series(1, 5000) i`, d.ID)
	require.NoError(t, err)

	for _, c := range []struct{ mode, stats string }{{"force_generic_plan", "not analyzed"}, {"force_custom_plan", "not analyzed"},
		{"force_generic_plan", "analyzed"}, {"force_custom_plan", "analyzed"}} {
		if c.stats == "analyzed" {
			_, err = x.ExecContext(ctx, `ANALYZE outbox`)
			require.NoError(t, err)
		}
		mode := c.mode + ", " + c.stats
		conn, err := x.Connx(ctx)
		require.NoError(t, err)
		_, err = conn.ExecContext(ctx, `SET plan_cache_mode = `+c.mode)
		require.NoError(t, err)
		var plan string
		err = conn.QueryRowxContext(ctx, `EXPLAIN (FORMAT JSON) `+postgres.OutboxClaimSQL,
			d.ID, "2026-12-30T00:00:00Z", 50, d.ID, "2026-12-30T00:01:00Z").Scan(&plan)
		_, _ = conn.ExecContext(context.Background(), `RESET plan_cache_mode`)
		conn.Close()
		require.NoError(t, err, mode)
		var doc []map[string]any
		require.NoError(t, json.Unmarshal([]byte(plan), &doc))
		assert.Contains(t, indexesOf(doc[0]["Plan"]), "outbox_due", "%s: %s", mode, plan)
		for _, sort := range []string{"Sort", "Incremental Sort"} {
			assert.NotContains(t, nodeTypesOf(doc[0]["Plan"]), sort, "%s: %s", mode, plan)
		}
	}
}

// nodeTypesOf lists the node types of a JSON plan node and its children.
func nodeTypesOf(node any) []string {
	m, _ := node.(map[string]any)
	var out []string
	if name, ok := m["Node Type"].(string); ok {
		out = append(out, name)
	}
	plans, _ := m["Plans"].([]any)
	for _, p := range plans {
		out = append(out, nodeTypesOf(p)...)
	}
	return out
}
