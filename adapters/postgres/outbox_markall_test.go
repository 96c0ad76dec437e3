package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRelayRecordsABatchInOneStatement (issue 16 item 5): a relay's run of 20 messages claims them in one unit of
// work and records them sent in one more, with one UPDATE for all (crm.OutboxMarker): 6 round trips, where a
// unit of work per message made 63 (the claim's 3, then BEGIN, UPDATE and COMMIT — a WAL flush — per message).
func TestRelayRecordsABatchInOneStatement(t *testing.T) {
	t.Parallel()
	db, rt := pgtest.OpenCounting(t)
	db.SQLX().SetMaxOpenConns(1) // one connection: its statements prepared by the first run
	ctx, _, clock := salesFloor(t, db)
	require.NoError(t, crm.NewUnit[crm.Stores](db, nil).Update(ctx, func(ctx context.Context, s crm.Stores) error {
		for i := range 22 {
			if err := s.Outbox().Enqueue(ctx, &crm.Message{Topic: "test_drive.booked", Recipient: "ivan@example.org",
				Subject: "Тест-драйв", Body: "Ждём вас", CreatedAt: clock.Now().Add(time.Duration(i-60) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	}))
	r := crm.NewRelay(crm.NewUnit[crm.Stores](db, clock), stack.DiscardNotifier{}, clock)
	r.Batch = 2
	rt.Reset()
	sent, err := r.RunOnce(ctx) // every statement prepared on the connection
	first := rt.Statements()
	require.NoError(t, err)
	require.Equal(t, 2, sent)
	r.Batch = 20
	rt.Reset()
	sent, err = r.RunOnce(ctx)
	require.NoError(t, err)
	assert.Equal(t, 20, sent)
	assert.Equal(t, 6, rt.Count(), "round trips: the claim's unit and one unit recording the batch")
	marks := 0
	for _, s := range append(first, rt.Statements()...) {
		if strings.Contains(s, "UPDATE outbox") && strings.Contains(s, "SET sent_at") {
			marks++
			assert.Contains(t, s, "unnest", "one statement for the batch: %s", s)
		}
	}
	assert.Equal(t, 1, marks, "statements recording messages sent")
	var left int
	require.NoError(t, db.SQLX().GetContext(ctx, &left, `SELECT count(*) FROM outbox WHERE sent_at IS NULL OR attempts <> 1 OR claim_token IS NOT NULL`))
	assert.Zero(t, left, "every message sent, once, its lease ended")
}
