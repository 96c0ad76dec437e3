package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runDirectory tests the model directory (issue 17): the generic record contract on each of its stores, then its
// own rules through the catalog service — names unique per parent, parents the dealer's own, filters, the
// maintenance plan and warranty terms that apply to a make + model + year, and concurrent writers.
func runDirectory(t *testing.T, open Open) {
	t.Run("Records", func(t *testing.T) { directoryRecords(t, open) })
	t.Run("Tree", func(t *testing.T) { directoryTree(t, open(t)) })
	t.Run("NamesUniquePerParent", func(t *testing.T) { directoryNames(t, open(t)) })
	t.Run("ParentsAreTheDealersOwn", func(t *testing.T) { directoryParents(t, open(t)) })
	t.Run("ConfigurationFilters", func(t *testing.T) { directoryFilters(t, open(t)) })
	t.Run("ConfigurationRulesRefusedNothingSaved", func(t *testing.T) { directoryBadConfiguration(t, open(t)) })
	t.Run("ConfigurationEditKeepsOptionIDs", func(t *testing.T) { directoryEdit(t, open(t)) })
	t.Run("MaintenancePlanLookup", func(t *testing.T) { directoryMaintenance(t, open(t)) })
	t.Run("WarrantyTermsLookup", func(t *testing.T) { directoryWarranty(t, open(t)) })
	t.Run("PlanAndTermsInOneLookup", func(t *testing.T) { directoryPerModel(t, open(t)) })
	t.Run("ConcurrentSameNameOneWins", func(t *testing.T) { directoryConcurrentNames(t, open(t)) })
	t.Run("ConcurrentConfigurationEditsOneWins", func(t *testing.T) { directoryConcurrentEdits(t, open(t)) })
	t.Run("Compare", func(t *testing.T) { directoryCompare(t, open(t)) })
	t.Run("Pricing", func(t *testing.T) { runDirectoryPricing(t, open) })
	t.Run("Cards", func(t *testing.T) { runDirectoryCards(t, open) })
}

// directoryFixture is one dealer's small directory: Lada Vesta with two generations, a configuration of the second
// with options, a pack and colours.
type directoryFixture struct {
	*catalogEnv
	lada, haval    catalog.Make
	vesta, granta  catalog.Model
	vesta1, vesta2 catalog.Generation
	comfort        catalog.Configuration
}

// rub is an amount in roubles.
func rub(s string) crm.Money { return crm.MustMoney(s, "RUB") }

// comfortConfiguration is a configuration of generation gen with options whose rules the pricing tests exercise:
// WINTER (pack of HEATED_SEATS and HEATED_WHEEL), TOWBAR excludes ROOF_RACK, NAV requires MEDIA.
func comfortConfiguration(gen crm.ID, code string) catalog.Configuration {
	return catalog.Configuration{GenerationID: gen, Code: code, Name: "Comfort", Body: "sedan",
		Specs: catalog.VehicleSpecs{EngineType: "petrol I4", DisplacementCC: 1596, PowerKW: decimal.RequireFromString("79.4"),
			PowerHP: decimal.NewFromInt(108), Fuel: "petrol", Transmission: "manual", Drive: "fwd", Seats: 5, Doors: 4,
			EmissionClass: "Euro 5"},
		Equipment: []string{"ABS", "ESC", "Кондиционер"},
		Price:     rub("1539900.00"), ValidFrom: Epoch.AddDate(0, -1, 0), ValidTo: Epoch.AddDate(1, 0, 0),
		Options: []catalog.Option{
			{Code: "HEATED_SEATS", Name: "Подогрев сидений", Price: rub("15000.00")},
			{Code: "HEATED_WHEEL", Name: "Подогрев руля", Price: rub("8000.00")},
			{Code: "WINTER", Name: "Зимний пакет", Kind: catalog.OptionPack, Price: rub("19990.50"),
				Includes: []string{"HEATED_SEATS", "HEATED_WHEEL"}},
			{Code: "TOWBAR", Name: "Фаркоп", Price: rub("12345.67"), Excludes: []string{"ROOF_RACK"}},
			{Code: "ROOF_RACK", Name: "Рейлинги", Price: rub("9000.00")},
			{Code: "MEDIA", Name: "Мультимедиа", Price: rub("25000.00")},
			{Code: "NAV", Name: "Навигация", Price: rub("10000.01"), Requires: []string{"MEDIA"}},
		},
		Colors: []catalog.Color{
			{Code: "WHITE", Name: "Белый «Ледниковый»", Kind: catalog.Exterior, Surcharge: rub("0")},
			{Code: "BLUE", Name: "Синий «Космос»", Kind: catalog.Exterior, Surcharge: rub("20000.33")},
			{Code: "BLACK", Name: "Чёрная ткань", Kind: catalog.Interior, Surcharge: rub("0")},
			{Code: "LEATHER", Name: "Кожа", Kind: catalog.Interior, Surcharge: rub("45000.99")},
		}}
}

