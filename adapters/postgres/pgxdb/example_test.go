package pgxdb_test

import (
	"context"
	"log"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgxdb"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
)

// The adapter on pgx instead of lib/pq: open, migrate and wire as with postgres.Open.
func ExampleOpen() {
	ctx := context.Background()
	db, err := pgxdb.Open(ctx, "postgres://postgres@127.0.0.1:5432/dealercrm?sslmode=disable")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	_ = stack.New(db, crm.SystemClock{})
}
