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

// A read-only unit of work of one SELECT runs on the pool without BEGIN and COMMIT; one of more statements runs in
// a read-only repeatable-read transaction, whose statements see one snapshot: the first time a call site reads in
// more than one statement it runs again in one; from then on its transaction begins at its first statement. A
// write through it fails.
const (
	rr = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	rw = "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"
)

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

	t.Run("second statement: the read again, in one snapshot", func(t *testing.T) {
		// read reads the dealer three times; on its first run of each call another unit renames the dealer after
		// the first read. One call site: the DB learns it as one unit (it is called from this one line).
		read := func(name string) (names []string, passes int) {
			require.NoError(t, unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
				passes++
				names = names[:0] // fn may run more than once
				for i := range 3 {
					got, err := s.Dealers().Get(ctx, d.ID)
					if err != nil {
						return err
					}
					names = append(names, got.Name)
					if i == 0 && passes == 1 {
						if err := unit.Update(ctx, func(ctx context.Context, s crm.Stores) error {
							cur, err := s.Dealers().Get(ctx, d.ID)
							if err != nil {
								return err
							}
							cur.Name = name
							return s.Dealers().Update(ctx, &cur)
						}); err != nil {
							return err
						}
					}
				}
				return nil
			}))
			return names, passes
		}
		for i, c := range []struct {
			rename string
			names  []string
			passes int
			begins []string
		}{
			// not known yet: the first read outside a transaction, the second begins one, so the three were not
			// one snapshot; the whole read runs again in a transaction begun at its first statement
			{"Юг", []string{"Юг", "Юг", "Юг"}, 2, []string{rw, rr, rr}},
			// known: the transaction begins at the first statement, fn runs once, the rename is not seen
			{"Восток", []string{"Юг", "Юг", "Юг"}, 1, []string{rr, rw}},
		} {
			trips.Reset()
			names, passes := read(c.rename)
			assert.Equal(t, c.names, names, "call %d", i)
			assert.Equal(t, c.passes, passes, "call %d", i)
			var begins []string
			for _, q := range trips.Statements() {
				if strings.HasPrefix(q, "BEGIN") {
					begins = append(begins, q)
				}
			}
			assert.Equal(t, c.begins, begins, "call %d", i)
			if i == 1 {
				st := trips.Statements()
				require.NotEmpty(t, st)
				assert.Equal(t, rr, st[0], "the known read begins before its first statement")
			}
		}
		got, err := d, error(nil)
		require.NoError(t, unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
			got, err = s.Dealers().Get(ctx, d.ID)
			return err
		}))
		assert.Equal(t, "Восток", got.Name)
	})

	t.Run("one statement: still no transaction once another read is known", func(t *testing.T) {
		for range 2 {
			trips.Reset()
			require.NoError(t, unit.View(ctx, func(ctx context.Context, s crm.Stores) error {
				_, err := s.Dealers().Get(ctx, d.ID)
				return err
			}))
		}
		assert.Equal(t, 1, trips.Count())
		for _, q := range trips.Statements() {
			assert.False(t, strings.HasPrefix(q, "BEGIN") || strings.HasPrefix(q, "COMMIT"), "no transaction: %s", q)
		}
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
