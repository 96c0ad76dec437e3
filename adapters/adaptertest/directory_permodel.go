package adaptertest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// directoryPerModel: catalog.PerModelFor (through the bundle's catalog.ModelRecordsReader when it has one) gives
// for every make, model and year what MaintenancePlanFor and WarrantyTermsFor give one by one — generation's plan
// or terms over the model's, names without case, an unknown year, a year no generation covers, a model with
// neither, an unknown model or make, a model of the same name under another make — in a read-write unit of work
// and a read-only one; another dealer's directory is not read.
func directoryPerModel(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Справочник")
	ctx, svc := f.ctx, f.svc
	modelPlan, err := svc.CreateMaintenancePlan(ctx, maintenancePlan(f.vesta.ID, crm.ID{}, 1, crm.ID{}))
	require.NoError(t, err)
	genPlan, err := svc.CreateMaintenancePlan(ctx, maintenancePlan(crm.ID{}, f.vesta2.ID, 2, crm.ID{}))
	require.NoError(t, err)
	modelTerms, err := svc.CreateWarrantyTerms(ctx, catalog.WarrantyTerms{ModelID: f.vesta.ID, Months: 36, KmLimit: 100000,
		CoveredSystems: []string{"Двигатель"}})
	require.NoError(t, err)
	genTerms, err := svc.CreateWarrantyTerms(ctx, catalog.WarrantyTerms{GenerationID: f.vesta1.ID, Months: 24,
		CoveredSystems: []string{"Двигатель", "Кузов"}, Notes: "первое поколение"})
	require.NoError(t, err)
	havalVesta, err := svc.CreateModel(ctx, catalog.Model{MakeID: f.haval.ID, Name: "Vesta"})
	require.NoError(t, err)
	_, err = svc.CreateWarrantyTerms(ctx, catalog.WarrantyTerms{ModelID: havalVesta.ID, Months: 60, CoveredSystems: []string{"x"}})
	require.NoError(t, err)
	// another dealer with the same names: never read
	other := newDirectoryFixture(t, b, "Чужой справочник")
	_, err = other.svc.CreateMaintenancePlan(other.ctx, maintenancePlan(other.vesta.ID, crm.ID{}, 9, crm.ID{}))
	require.NoError(t, err)

	cases := []struct {
		make_, model string
		year         int
		plan, terms  crm.ID
	}{
		{"Lada", "Vesta", 2024, genPlan.ID, modelTerms.ID},
		{"Lada", "Vesta", 2018, modelPlan.ID, genTerms.ID},
		{" lada", "VESTA ", 2016, modelPlan.ID, genTerms.ID},
		{"Lada", "Vesta", 0, modelPlan.ID, modelTerms.ID},
		{"Lada", "Vesta", 2010, modelPlan.ID, modelTerms.ID},
		{"Lada", "Granta", 2024, crm.ID{}, crm.ID{}},
		{"Lada", "Niva", 2024, crm.ID{}, crm.ID{}},
		{"Kia", "Rio", 2024, crm.ID{}, crm.ID{}},
		{"Haval", "vesta", 2024, crm.ID{}, crm.ID{}}, // terms checked below: the Haval model's
	}
	for _, u := range []struct {
		name string
		run  func(ctx context.Context, fn func(ctx context.Context, s catalog.Stores) error) error
	}{
		{"ReadWrite", crm.NewUnit[catalog.Stores](b, nil).Update},
		{"ReadOnly", crm.NewUnit[catalog.Stores](b, nil).View},
	} {
		t.Run(u.name, func(t *testing.T) {
			for _, c := range cases {
				err := u.run(ctx, func(ctx context.Context, s catalog.Stores) error {
					got, err := catalog.PerModelFor(ctx, s, c.make_, c.model, c.year)
					require.NoError(t, err)
					plan, perr := catalog.MaintenancePlanFor(ctx, s, c.make_, c.model, c.year)
					terms, terr := catalog.WarrantyTermsFor(ctx, s, c.make_, c.model, c.year)
					assert.Equal(t, perr == nil, got.HasPlan, "%v: has plan", c)
					assert.Equal(t, terr == nil, got.HasTerms, "%v: has terms", c)
					if perr == nil {
						sameJSON(t, plan, got.Plan)
					} else {
						require.ErrorIs(t, perr, crm.ErrNotFound)
					}
					if terr == nil {
						sameJSON(t, terms, got.Terms)
					} else {
						require.ErrorIs(t, terr, crm.ErrNotFound)
					}
					assert.Equal(t, c.plan, got.Plan.ID, "%v: plan", c)
					if c.make_ != "Haval" {
						assert.Equal(t, c.terms, got.Terms.ID, "%v: terms", c)
					} else {
						assert.Equal(t, havalVesta.ID, got.Terms.ModelID, "the model of the make asked for")
					}
					return nil
				})
				require.NoError(t, err)
			}
		})
	}
}
