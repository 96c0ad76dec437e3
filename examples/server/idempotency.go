package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi/pgidempotency"
	"github.com/dealercrm/dealercrm/crm"
)

// idempotencyLifetime is how long the response to an Idempotency-Key is replayed.
const idempotencyLifetime = 24 * time.Hour

// idempotencyPurgeEvery is how often expired idempotency records are deleted from PostgreSQL.
const idempotencyPurgeEvery = time.Hour

// purgeLoop deletes the idempotency records older than the store's lifetime at once, then every interval, until
// ctx is done. Several servers on one database may all run it.
func purgeLoop(ctx context.Context, s *pgidempotency.Store, every time.Duration, clock crm.Clock, logger *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.Purge(ctx, clock.Now().Add(-s.Lifetime()))
		if err != nil && ctx.Err() == nil {
			logger.Error("idempotency purge", "error", err.Error())
		}
		if n > 0 {
			logger.Info("idempotency records purged", "deleted", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
