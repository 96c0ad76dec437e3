package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A read-only unit of work of one SELECT runs on the pool without BEGIN and COMMIT; from its second statement on
// it runs in a read-only repeatable-read transaction, whose statements see one snapshot; a write through it fails.
func TestViewBeginsLazily(t *testing.T) {
	db, trips := pgtest.OpenCountingOn(t, "pq") // what lib/pq sends (pgx prepares a statement first)
	ctx, d := adaptertest.NewDealer(t, db, "Север")
	unit := crm.NewUnit[crm.Stores](db, nil)

	t.Run("one statement: no transaction", func(t *testing.T) {
		read := func() {
			require.NoError(t, unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
				_, err := s.Dealers().Get(ctx, d.ID)
				return err
			}))
		}
		read() // the connection prepares the statement the first time it runs it (postgres.PreparingConnector)
		trips.Reset()
		read()
		assert.Equal(t, 1, trips.Count(), "one statement with parameters, prepared: bind and execute sent together")
		for _, q := range trips.Statements() {
			assert.False(t, strings.HasPrefix(q, "BEGIN") || strings.HasPrefix(q, "COMMIT"), "no transaction: %s", q)
		}
	})

	t.Run("second statement: one snapshot", func(t *testing.T) {
		trips.Reset()
		var names []string
		require.NoError(t, unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
			for i := range 3 {
				got, err := s.Dealers().Get(ctx, d.ID)
				if err != nil {
					return err
				}
				names = append(names, got.Name)
				if i == 1 { // another unit renames the dealer while this one reads
					if err := unit.Update(ctx, func(ctx context.Context, s crm.Stores) error {
						cur, err := s.Dealers().Get(ctx, d.ID)
						if err != nil {
							return err
						}
						cur.Name = "Юг"
						return s.Dealers().Update(ctx, &cur)
					}); err != nil {
						return err
					}
				}
			}
			return nil
		}))
		assert.Equal(t, []string{"Север", "Север", "Север"}, names, "the second and third reads share a snapshot")
		var begins []string
		for _, q := range trips.Statements() {
			if strings.HasPrefix(q, "BEGIN") {
				begins = append(begins, q)
			}
		}
		assert.Equal(t, []string{"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"}, begins)
		got, err := d, error(nil)
		require.NoError(t, unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
			got, err = s.Dealers().Get(ctx, d.ID)
			return err
		}))
		assert.Equal(t, "Юг", got.Name)
	})

	t.Run("a write fails and changes nothing", func(t *testing.T) {
		for _, readFirst := range []bool{false, true} {
			other := d
			other.ID, other.Name = crm.NewID(), "Запад"
			err := unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
				if readFirst {
					if _, err := s.Dealers().Get(ctx, d.ID); err != nil {
						return err
					}
				}
				return s.Dealers().Create(ctx, &other)
			})
			require.Error(t, err, "read first: %v", readFirst)
			err = unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
				_, err := s.Dealers().Get(ctx, other.ID)
				return err
			})
			assert.Equal(t, crm.KindNotFound, crm.KindOf(err), "read first: %v", readFirst)
		}
	})
}