func newDirectoryFixture(t *testing.T, b Backend, dealer string) *directoryFixture {
	t.Helper()
	f := &directoryFixture{catalogEnv: newCatalogEnv(t, b, dealer)}
	fillDirectory(t, f)
	return f
}

// fillDirectory creates the fixture's directory through f's service.
func fillDirectory(t *testing.T, f *directoryFixture) {
	t.Helper()
	var err error
	ctx, svc := f.ctx, f.svc
	f.lada, err = svc.CreateMake(ctx, catalog.Make{Name: "Lada", Country: "Россия"})
	require.NoError(t, err)
	f.haval, err = svc.CreateMake(ctx, catalog.Make{Name: "Haval", Country: "Китай"})
	require.NoError(t, err)
	f.vesta, err = svc.CreateModel(ctx, catalog.Model{MakeID: f.lada.ID, Name: "Vesta", Code: "gfl"})
	require.NoError(t, err)
	f.granta, err = svc.CreateModel(ctx, catalog.Model{MakeID: f.lada.ID, Name: "Granta"})
	require.NoError(t, err)
	f.vesta1, err = svc.CreateGeneration(ctx, catalog.Generation{ModelID: f.vesta.ID, Name: "I", YearFrom: 2015, YearTo: 2022})
	require.NoError(t, err)
	f.vesta2, err = svc.CreateGeneration(ctx, catalog.Generation{ModelID: f.vesta.ID, Name: "NG", YearFrom: 2023})
	require.NoError(t, err)
	f.comfort, err = svc.CreateConfiguration(ctx, comfortConfiguration(f.vesta2.ID, "vesta-ng-comfort"))
	require.NoError(t, err)
}

