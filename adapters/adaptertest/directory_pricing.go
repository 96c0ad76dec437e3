package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runDirectoryPricing tests pricing a configuration through the service on every adapter: options, packs and
// colours to the kopeck with the dealer's price rules read back from the store, every wrong choice named.
func runDirectoryPricing(t *testing.T, open Open) {
	t.Run("PriceRuleRecords", func(t *testing.T) {
		RunRecords(t, open, Records[catalog.Stores, catalog.PriceRule]{
			New: func(d crm.Dealer, n int) catalog.PriceRule {
				r, err := catalog.NewPriceRule(d, catalog.PriceRule{Name: fmt.Sprintf("Наценка %d", n), ModelID: crm.NewID(),
					Percent: decimal.RequireFromString("1.5"), Amount: rub("-1000.50"), ValidFrom: Epoch, ValidTo: Epoch.AddDate(0, 1, 0)}, Epoch)
				require.NoError(t, err)
				return r
			},
			Meta: func(r *catalog.PriceRule) *crm.Meta { return &r.Meta },
			Create: func(ctx context.Context, s catalog.Stores, r *catalog.PriceRule) error {
				return s.PriceRules().Create(ctx, r)
			},
			Get: func(ctx context.Context, s catalog.Stores, id crm.ID) (catalog.PriceRule, error) {
				return s.PriceRules().Get(ctx, id)
			},
			Update: func(ctx context.Context, s catalog.Stores, r *catalog.PriceRule) error {
				return s.PriceRules().Update(ctx, r)
			},
			Edit: func(r *catalog.PriceRule) { r.Name += " (изм.)"; r.Percent = decimal.NewFromInt(-3) },
			Same: func(t *testing.T, want, got catalog.PriceRule) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				sameJSON(t, want, got)
				assert.True(t, want.Amount.Equal(got.Amount), "%s != %s", want.Amount, got.Amount)
				assert.True(t, want.Percent.Equal(got.Percent))
			},
		})
	})
	t.Run("ToTheKopeck", func(t *testing.T) { pricingToTheKopeck(t, open(t)) })
	t.Run("RefusalsNameEveryField", func(t *testing.T) { pricingRefusals(t, open(t)) })
}

func pricingToTheKopeck(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Цена")
	ctx, svc := f.ctx, f.svc
	nav, _ := f.comfort.Option("NAV")
	sel := catalog.Selection{Options: []string{"winter", nav.ID.String(), "MEDIA", "TOWBAR"}, ExteriorColor: "blue",
		InteriorColor: "leather"}
	q, err := svc.PriceConfiguration(ctx, f.comfort.ID, sel)
	require.NoError(t, err)
	// 1 539 900.00 + 19 990.50 + 10 000.01 + 25 000.00 + 12 345.67 + 20 000.33 + 45 000.99
	assert.Equal(t, "1672237.50 RUB", q.Total.String())
	assert.Len(t, q.Lines, 7)
	assert.Equal(t, catalog.Selection{Options: []string{"WINTER", "NAV", "MEDIA", "TOWBAR"}, ExteriorColor: "BLUE",
		InteriorColor: "LEATHER"}, q.Selection, "normalised to codes")

	_, err = svc.CreatePriceRule(ctx, catalog.PriceRule{Name: "Наценка Lada", MakeID: f.lada.ID, Percent: decimal.RequireFromString("1.5")})
	require.NoError(t, err)
	_, err = svc.CreatePriceRule(ctx, catalog.PriceRule{Name: "Скидка Haval", MakeID: f.haval.ID, Amount: rub("-50000")})
	require.NoError(t, err)
	_, err = svc.CreatePriceRule(ctx, catalog.PriceRule{Name: "Акция недели", ConfigurationID: f.comfort.ID,
		Amount: rub("-10000.00"), ValidFrom: Epoch.Add(-time.Hour), ValidTo: Epoch.Add(7 * 24 * time.Hour)})
	require.NoError(t, err)
	q, err = svc.PriceConfiguration(ctx, f.comfort.ID, catalog.Selection{Options: []string{"TOWBAR"}})
	require.NoError(t, err)
	// 1 552 245.67 + 1.5 % (23 283.68505 → 23 283.69) − 10 000.00; rules in name order
	require.Len(t, q.Lines, 4)
	assert.Equal(t, "Акция недели", q.Lines[2].Name)
	assert.Equal(t, "-10000.00", q.Lines[2].Amount.StringAmount())
	assert.Equal(t, "23283.69", q.Lines[3].Amount.StringAmount())
	assert.Equal(t, "1565529.36 RUB", q.Total.String())

	f.clock.Advance(8 * 24 * time.Hour) // the week's offer is over
	q, err = svc.PriceConfiguration(ctx, f.comfort.ID, catalog.Selection{Options: []string{"TOWBAR"}})
	require.NoError(t, err)
	assert.Equal(t, "1575529.36 RUB", q.Total.String())
}

func pricingRefusals(t *testing.T, b Backend) {
	f := newDirectoryFixture(t, b, "Отказы")
	ctx, svc := f.ctx, f.svc
	_, err := svc.PriceConfiguration(ctx, f.comfort.ID, catalog.Selection{Options: []string{"MEDIA", "TOWBAR", "ROOF_RACK", "NAV", "SUNROOF"},
		ExteriorColor: "PINK"})
	assertFields(t, err, "option_ids[1]", "option_ids[2]", "exterior_color", "option_ids[4]")
	for _, fe := range crm.FieldsOf(err) {
		switch fe.Field {
		case "option_ids[1]":
			assert.Contains(t, fe.Message, "ROOF_RACK")
		case "option_ids[2]":
			assert.Contains(t, fe.Message, "TOWBAR")
		}
	}
	_, err = svc.PriceConfiguration(ctx, f.comfort.ID, catalog.Selection{Options: []string{"NAV"}})
	assertFields(t, err, "option_ids[0]")
	_, err = svc.PriceConfiguration(ctx, crm.NewID(), catalog.Selection{})
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	f.clock.Advance(400 * 24 * time.Hour)
	_, err = svc.PriceConfiguration(ctx, f.comfort.ID, catalog.Selection{})
	assertFields(t, err, "configuration_id")
}
