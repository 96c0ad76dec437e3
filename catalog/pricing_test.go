package catalog_test

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rub(s string) crm.Money { return crm.MustMoney(s, "RUB") }

// comfort is a configuration with a pack (WINTER = HEATED_SEATS + HEATED_WHEEL), an exclusion (TOWBAR ✗ ROOF_RACK)
// and a requirement (NAV → MEDIA).
func comfort(t *testing.T) catalog.Configuration {
	t.Helper()
	d := crm.Dealer{Meta: crm.Meta{ID: crm.NewID()}, Currency: "RUB"}
	c, err := catalog.NewConfiguration(d, catalog.Configuration{GenerationID: crm.NewID(), Code: "VESTA-COMFORT",
		Name: "Comfort", Price: rub("1539900.00"), ValidFrom: now.AddDate(0, -1, 0), ValidTo: now.AddDate(0, 6, 0),
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
			{Code: "WHITE", Name: "Белый", Kind: catalog.Exterior},
			{Code: "BLUE", Name: "Синий «Космос»", Kind: catalog.Exterior, Surcharge: rub("20000.33")},
			{Code: "LEATHER", Name: "Кожа", Kind: catalog.Interior, Surcharge: rub("45000.99")},
		}}, now)
	require.NoError(t, err)
	return c
}

func TestQuoteToTheKopeck(t *testing.T) {
	c := comfort(t)
	nav, _ := c.Option("NAV")
	q, err := c.Quote(catalog.Selection{Options: []string{"winter", nav.ID.String(), "MEDIA", "TOWBAR"},
		ExteriorColor: "blue", InteriorColor: "LEATHER"}, nil, now)
	require.NoError(t, err)
	// 1 539 900.00 + 19 990.50 + 10 000.01 + 25 000.00 + 12 345.67 + 20 000.33 + 45 000.99 = 1 672 237.50
	assert.Equal(t, "1672237.50", q.Total.StringAmount())
	assert.Equal(t, crm.Currency("RUB"), q.Total.Currency)
	var kinds []catalog.PriceLineKind
	var sum decimal.Decimal
	for _, l := range q.Lines {
		kinds = append(kinds, l.Kind)
		sum = sum.Add(l.Amount.Amount)
	}
	assert.Equal(t, []catalog.PriceLineKind{catalog.LineConfiguration, catalog.LinePack, catalog.LineOption,
		catalog.LineOption, catalog.LineOption, catalog.LineExteriorColor, catalog.LineInteriorColor}, kinds)
	assert.True(t, sum.Equal(q.Total.Amount), "the lines add up to the total")
	assert.Equal(t, "WINTER", q.Lines[1].Code)
	assert.Equal(t, []string{"HEATED_SEATS", "HEATED_WHEEL", "MEDIA", "NAV", "TOWBAR", "WINTER"}, q.AllOptions,
		"the pack's options count as chosen")
}

func TestQuoteWithDealerPriceRules(t *testing.T) {
	c := comfort(t)
	rules := []catalog.PriceRule{
		{Name: "Наценка дилера 1,5 %", Percent: decimal.RequireFromString("1.5")},
		{Name: "Скидка на Comfort", ConfigurationID: c.ID, Amount: rub("-10000.00")},
		{Name: "Чужая модель", ModelID: crm.NewID(), Amount: rub("99999")},                             // another model: not applied
		{Name: "Прошлая акция", Amount: rub("-50000"), ValidFrom: now.AddDate(-1, 0, 0), ValidTo: now}, // ended: not applied
	}
	q, err := c.Quote(catalog.Selection{Options: []string{"TOWBAR"}}, rules, now)
	require.NoError(t, err)
	// subtotal 1 539 900.00 + 12 345.67 = 1 552 245.67; 1.5 % = 23 283.68505 → 23 283.69; − 10 000.00
	require.Len(t, q.Lines, 4)
	assert.Equal(t, catalog.LinePriceRule, q.Lines[2].Kind)
	assert.Equal(t, "23283.69", q.Lines[2].Amount.StringAmount())
	assert.Equal(t, "-10000.00", q.Lines[3].Amount.StringAmount())
	assert.Equal(t, "1565529.36", q.Total.StringAmount())
}

func TestQuoteRefusesNamingEveryWrongField(t *testing.T) {
	c := comfort(t)
	cases := []struct {
		name   string
		sel    catalog.Selection
		at     time.Time
		fields []string
	}{
		{"conflict names both", catalog.Selection{Options: []string{"MEDIA", "TOWBAR", "ROOF_RACK"}}, now,
			[]string{"option_ids[1]", "option_ids[2]"}},
		{"missing required one", catalog.Selection{Options: []string{"NAV"}}, now, []string{"option_ids[0]"}},
		{"not offered", catalog.Selection{Options: []string{"MEDIA", "SUNROOF", crm.NewID().String()}}, now,
			[]string{"option_ids[1]", "option_ids[2]"}},
		{"twice, or inside a chosen pack", catalog.Selection{Options: []string{"WINTER", "MEDIA", "media", "HEATED_WHEEL"}}, now,
			[]string{"option_ids[2]", "option_ids[3]"}},
		{"colours", catalog.Selection{ExteriorColor: "PINK", InteriorColor: "BLUE"}, now,
			[]string{"exterior_color", "interior_color"}},
		{"price not valid then", catalog.Selection{}, now.AddDate(1, 0, 0), []string{"configuration_id"}},
		{"all at once", catalog.Selection{Options: []string{"TOWBAR", "NAV", "ROOF_RACK", "X"}, ExteriorColor: "PINK"}, now,
			[]string{"option_ids[0]", "option_ids[1]", "option_ids[2]", "option_ids[3]", "exterior_color"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Quote(tc.sel, nil, tc.at)
			assert.ElementsMatch(t, tc.fields, fields(err), "%v", err)
		})
	}
	_, err := c.Quote(catalog.Selection{Options: []string{"TOWBAR", "ROOF_RACK"}}, nil, now)
	msgs := crm.FieldsOf(err)
	require.Len(t, msgs, 2)
	assert.Contains(t, msgs[0].Message, "ROOF_RACK")
	assert.Contains(t, msgs[1].Message, "TOWBAR")
}

func TestPriceRuleValidation(t *testing.T) {
	d := crm.Dealer{Meta: crm.Meta{ID: crm.NewID()}, Currency: "RUB"}
	_, err := catalog.NewPriceRule(d, catalog.PriceRule{Percent: decimal.NewFromInt(-100), Amount: crm.MustMoney("1", "USD"),
		ValidFrom: now, ValidTo: now}, now)
	assert.ElementsMatch(t, []string{"name", "percent", "amount", "valid_to"}, fields(err))
	r, err := catalog.NewPriceRule(d, catalog.PriceRule{Name: " Скидка ", Amount: crm.Money{Amount: decimal.NewFromInt(-5000)}}, now)
	require.NoError(t, err)
	assert.Equal(t, "Скидка", r.Name)
	assert.Equal(t, "-5000.00 RUB", r.Amount.String(), "a discount is a negative amount in the dealer's currency")
}