func directoryRecords(t *testing.T, open Open) {
	parent := crm.NewID() // parents are checked by the service, not the store (see migration 020)
	edit := func(name *string) { *name += " (изм.)" }
	t.Run("Makes", func(t *testing.T) {
		RunRecords(t, open, Records[catalog.Stores, catalog.Make]{
			New: func(d crm.Dealer, n int) catalog.Make {
				m, err := catalog.NewMake(d.ID, catalog.Make{Name: fmt.Sprintf("Марка %d", n), Country: "Россия"}, Epoch)
				require.NoError(t, err)
				return m
			},
			Meta:   func(m *catalog.Make) *crm.Meta { return &m.Meta },
			Create: func(ctx context.Context, s catalog.Stores, m *catalog.Make) error { return s.Makes().Create(ctx, m) },
			Get: func(ctx context.Context, s catalog.Stores, id crm.ID) (catalog.Make, error) {
				return s.Makes().Get(ctx, id)
			},
			Update: func(ctx context.Context, s catalog.Stores, m *catalog.Make) error { return s.Makes().Update(ctx, m) },
			Edit:   func(m *catalog.Make) { edit(&m.Name) },
			Same: func(t *testing.T, want, got catalog.Make) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				assert.Equal(t, want, got)
			},
		})
	})
	t.Run("Models", func(t *testing.T) {
		RunRecords(t, open, Records[catalog.Stores, catalog.Model]{
			New: func(d crm.Dealer, n int) catalog.Model {
				m, err := catalog.NewModel(d.ID, catalog.Model{MakeID: parent, Name: fmt.Sprintf("Модель %d", n), Code: "X"}, Epoch)
				require.NoError(t, err)
				return m
			},
			Meta:   func(m *catalog.Model) *crm.Meta { return &m.Meta },
			Create: func(ctx context.Context, s catalog.Stores, m *catalog.Model) error { return s.Models().Create(ctx, m) },
			Get: func(ctx context.Context, s catalog.Stores, id crm.ID) (catalog.Model, error) {
				return s.Models().Get(ctx, id)
			},
			Update: func(ctx context.Context, s catalog.Stores, m *catalog.Model) error { return s.Models().Update(ctx, m) },
			Edit:   func(m *catalog.Model) { edit(&m.Name) },
			Same: func(t *testing.T, want, got catalog.Model) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				assert.Equal(t, want, got)
			},
		})
	})
	t.Run("Generations", func(t *testing.T) {
		RunRecords(t, open, Records[catalog.Stores, catalog.Generation]{
			New: func(d crm.Dealer, n int) catalog.Generation {
				g, err := catalog.NewGeneration(d.ID, catalog.Generation{MakeID: parent, ModelID: parent,
					Name: fmt.Sprintf("Поколение %d", n), YearFrom: 2015, YearTo: 2020 + n}, Epoch)
				require.NoError(t, err)
				return g
			},
			Meta: func(g *catalog.Generation) *crm.Meta { return &g.Meta },
			Create: func(ctx context.Context, s catalog.Stores, g *catalog.Generation) error {
				return s.Generations().Create(ctx, g)
			},
			Get: func(ctx context.Context, s catalog.Stores, id crm.ID) (catalog.Generation, error) {
				return s.Generations().Get(ctx, id)
			},
			Update: func(ctx context.Context, s catalog.Stores, g *catalog.Generation) error {
				return s.Generations().Update(ctx, g)
			},
			Edit: func(g *catalog.Generation) { edit(&g.Name) },
			Same: func(t *testing.T, want, got catalog.Generation) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				assert.Equal(t, want, got)
			},
		})
	})
	t.Run("Configurations", func(t *testing.T) {
		RunRecords(t, open, Records[catalog.Stores, catalog.Configuration]{
			New: func(d crm.Dealer, n int) catalog.Configuration {
				c, err := catalog.NewConfiguration(d, comfortConfiguration(parent, fmt.Sprintf("CFG-%d", n)), Epoch)
				require.NoError(t, err)
				c.MakeID, c.ModelID = parent, parent
				return c
			},
			Meta: func(c *catalog.Configuration) *crm.Meta { return &c.Meta },
			Create: func(ctx context.Context, s catalog.Stores, c *catalog.Configuration) error {
				return s.Configurations().Create(ctx, c)
			},
			Get: func(ctx context.Context, s catalog.Stores, id crm.ID) (catalog.Configuration, error) {
				return s.Configurations().Get(ctx, id)
			},
			Update: func(ctx context.Context, s catalog.Stores, c *catalog.Configuration) error {
				return s.Configurations().Update(ctx, c)
			},
			Edit: func(c *catalog.Configuration) {
				edit(&c.Name)
				c.Price = rub("1600000.55")
			},
			Same: func(t *testing.T, want, got catalog.Configuration) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				sameJSON(t, want, got)
				assert.True(t, want.Price.Equal(got.Price), "%s != %s", want.Price, got.Price)
			},
		})
	})
	t.Run("MaintenancePlans", func(t *testing.T) {
		RunRecords(t, open, Records[catalog.Stores, catalog.MaintenancePlan]{
			New: func(d crm.Dealer, n int) catalog.MaintenancePlan {
				p, err := catalog.NewMaintenancePlan(d.ID, maintenancePlan(crm.NewID(), crm.ID{}, n, crm.ID{}), Epoch)
				require.NoError(t, err)
				return p
			},
			Meta: func(p *catalog.MaintenancePlan) *crm.Meta { return &p.Meta },
			Create: func(ctx context.Context, s catalog.Stores, p *catalog.MaintenancePlan) error {
				return s.MaintenancePlans().Create(ctx, p)
			},
			Get: func(ctx context.Context, s catalog.Stores, id crm.ID) (catalog.MaintenancePlan, error) {
				return s.MaintenancePlans().Get(ctx, id)
			},
			Update: func(ctx context.Context, s catalog.Stores, p *catalog.MaintenancePlan) error {
				return s.MaintenancePlans().Update(ctx, p)
			},
			Edit: func(p *catalog.MaintenancePlan) { edit(&p.Name); p.IntervalKm = 10000 },
			Same: func(t *testing.T, want, got catalog.MaintenancePlan) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				sameJSON(t, want, got)
			},
		})
	})
	t.Run("WarrantyTerms", func(t *testing.T) {
		RunRecords(t, open, Records[catalog.Stores, catalog.WarrantyTerms]{
			New: func(d crm.Dealer, n int) catalog.WarrantyTerms {
				w, err := catalog.NewWarrantyTerms(d.ID, catalog.WarrantyTerms{ModelID: crm.NewID(), Months: 36, KmLimit: 100000 * n,
					CoveredSystems: []string{"двигатель", "коробка передач"}, Notes: "Заводская гарантия"}, Epoch)
				require.NoError(t, err)
				return w
			},
			Meta: func(w *catalog.WarrantyTerms) *crm.Meta { return &w.Meta },
			Create: func(ctx context.Context, s catalog.Stores, w *catalog.WarrantyTerms) error {
				return s.WarrantyTerms().Create(ctx, w)
			},
			Get: func(ctx context.Context, s catalog.Stores, id crm.ID) (catalog.WarrantyTerms, error) {
				return s.WarrantyTerms().Get(ctx, id)
			},
			Update: func(ctx context.Context, s catalog.Stores, w *catalog.WarrantyTerms) error {
				return s.WarrantyTerms().Update(ctx, w)
			},
			Edit: func(w *catalog.WarrantyTerms) { w.Months = 60 },
			Same: func(t *testing.T, want, got catalog.WarrantyTerms) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				assert.Equal(t, want, got)
			},
		})
	})
}

