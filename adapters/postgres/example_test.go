package postgres_test

import (
	"context"
	"log"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
)

// Open a database, apply the embedded migrations (idempotent; safe when several processes start at once) and
// hand it to every service. Not run: it needs a server.
func ExampleOpen() {
	ctx := context.Background()
	db, err := postgres.Open(ctx, "postgres://postgres@127.0.0.1:5432/dealercrm?sslmode=disable")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	st := stack.New(db, crm.SystemClock{})
	_ = st
}
