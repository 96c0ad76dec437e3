package pgidempotency_test

import (
	"context"
	"log"
	"net/http"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/httpapi/pgidempotency"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
)

// A server on PostgreSQL keeps idempotency records in the same database, so that every process behind a load
// balancer, and the process after a restart, replays the first response to a key; it purges expired records now
// and then.
func Example() {
	ctx := context.Background()
	db, err := postgres.Open(ctx, "postgres://postgres@127.0.0.1:5432/dealercrm?sslmode=disable")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	idem := pgidempotency.New(db, 24*time.Hour)
	cfg := stack.New(db, crm.SystemClock{}).HTTPConfig()
	cfg.Idempotency = idem
	h, err := httpapi.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		for range time.Tick(time.Hour) {
			if _, err := idem.Purge(ctx, time.Now().Add(-idem.Lifetime())); err != nil {
				log.Print(err)
			}
		}
	}()
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", h))
}