// maintenancePlan is a plan of model (or generation gen) every 15 000 km or 12 months with two visits; the first
// visit's oil change names labour (when not zero).
func maintenancePlan(model, gen crm.ID, n int, labour crm.ID) catalog.MaintenancePlan {
	return catalog.MaintenancePlan{ModelID: model, GenerationID: gen, Name: fmt.Sprintf("Регламент ТО %d", n),
		IntervalKm: 15000, IntervalMonths: 12, Visits: []catalog.MaintenanceVisit{
			{Name: "ТО-1", Works: []catalog.MaintenanceWork{{LabourID: labour, Name: "Замена масла", Quantity: decimal.RequireFromString("1.5")},
				{Name: "Масляный фильтр", Quantity: decimal.NewFromInt(1)}}},
			{Name: "ТО-2", Works: []catalog.MaintenanceWork{{Name: "Замена воздушного фильтра"}}},
		}}
}

func directoryTree(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Дерево")
	ctx, svc := f.ctx, f.svc
	assert.Equal(t, f.lada.ID, f.vesta2.MakeID, "a generation takes its make from the model")
	assert.Equal(t, f.lada.ID, f.comfort.MakeID, "a configuration takes its make and model from the generation")
	assert.Equal(t, f.vesta.ID, f.comfort.ModelID)
	assert.Equal(t, "VESTA-NG-COMFORT", f.comfort.Code)
	assert.Equal(t, "GFL", f.vesta.Code)
	require.Len(t, f.comfort.Options, 7)
	for _, o := range f.comfort.Options {
		assert.NotEqual(t, crm.ID{}, o.ID, "option %s gets an ID", o.Code)
	}
	makes, err := svc.ListMakes(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"Haval", "Lada"}, names(makes, func(m catalog.Make) string { return m.Name }))
	models, err := svc.ListModels(ctx, f.lada.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"Granta", "Vesta"}, names(models, func(m catalog.Model) string { return m.Name }))
	none, err := svc.ListModels(ctx, f.haval.ID)
	require.NoError(t, err)
	assert.Empty(t, none)
	gens, err := svc.ListGenerations(ctx, f.vesta.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"I", "NG"}, names(gens, func(g catalog.Generation) string { return g.Name }))
	got, err := svc.GetConfiguration(ctx, f.comfort.ID)
	require.NoError(t, err)
	sameJSON(t, f.comfort, got)
	assert.True(t, got.Price.Equal(rub("1539900")), "%s", got.Price)
	assert.Equal(t, f.comfort.ValidFrom, got.ValidFrom)

	m, err := svc.UpdateMake(ctx, f.lada.ID, 1, catalog.Make{Name: "LADA", Country: "Россия"})
	require.NoError(t, err)
	assert.EqualValues(t, 2, m.Version)
	_, err = svc.UpdateMake(ctx, f.lada.ID, 1, catalog.Make{Name: "Лада"})
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
	g, err := svc.UpdateGeneration(ctx, f.vesta1.ID, 0, catalog.Generation{Name: "I (2015–2022)", YearFrom: 2015, YearTo: 2022})
	require.NoError(t, err)
	assert.Equal(t, f.vesta.ID, g.ModelID, "an edit keeps the model")
}

func names[T any, N any](in []T, name func(T) N) []N {
	out := make([]N, len(in))
	for i, v := range in {
		out[i] = name(v)
	}
	return out
}

func directoryNames(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Имена")
	ctx, svc := f.ctx, f.svc
	_, err := svc.CreateMake(ctx, catalog.Make{Name: "  lada "})
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err), "a make name is unique without case: %v", err)
	cyr, err := svc.CreateMake(ctx, catalog.Make{Name: "Москвич"})
	require.NoError(t, err)
	_, err = svc.CreateMake(ctx, catalog.Make{Name: "МОСКВИЧ"})
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err), "Cyrillic folds alike on every adapter: %v", err)
	_, err = svc.CreateModel(ctx, catalog.Model{MakeID: cyr.ID, Name: "Vesta"})
	assert.NoError(t, err, "the same model name under another make")
	_, err = svc.CreateModel(ctx, catalog.Model{MakeID: f.lada.ID, Name: "VESTA"})
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err), "%v", err)
	_, err = svc.CreateGeneration(ctx, catalog.Generation{ModelID: f.vesta.ID, Name: "ng", YearFrom: 2024})
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err), "%v", err)
	_, err = svc.CreateConfiguration(ctx, comfortConfiguration(f.vesta1.ID, "VESTA-NG-COMFORT"))
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err), "a configuration code is unique per dealer: %v", err)
	_, err = svc.UpdateMake(ctx, cyr.ID, 0, catalog.Make{Name: "LADA"})
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err), "nor taken by an edit: %v", err)

	other := newDirectoryFixture(t, b, "Другой")
	assert.Equal(t, "Lada", other.lada.Name, "another dealer has its own names")
}

