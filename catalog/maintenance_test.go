package catalog_test

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMaintenancePlanWhicheverComesFirst(t *testing.T) {
	model := crm.NewID()
	p, err := catalog.NewMaintenancePlan(crm.NewID(), catalog.MaintenancePlan{ModelID: model, Name: " Регламент ",
		IntervalKm: 15000, IntervalMonths: 12, Visits: []catalog.MaintenanceVisit{
			{Name: "ТО-1", Works: []catalog.MaintenanceWork{{Name: "Масло"}}},
			{Name: "ТО-2", Works: []catalog.MaintenanceWork{{LabourID: crm.NewID()}}},
		}}, now)
	require.NoError(t, err)
	assert.Equal(t, "Регламент", p.Name)
	last := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	km, at := p.NextDue(10000, last)
	assert.Equal(t, 25000, km)
	assert.Equal(t, last.AddDate(0, 12, 0), at)
	assert.False(t, p.IsDue(10000, last, 24999, at.Add(-time.Second)), "neither limit reached")
	assert.True(t, p.IsDue(10000, last, 25000, last), "the kilometres came first")
	assert.True(t, p.IsDue(10000, last, 11000, at), "the months came first")
	for n, want := range map[int]string{1: "ТО-1", 2: "ТО-2", 3: "ТО-1", 4: "ТО-2"} {
		v, dueKm, dueMonths, ok := p.Visit(n)
		require.True(t, ok)
		assert.Equal(t, want, v.Name, "visit %d", n)
		assert.Equal(t, n*15000, dueKm)
		assert.Equal(t, n*12, dueMonths)
	}
	_, _, _, ok := p.Visit(0)
	assert.False(t, ok)
}

func TestMaintenancePlanNamesEveryBadField(t *testing.T) {
	_, err := catalog.NewMaintenancePlan(crm.NewID(), catalog.MaintenancePlan{IntervalMonths: -1,
		Visits: []catalog.MaintenanceVisit{{}, {Name: "ТО-2", Works: []catalog.MaintenanceWork{
			{}, {LabourID: crm.NewID(), PartID: crm.NewID()}}}}}, now)
	assert.ElementsMatch(t, []string{"model_id", "name", "interval_km", "interval_months", "visits[0].name",
		"visits[0].works", "visits[1].works[0].name", "visits[1].works[1].part_id"}, fields(err))
}

func TestWarrantyTerms(t *testing.T) {
	w, err := catalog.NewWarrantyTerms(crm.NewID(), catalog.WarrantyTerms{ModelID: crm.NewID(), Months: 36,
		CoveredSystems: []string{" Двигатель "}}, now)
	require.NoError(t, err)
	sold := time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, time.Date(2029, 2, 28, 12, 0, 0, 0, time.UTC), w.Expires(sold))
	assert.True(t, w.InForce(sold, sold.AddDate(2, 11, 0), 500000), "no mileage limit")
	assert.False(t, w.InForce(sold, w.Expires(sold), 0), "the end is exclusive")
	assert.True(t, w.Covers("двигатель"))
	_, err = catalog.NewWarrantyTerms(crm.NewID(), catalog.WarrantyTerms{}, now)
	assert.ElementsMatch(t, []string{"model_id", "months", "covered_systems"}, fields(err))
}

func TestGenerationYears(t *testing.T) {
	g, err := catalog.NewGeneration(crm.NewID(), catalog.Generation{ModelID: crm.NewID(), Name: "NG", YearFrom: 2023}, now)
	require.NoError(t, err)
	assert.True(t, g.Covers(2023))
	assert.True(t, g.Covers(2040), "still built")
	assert.False(t, g.Covers(2022))
	_, err = catalog.NewGeneration(crm.NewID(), catalog.Generation{ModelID: crm.NewID(), Name: "I", YearFrom: 2015, YearTo: 2014}, now)
	assert.Equal(t, []string{"year_to"}, fields(err))
}
