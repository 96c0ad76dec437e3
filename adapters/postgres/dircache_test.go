package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/playbooks"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two stacks on one database, as two processes would be: each caches the sales stages it read (with the dealer's
// directory version), and a stage changed through one is seen by the other's next edit of a sale — the version
// comes back with the sale's read, so the stale cache entry is not used.
func TestDirectoryCacheAcrossProcesses(t *testing.T) {
	dsn := pgtest.Create(t)
	open := func() stack.Backend {
		db, err := pgtest.OpenDSN(context.Background(), dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
	db1, db2 := open(), open()
	clock := crm.NewManualClock(adaptertest.Epoch)
	one, two := stack.New(db1, clock), stack.New(db2, clock)
	ctx, _ := adaptertest.NewDealer(t, db1, "Север")

	stages, err := one.Sales.SeedStages(ctx)
	require.NoError(t, err)
	first := stages[0]
	require.Equal(t, 10, first.MaxProbability)
	c, err := one.Customers.CreateCustomer(ctx, crm.Customer{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
		LastName: "Петров", Phones: []string{"+79161234567"}}})
	require.NoError(t, err)
	sale, err := one.Sales.OpenSale(ctx, sales.OpenSaleInput{CustomerID: c.ID})
	require.NoError(t, err)

	edit := func(s *stack.Stack, p int) (sales.Sale, error) {
		return s.Sales.EditSale(ctx, sale.ID, 0, sales.Edit{Probability: &p, Reason: "звонок"})
	}
	// Process two reads the stages (and caches them), twice: the second edit uses its cache.
	_, err = edit(two, 5)
	require.NoError(t, err)
	_, err = edit(two, 6)
	require.NoError(t, err)

	// Process one lowers the first stage's maximum to 3.
	_, err = one.Sales.UpdateStage(ctx, first.ID, 0, sales.StageUpdate{Name: first.Name, Order: first.Order, MaxProbability: 3})
	require.NoError(t, err)

	// Process two sees it at once: 7 is over the new maximum, 2 is within it.
	_, err = edit(two, 7)
	require.Error(t, err)
	assert.Equal(t, crm.KindInvalid, crm.KindOf(err), "%v", err)
	got, err := edit(two, 2)
	require.NoError(t, err)
	assert.Equal(t, 2, got.Probability)

	// And the other way round: process one, whose cache holds the new stages, sees process two's change.
	_, err = edit(one, 3)
	require.NoError(t, err)
	st, err := two.Sales.ListStages(ctx)
	require.NoError(t, err)
	_, err = two.Sales.UpdateStage(ctx, first.ID, st[0].Version, sales.StageUpdate{Name: first.Name, Order: first.Order, MaxProbability: 8})
	require.NoError(t, err)
	got, err = edit(one, 8)
	require.NoError(t, err)
	assert.Equal(t, 8, got.Probability)

	// The lead stages, cached beside the need type's read that brings the version: a stage renamed in process
	// one is read renamed in process two's next unit of work.
	leadStage := func(db stack.Backend) string {
		var name string
		require.NoError(t, crm.NewUnit[leads.Stores](db, clock).Update(ctx, func(ctx context.Context, st leads.Stores) error {
			if _, err := st.NeedTypes().GetByCode(ctx, "car_purchase"); err != nil {
				return err
			}
			ls, err := st.LeadStages().GetByCode(ctx, "new")
			name = ls.Name
			return err
		}))
		return name
	}
	require.NoError(t, one.Leads.SeedDirectories(ctx))
	before := leadStage(db2)
	assert.Equal(t, before, leadStage(db2), "from the cache")
	ls, err := one.Leads.ListLeadStages(ctx)
	require.NoError(t, err)
	_, err = one.Leads.RenameLeadStage(ctx, "new", ls[0].Version, "Свежий")
	require.NoError(t, err)
	assert.Equal(t, "Свежий", leadStage(db2))

	// The stage playbooks (migration 081), cached beside the version as the stages are: steps put through process
	// one are the steps process two reads next.
	steps := func(db stack.Backend) []string {
		var keys []string
		require.NoError(t, crm.NewUnit[leads.Stores](db, clock).Update(ctx, func(ctx context.Context, st leads.Stores) error {
			if _, err := st.NeedTypes().GetByCode(ctx, "car_purchase"); err != nil {
				return err
			}
			ls, err := st.LeadStages().GetByCode(ctx, "new")
			if err != nil {
				return err
			}
			p, err := st.(*postgres.Tx).Playbooks().GetByStage(ctx, ls.ID)
			if errors.Is(err, crm.ErrNotFound) {
				return nil
			}
			for _, s := range p.Steps {
				keys = append(keys, s.Key)
			}
			return err
		}))
		return keys
	}
	ls, err = one.Leads.ListLeadStages(ctx)
	require.NoError(t, err)
	steps(db2)
	_, err = one.Playbooks.PutPlaybook(ctx, ls[0].ID, 0, []playbooks.Step{{Key: "call_back", Title: "Перезвонить"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"call_back"}, steps(db2))
	_, err = two.Playbooks.PutPlaybook(ctx, ls[0].ID, 0, []playbooks.Step{{Key: "meet", Title: "Встретить"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"meet"}, steps(db2), "changed through the process itself")
	assert.Equal(t, []string{"meet"}, steps(db1))
}