func directoryParents(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Родители")
	other := newDirectoryFixture(t, b, "Чужие")
	ctx, svc := f.ctx, f.svc
	_, err := svc.CreateModel(ctx, catalog.Model{MakeID: other.lada.ID, Name: "Niva"})
	assertFields(t, err, "make_id")
	_, err = svc.CreateGeneration(ctx, catalog.Generation{ModelID: crm.NewID(), Name: "II", YearFrom: 2020})
	assertFields(t, err, "model_id")
	_, err = svc.CreateConfiguration(ctx, comfortConfiguration(other.vesta2.ID, "X"))
	assertFields(t, err, "generation_id")
	_, err = svc.GetConfiguration(ctx, other.comfort.ID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "another dealer's configuration: %v", err)
	list, err := svc.ListConfigurations(ctx, catalog.ConfigurationFilter{})
	require.NoError(t, err)
	assert.Len(t, list, 1, "only the dealer's own")
}

// assertFields asserts err is invalid input naming exactly fields (in any order).
func assertFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	require.Error(t, err)
	assert.True(t, errors.Is(err, crm.ErrInvalid), "invalid input: %v", err)
	var got []string
	for _, f := range crm.FieldsOf(err) {
		got = append(got, f.Field)
	}
	assert.ElementsMatch(t, fields, got, "%v", err)
}

func directoryFilters(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Фильтры")
	ctx, svc := f.ctx, f.svc
	old := comfortConfiguration(f.vesta1.ID, "VESTA-I-CLASSIC")
	old.Name, old.Options, old.ValidTo = "Classic", []catalog.Option{{Code: "TOWBAR", Name: "Фаркоп", Price: rub("9000")}}, Epoch
	classic, err := svc.CreateConfiguration(ctx, old)
	require.NoError(t, err)
	jolion, err := svc.CreateModel(ctx, catalog.Model{MakeID: f.haval.ID, Name: "Jolion"})
	require.NoError(t, err)
	jg, err := svc.CreateGeneration(ctx, catalog.Generation{ModelID: jolion.ID, Name: "I", YearFrom: 2021})
	require.NoError(t, err)
	jc := comfortConfiguration(jg.ID, "JOLION-ELITE")
	jc.Options = nil
	elite, err := svc.CreateConfiguration(ctx, jc)
	require.NoError(t, err)

	codes := func(flt catalog.ConfigurationFilter) []string {
		t.Helper()
		list, err := svc.ListConfigurations(ctx, flt)
		require.NoError(t, err)
		return names(list, func(c catalog.Configuration) string { return c.Code })
	}
	assert.Equal(t, []string{"JOLION-ELITE", "VESTA-I-CLASSIC", "VESTA-NG-COMFORT"}, codes(catalog.ConfigurationFilter{}))
	assert.Equal(t, []string{"VESTA-I-CLASSIC", "VESTA-NG-COMFORT"}, codes(catalog.ConfigurationFilter{MakeID: f.lada.ID}))
	assert.Equal(t, []string{elite.Code}, codes(catalog.ConfigurationFilter{ModelID: jolion.ID}))
	assert.Equal(t, []string{classic.Code}, codes(catalog.ConfigurationFilter{GenerationID: f.vesta1.ID}))
	assert.Equal(t, []string{classic.Code}, codes(catalog.ConfigurationFilter{ModelID: f.vesta.ID, Year: 2019}))
	assert.Equal(t, []string{"JOLION-ELITE", "VESTA-NG-COMFORT"}, codes(catalog.ConfigurationFilter{Year: 2024}))
	assert.Empty(t, codes(catalog.ConfigurationFilter{Year: 2010}))
	assert.Equal(t, []string{"VESTA-I-CLASSIC", "VESTA-NG-COMFORT"}, codes(catalog.ConfigurationFilter{MakeName: " lada", ModelName: "VESTA"}),
		"make and model by name")
	assert.Equal(t, []string{"VESTA-NG-COMFORT"}, codes(catalog.ConfigurationFilter{ModelName: "vesta", Year: 2024}))
	assert.Empty(t, codes(catalog.ConfigurationFilter{MakeName: "Kia"}))
	assert.Empty(t, codes(catalog.ConfigurationFilter{MakeName: "Haval", ModelName: "Vesta"}))
	assert.Equal(t, []string{"VESTA-I-CLASSIC", "VESTA-NG-COMFORT"}, codes(catalog.ConfigurationFilter{Option: "towbar"}))
	assert.Equal(t, []string{"VESTA-NG-COMFORT"}, codes(catalog.ConfigurationFilter{Option: "WINTER"}))
	assert.Equal(t, []string{"JOLION-ELITE", "VESTA-NG-COMFORT"}, codes(catalog.ConfigurationFilter{ValidAt: Epoch}),
		"the classic's price ended at the epoch (ValidTo is exclusive)")
	assert.Equal(t, []string{"JOLION-ELITE", "VESTA-I-CLASSIC", "VESTA-NG-COMFORT"},
		codes(catalog.ConfigurationFilter{ValidAt: Epoch.Add(-crm.TimePrecision)}))
}

