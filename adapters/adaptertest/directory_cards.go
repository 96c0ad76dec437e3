package adaptertest

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runDirectoryCards tests vehicle cards built from the directory on every adapter: derived data and list price,
// refusals naming every field with nothing saved, cards without a reference, and a sold car that keeps what it
// was sold with when the configuration's price changes.
func runDirectoryCards(t *testing.T, open Open) {
	t.Run("DerivedDataAndPrice", func(t *testing.T) { cardsDerived(t, open(t)) })
	t.Run("RefusedNothingSaved", func(t *testing.T) { cardsRefused(t, open(t)) })
	t.Run("SoldCarKeepsItsPrice", func(t *testing.T) { cardsSold(t, open) })
	t.Run("SearchFilters", func(t *testing.T) { cardsSearch(t, open(t)) })
}

// builtCard is a card of the fixture's comfort configuration with the winter pack, the tow bar, blue paint.
func builtCard(f *directoryFixture, n int) catalog.Vehicle {
	return catalog.Vehicle{VIN: testVIN(n), Year: 2024, Condition: catalog.New, Make: "typed make is replaced",
		Build: catalog.VehicleBuild{ConfigurationID: f.comfort.ID, Options: []string{"winter", "TOWBAR"}, ExteriorColor: "blue"}}
}

func cardsDerived(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Карточки")
	v, err := f.svc.CreateVehicle(f.ctx, builtCard(f, 1))
	require.NoError(t, err)
	assert.Equal(t, "Lada", v.Make)
	assert.Equal(t, "Vesta", v.Model)
	assert.Equal(t, "NG", v.Generation)
	assert.Equal(t, "Comfort", v.Trim)
	assert.Equal(t, "GFL", v.ModelCode)
	assert.Equal(t, "sedan", v.Body)
	assert.Equal(t, "Синий «Космос»", v.Color)
	sameJSON(t, f.comfort.Specs, v.Specs)
	// 1 539 900.00 + 19 990.50 + 12 345.67 + 20 000.33
	assert.Equal(t, "1592236.50 RUB", v.Finance.ListPrice.String())
	assert.Equal(t, []string{"WINTER", "TOWBAR"}, v.Build.Options, "kept as codes")
	assert.Equal(t, "BLUE", v.Build.ExteriorColor)
	assert.Equal(t, []string{"HEATED_SEATS", "HEATED_WHEEL", "TOWBAR", "WINTER"}, v.Build.AllOptions)
	assert.Equal(t, f.comfort.Equipment, v.Build.Equipment)
	assert.Equal(t, f.comfort.Code, v.Build.ConfigurationCode)
	assert.EqualValues(t, 1, v.Build.ConfigurationVersion)
	require.Len(t, v.Build.Lines, 4)
	assert.False(t, v.Build.Frozen())
	got, err := f.svc.GetVehicle(f.ctx, v.ID)
	require.NoError(t, err)
	sameJSON(t, v, got)

	plain, err := f.svc.CreateVehicle(f.ctx, card(testVIN(2), "Toyota", "Camry", 2015, "1200000"))
	require.NoError(t, err, "a card without a reference works as before")
	assert.True(t, plain.Build.IsZero())
	assert.Equal(t, "Toyota", plain.Make)

	// An edit prices the build again from the directory as it is now; dropping the reference keeps the data typed.
	card := comfortConfiguration(f.vesta2.ID, f.comfort.Code)
	card.Price = rub("1600000.00")
	_, err = f.svc.UpdateConfiguration(f.ctx, f.comfort.ID, 0, card)
	require.NoError(t, err)
	edit := got
	edit.Build.Options = []string{"TOWBAR"}
	v, err = f.svc.UpdateVehicle(f.ctx, v.ID, v.Version, edit)
	require.NoError(t, err)
	assert.Equal(t, "1632346.00 RUB", v.Finance.ListPrice.String(), "1 600 000.00 + 12 345.67 + 20 000.33")
	assert.EqualValues(t, 2, v.Build.ConfigurationVersion)
	edit = v
	edit.Build = catalog.VehicleBuild{}
	v, err = f.svc.UpdateVehicle(f.ctx, v.ID, v.Version, edit)
	require.NoError(t, err)
	assert.True(t, v.Build.IsZero())
	assert.Equal(t, "Lada", v.Make)
}

func cardsRefused(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Отказ")
	bad := builtCard(f, 1)
	bad.Build.Options = []string{"TOWBAR", "ROOF_RACK", "NAV"}
	bad.Build.InteriorColor = "PINK"
	bad.Mileage = -1
	_, err := f.svc.CreateVehicle(f.ctx, bad)
	assertFields(t, err, "build.option_ids[0]", "build.option_ids[1]", "build.option_ids[2]", "build.interior_color", "mileage")
	bad = builtCard(f, 1)
	bad.Year = 2019
	_, err = f.svc.CreateVehicle(f.ctx, bad)
	assertFields(t, err, "year")
	bad = builtCard(f, 1)
	bad.Build.ConfigurationID = crm.NewID()
	_, err = f.svc.CreateVehicle(f.ctx, bad)
	assertFields(t, err, "build.configuration_id")
	page, err := f.svc.SearchVehicles(f.ctx, catalog.VehicleQuery{})
	require.NoError(t, err)
	assert.Empty(t, page.Items, "nothing saved")
}

