package main

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi/pgidempotency"
	"github.com/dealercrm/dealercrm/crm"
)

// idempotencyLifetime is how long the response to an Idempotency-Key is replayed.
const idempotencyLifetime = 24 * time.Hour

// idempotencyPurgeEvery is how often expired idempotency records are deleted from PostgreSQL.
const idempotencyPurgeEvery = time.Hour

// purgeTask deletes the idempotency records older than the store's lifetime; stack.Run runs it at start and then
// every idempotencyPurgeEvery. Several servers on one database may all run it.
func purgeTask(s *pgidempotency.Store, clock crm.Clock) func(ctx context.Context) (int, error) {
	return func(ctx context.Context) (int, error) {
		n, err := s.Purge(ctx, clock.Now().Add(-s.Lifetime()))
		return int(n), err
	}
}