func directoryBadConfiguration(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Правила")
	ctx, svc := f.ctx, f.svc
	bad := comfortConfiguration(f.vesta2.ID, "BAD")
	bad.Name = " "
	bad.Price = crm.MustMoney("-1", "RUB")
	bad.ValidTo = bad.ValidFrom
	bad.Options = append(bad.Options,
		catalog.Option{Code: "towbar", Name: "Ещё фаркоп", Price: rub("1")},                            // options[7].code: a repeat
		catalog.Option{Code: "SELF", Name: "Сам", Price: rub("1"), Requires: []string{"SELF", "NOPE"}}, // [8].requires[0], [1]
		catalog.Option{Code: "P2", Name: "Пакет", Kind: catalog.OptionPack, Price: rub("1"),
			Includes: []string{"WINTER"}}, // [9].includes[0]: a pack in a pack
		catalog.Option{Code: "USD", Name: "В долларах", Price: crm.MustMoney("1", "USD")}, // [10].price
	)
	bad.Colors = append(bad.Colors, catalog.Color{Code: "blue", Name: "Синий", Kind: catalog.Exterior}, // colors[4].code
		catalog.Color{Code: "RED", Name: "Красный", Kind: "roof"}) // colors[5].kind
	_, err := svc.CreateConfiguration(ctx, bad)
	assertFields(t, err, "name", "price", "valid_to", "options[7].code", "options[8].requires[0]",
		"options[8].requires[1]", "options[9].includes[0]", "options[10].price", "colors[4].code", "colors[5].kind")
	list, err := svc.ListConfigurations(ctx, catalog.ConfigurationFilter{})
	require.NoError(t, err)
	assert.Len(t, list, 1, "nothing saved")
}

func directoryEdit(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Правка")
	ctx, svc := f.ctx, f.svc
	card := comfortConfiguration(crm.NewID(), f.comfort.Code) // the generation of an edit is ignored
	card.Price = rub("1599900.00")
	card.Options = card.Options[3:] // drops the heated seats, the wheel and the pack
	c, err := svc.UpdateConfiguration(ctx, f.comfort.ID, f.comfort.Version, card)
	require.NoError(t, err)
	assert.Equal(t, f.vesta2.ID, c.GenerationID)
	assert.True(t, c.Price.Equal(rub("1599900")))
	for _, o := range c.Options {
		was, ok := f.comfort.Option(o.Code)
		require.True(t, ok)
		assert.Equal(t, was.ID, o.ID, "option %s keeps its ID", o.Code)
	}
	got, err := svc.GetConfiguration(ctx, f.comfort.ID)
	require.NoError(t, err)
	sameJSON(t, c, got)
}