// cardsSold: a car built from the directory is sold; then the configuration's price goes up. The sold card, the
// sale and its contract keep the price it was sold at; a card still in stock is priced anew when edited.
func cardsSold(t *testing.T, open Open) {
	b := open(t)
	e := salesEnvOf(t, b, "Продажа")
	f := &directoryFixture{catalogEnv: &catalogEnv{b: b, ctx: e.ctx, dealer: e.dealer, clock: e.clock,
		svc: catalog.NewService(crm.NewUnit[catalog.Stores](b, e.clock), e.clock)}}
	fillDirectory(t, f)
	v, err := f.svc.CreateVehicle(f.ctx, builtCard(f, 1))
	require.NoError(t, err)
	sale, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: e.customer("Анна").ID, VehicleID: v.ID,
		PaymentMethod: sales.PayCash})
	require.NoError(t, err)
	_, _, err = e.svc.WinSale(e.ctx, sale.ID, 0, sales.WinInput{})
	require.NoError(t, err)
	before, _, err := e.svc.BuildSaleContract(e.ctx, sale.ID, sales.ContractTerms{})
	require.NoError(t, err)
	assert.Equal(t, "1592236.50 RUB", before.Totals.Total.String())
	sold, err := f.svc.GetVehicle(f.ctx, v.ID)
	require.NoError(t, err)
	assert.True(t, sold.Build.Frozen(), "the sale froze the build")

	card := comfortConfiguration(f.vesta2.ID, f.comfort.Code)
	card.Price = rub("1700000.00")
	_, err = f.svc.UpdateConfiguration(f.ctx, f.comfort.ID, 0, card)
	require.NoError(t, err)

	after, _, err := e.svc.BuildSaleContract(e.ctx, sale.ID, sales.ContractTerms{})
	require.NoError(t, err)
	assert.Equal(t, before.Totals, after.Totals, "the contract is unchanged")
	sameJSON(t, before.Lines, after.Lines)
	edit := sold
	edit.Mileage = 12
	edit.Build = catalog.VehicleBuild{ConfigurationID: f.comfort.ID}
	edited, err := f.svc.UpdateVehicle(f.ctx, v.ID, sold.Version, edit)
	require.NoError(t, err, "a sold card's other data can still be edited")
	assert.Equal(t, 12, edited.Mileage)
	assert.Equal(t, "1592236.50 RUB", edited.Finance.ListPrice.String(), "the sold car keeps its price")
	sameJSON(t, sold.Build, edited.Build)

	other, err := f.svc.CreateVehicle(f.ctx, builtCard(f, 2))
	require.NoError(t, err)
	assert.Equal(t, "1752336.50 RUB", other.Finance.ListPrice.String(), "a new card is priced as the directory is now")
	_, err = f.svc.GetVehicle(f.ctx, crm.NewID())
	assert.True(t, errors.Is(err, crm.ErrNotFound))
}

// cardsSearch: the vehicle search filters by make, model, generation, configuration and option, alike on every
// adapter.
func cardsSearch(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Поиск")
	a, err := f.svc.CreateVehicle(f.ctx, builtCard(f, 1)) // WINTER (heated seats and wheel), TOWBAR
	require.NoError(t, err)
	plain := builtCard(f, 2)
	plain.Build.Options = []string{"MEDIA"}
	c, err := f.svc.CreateVehicle(f.ctx, plain)
	require.NoError(t, err)
	old := comfortConfiguration(f.vesta1.ID, "VESTA-I")
	old.ValidFrom, old.ValidTo = time.Time{}, time.Time{}
	oldCfg, err := f.svc.CreateConfiguration(f.ctx, old)
	require.NoError(t, err)
	d, err := f.svc.CreateVehicle(f.ctx, catalog.Vehicle{VIN: testVIN(3), Year: 2019, Condition: catalog.Used,
		Build: catalog.VehicleBuild{ConfigurationID: oldCfg.ID, Options: []string{"TOWBAR"}}})
	require.NoError(t, err)
	typed, err := f.svc.CreateVehicle(f.ctx, card(testVIN(4), "Lada", "Vesta", 2018, "700000"))
	require.NoError(t, err)

	ids := func(q catalog.VehicleQuery) []crm.ID {
		t.Helper()
		q.Sort = catalog.SortYear
		page, err := f.svc.SearchVehicles(f.ctx, q)
		require.NoError(t, err)
		return names(page.Items, func(v catalog.Vehicle) crm.ID { return v.ID })
	}
	assert.ElementsMatch(t, []crm.ID{a.ID, c.ID, d.ID, typed.ID}, ids(catalog.VehicleQuery{Make: "lada", Model: "VESTA"}))
	assert.ElementsMatch(t, []crm.ID{a.ID, c.ID}, ids(catalog.VehicleQuery{Generation: "ng"}))
	assert.ElementsMatch(t, []crm.ID{d.ID}, ids(catalog.VehicleQuery{Generation: "I"}))
	assert.ElementsMatch(t, []crm.ID{a.ID, c.ID}, ids(catalog.VehicleQuery{ConfigurationID: f.comfort.ID}))
	assert.ElementsMatch(t, []crm.ID{a.ID, d.ID}, ids(catalog.VehicleQuery{Option: "towbar"}))
	assert.ElementsMatch(t, []crm.ID{a.ID}, ids(catalog.VehicleQuery{Option: "HEATED_SEATS"}), "an option inside a pack")
	assert.Empty(t, ids(catalog.VehicleQuery{Option: "NAV"}))
	assert.ElementsMatch(t, []crm.ID{c.ID}, ids(catalog.VehicleQuery{ConfigurationID: f.comfort.ID, Option: "MEDIA"}))
}