func directoryMaintenance(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Сервис")
	ctx, svc := f.ctx, f.svc
	_, err := svc.FindMaintenancePlan(ctx, "Lada", "Vesta", 2024)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "no plan yet: %v", err)
	oil, err := svc.CreateLabour(ctx, catalog.Labour{Code: "OIL", Name: "Замена масла", LabourHours: decimal.RequireFromString("0.8"),
		Price: rub("1800")})
	require.NoError(t, err)
	modelPlan, err := svc.CreateMaintenancePlan(ctx, maintenancePlan(f.vesta.ID, crm.ID{}, 1, oil.ID))
	require.NoError(t, err)
	ngPlan := maintenancePlan(crm.ID{}, f.vesta2.ID, 2, crm.ID{})
	ngPlan.IntervalKm = 10000
	genPlan, err := svc.CreateMaintenancePlan(ctx, ngPlan)
	require.NoError(t, err)
	assert.Equal(t, f.vesta.ID, genPlan.ModelID, "the model comes from the generation")

	find := func(make_, model string, year int) crm.ID {
		t.Helper()
		p, err := svc.FindMaintenancePlan(ctx, make_, model, year)
		require.NoError(t, err)
		return p.ID
	}
	assert.Equal(t, genPlan.ID, find("Lada", "Vesta", 2024), "the generation's plan overrides the model's")
	assert.Equal(t, genPlan.ID, find(" lada", "VESTA ", 2023), "names without case")
	assert.Equal(t, modelPlan.ID, find("Lada", "Vesta", 2018), "a generation without a plan: the model's")
	assert.Equal(t, modelPlan.ID, find("Lada", "Vesta", 0), "year unknown: the model's")
	assert.Equal(t, modelPlan.ID, find("Lada", "Vesta", 2010), "no generation covers the year: the model's")
	for _, c := range []struct{ make_, model string }{{"Lada", "Granta"}, {"Lada", "Niva"}, {"Kia", "Rio"}} {
		_, err = svc.FindMaintenancePlan(ctx, c.make_, c.model, 2024)
		assert.True(t, errors.Is(err, crm.ErrNotFound), "%s %s: %v", c.make_, c.model, err)
	}
	got, err := svc.GetMaintenancePlan(ctx, modelPlan.ID)
	require.NoError(t, err)
	sameJSON(t, modelPlan, got)
	assert.Equal(t, oil.ID, got.Visits[0].Works[0].LabourID)
	v, km, months, ok := got.Visit(3)
	assert.True(t, ok)
	assert.Equal(t, "ТО-1", v.Name, "visits repeat")
	assert.Equal(t, 45000, km)
	assert.Equal(t, 36, months)

	_, err = svc.CreateMaintenancePlan(ctx, maintenancePlan(f.vesta.ID, crm.ID{}, 3, crm.ID{}))
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err), "one plan per model: %v", err)
	_, err = svc.CreateMaintenancePlan(ctx, maintenancePlan(crm.ID{}, f.vesta2.ID, 4, crm.ID{}))
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err), "one plan per generation: %v", err)
	_, err = svc.CreateMaintenancePlan(ctx, maintenancePlan(f.granta.ID, f.vesta1.ID, 5, crm.ID{}))
	assertFields(t, err, "generation_id")
	_, err = svc.CreateMaintenancePlan(ctx, maintenancePlan(f.granta.ID, crm.ID{}, 6, crm.NewID()))
	assertFields(t, err, "visits[0].works[0].labour_id")
	broken := maintenancePlan(f.granta.ID, crm.ID{}, 7, crm.ID{})
	broken.IntervalKm, broken.Visits[1].Works[0].Name = 0, ""
	_, err = svc.CreateMaintenancePlan(ctx, broken)
	assertFields(t, err, "interval_km", "visits[1].works[0].name")
	all, err := svc.ListMaintenancePlans(ctx, f.vesta.ID)
	require.NoError(t, err)
	assert.Equal(t, []crm.ID{modelPlan.ID, genPlan.ID}, names(all, func(p catalog.MaintenancePlan) crm.ID { return p.ID }),
		"the model's own first; nothing of the refused plans saved")

	edited := got
	edited.IntervalMonths = 6
	up, err := svc.UpdateMaintenancePlan(ctx, got.ID, got.Version, edited)
	require.NoError(t, err)
	assert.Equal(t, 6, up.IntervalMonths)
	_, err = svc.UpdateMaintenancePlan(ctx, got.ID, got.Version, edited)
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
}

func directoryWarranty(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Гарантия")
	ctx, svc := f.ctx, f.svc
	model, err := svc.CreateWarrantyTerms(ctx, catalog.WarrantyTerms{ModelID: f.vesta.ID, Months: 36, KmLimit: 100000,
		CoveredSystems: []string{"Двигатель", "Трансмиссия"}})
	require.NoError(t, err)
	gen, err := svc.CreateWarrantyTerms(ctx, catalog.WarrantyTerms{GenerationID: f.vesta2.ID, Months: 36, KmLimit: 120000,
		CoveredSystems: []string{"Двигатель", "Трансмиссия", "Кузов (коррозия)"}, Notes: "6 лет на кузов"})
	require.NoError(t, err)
	w, err := svc.FindWarrantyTerms(ctx, "LADA", "vesta", 2025)
	require.NoError(t, err)
	assert.Equal(t, gen.ID, w.ID)
	assert.True(t, w.Covers("кузов (КОРРОЗИЯ)"))
	w, err = svc.FindWarrantyTerms(ctx, "Lada", "Vesta", 2016)
	require.NoError(t, err)
	assert.Equal(t, model.ID, w.ID)
	assert.False(t, w.Covers("Кузов (коррозия)"))
	sold := Epoch
	assert.True(t, w.InForce(sold, sold.AddDate(2, 0, 0), 99999))
	assert.False(t, w.InForce(sold, sold.AddDate(2, 0, 0), 100000), "the mileage limit came first")
	assert.False(t, w.InForce(sold, sold.AddDate(3, 0, 0), 10), "the months came first")
	_, err = svc.CreateWarrantyTerms(ctx, catalog.WarrantyTerms{ModelID: f.vesta.ID, Months: 12, CoveredSystems: []string{"x"}})
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err), "%v", err)
	_, err = svc.CreateWarrantyTerms(ctx, catalog.WarrantyTerms{ModelID: f.granta.ID, KmLimit: -1, CoveredSystems: []string{" "}})
	assertFields(t, err, "months", "km_limit", "covered_systems[0]")
	_, err = svc.FindWarrantyTerms(ctx, "Lada", "Granta", 2020)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
}

// directoryConcurrentNames: twenty writers create the same make (and the same model's plan) at once; exactly one
// wins, the others get the duplicate code, on every adapter.
func directoryConcurrentNames(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Гонка")
	const n = 20
	race := func(do func(i int) error) (won int, dup int) {
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = do(i) }()
		}
		wg.Wait()
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case crm.CodeOf(err) == crm.CodeDuplicate:
				dup++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		return won, dup
	}
	won, dup := race(func(i int) error {
		_, err := f.svc.CreateMake(f.ctx, catalog.Make{Name: fmt.Sprintf("%sКИА", []string{"", " "}[i%2])})
		return err
	})
	assert.Equal(t, 1, won)
	assert.Equal(t, n-1, dup)
	won, dup = race(func(i int) error {
		_, err := f.svc.CreateMaintenancePlan(f.ctx, maintenancePlan(f.granta.ID, crm.ID{}, i, crm.ID{}))
		return err
	})
	assert.Equal(t, 1, won)
	assert.Equal(t, n-1, dup)
	makes, err := f.svc.ListMakes(f.ctx)
	require.NoError(t, err)
	assert.Len(t, makes, 3)
}

// directoryConcurrentEdits: twenty writers holding version 1 change the configuration's price; one wins, nineteen
// are stale, and the stored price is the winner's.
func directoryConcurrentEdits(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Цены")
	const n = 20
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		winner catalog.Configuration
		stale  int
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			card := f.comfort
			card.Price = rub(fmt.Sprintf("1600000.%02d", i))
			c, err := f.svc.UpdateConfiguration(f.ctx, f.comfort.ID, f.comfort.Version, card)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				winner = c
			case errors.Is(err, crm.ErrStaleVersion):
				stale++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, n-1, stale)
	got, err := f.svc.GetConfiguration(f.ctx, f.comfort.ID)
	require.NoError(t, err)
	assert.EqualValues(t, 2, got.Version)
	assert.True(t, got.Price.Equal(winner.Price), "%s != %s", got.Price, winner.Price)
}

// directoryCompare: two or three configurations side by side with their differences; wrong ID lists named.
func directoryCompare(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Сравнение")
	luxe := comfortConfiguration(f.vesta2.ID, "VESTA-NG-LUXE")
	luxe.Name, luxe.Price, luxe.Specs.Transmission = "Luxe", rub("1789900.00"), "cvt"
	luxe.Equipment = append(luxe.Equipment, "Климат-контроль")
	l, err := f.svc.CreateConfiguration(f.ctx, luxe)
	require.NoError(t, err)
	cmp, err := f.svc.CompareConfigurations(f.ctx, []crm.ID{f.comfort.ID, l.ID})
	require.NoError(t, err)
	require.Len(t, cmp.Entries, 2)
	assert.Equal(t, "Lada", cmp.Entries[1].Make.Name)
	got := map[string][]string{}
	for _, d := range cmp.Differences {
		got[d.Field] = d.Values
	}
	assert.Equal(t, map[string][]string{"name": {"Comfort", "Luxe"}, "specs.transmission": {"manual", "cvt"},
		"price": {"1539900.00 RUB", "1789900.00 RUB"}, "equipment": {"", "Климат-контроль"}}, got)
	_, err = f.svc.CompareConfigurations(f.ctx, []crm.ID{f.comfort.ID})
	assertFields(t, err, "ids")
	_, err = f.svc.CompareConfigurations(f.ctx, []crm.ID{f.comfort.ID, crm.NewID(), l.ID})
	assertFields(t, err, "ids[1]")
}
