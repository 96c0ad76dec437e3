package adaptertest

import (
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

// catalogProductSearch searches the whole catalog kind by kind and pages across kinds with one cursor.
func catalogProductSearch(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "Продукты")
	for i, price := range []string{"900000", "1500000", "2500000"} {
		e.create(t, card(testVIN(500+i), "Lada", fmt.Sprintf("Vesta %d", i), 2026, price))
		e.clock.Advance(time.Minute) // vehicles list in creation order
	}
	for i, price := range []string{"1200", "350", "99000"} {
		_, err := e.svc.CreatePart(e.ctx, catalog.Part{Number: fmt.Sprintf("P-%03d", i), Name: "Фильтр масляный Vesta",
			Quantity: i, Price: crm.MustMoney(price, "RUB")})
		require.NoError(t, err)
	}
	for i, price := range []string{"2500", "4500"} {
		_, err := e.svc.CreateLabour(e.ctx, catalog.Labour{Code: fmt.Sprintf("S-%02d", i), Name: "ТО Vesta",
			LabourHours: decimal.NewFromInt(1), Price: crm.MustMoney(price, "RUB")})
		require.NoError(t, err)
	}
	codes := func(items []catalog.Product) []string {
		var out []string
		for _, p := range items {
			out = append(out, string(p.Kind)+":"+p.Code)
		}
		return out
	}

	// Everything, two at a time: vehicles, then parts, then services, nothing twice, nothing lost.
	var all []string
	q := catalog.ProductQuery{Limit: 2}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		page, err := e.svc.SearchProducts(e.ctx, q)
		require.NoError(t, err)
		all = append(all, codes(page.Items)...)
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	assert.Equal(t, []string{"vehicle:XTA00000000000500", "vehicle:XTA00000000000501", "vehicle:XTA00000000000502",
		"part:P-000", "part:P-001", "part:P-002", "service:S-00", "service:S-01"}, all)

	// Kinds and price filter every kind; parts say whether they are in stock.
	from, to := decimal.NewFromInt(1000), decimal.NewFromInt(1_000_000)
	page, err := e.svc.SearchProducts(e.ctx, catalog.ProductQuery{Kinds: []catalog.Kind{catalog.KindPart, catalog.KindVehicle},
		PriceFrom: &from, PriceTo: &to})
	require.NoError(t, err)
	assert.Equal(t, []string{"vehicle:XTA00000000000500", "part:P-000", "part:P-002"}, codes(page.Items))
	assert.Equal(t, "out_of_stock", page.Items[1].Status)
	assert.Equal(t, "in_stock", page.Items[2].Status)
	assert.Equal(t, "Lada Vesta 0 2026", page.Items[0].Name)

	// A price-filtered page of parts resumes right after its last part.
	page, err = e.svc.SearchProducts(e.ctx, catalog.ProductQuery{Kinds: []catalog.Kind{catalog.KindPart}, PriceFrom: &from, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{"part:P-000"}, codes(page.Items))
	page, err = e.svc.SearchProducts(e.ctx, catalog.ProductQuery{Kinds: []catalog.Kind{catalog.KindPart}, PriceFrom: &from,
		Limit: 1, Cursor: page.NextCursor})
	require.NoError(t, err)
	assert.Equal(t, []string{"part:P-002"}, codes(page.Items))

	// Free text over every kind.
	page, err = e.svc.SearchProducts(e.ctx, catalog.ProductQuery{Text: "то vesta"})
	require.NoError(t, err)
	assert.Equal(t, []string{"service:S-00", "service:S-01"}, codes(page.Items))

	// Bad input names the field; another dealer sees nothing.
	_, err = e.svc.SearchProducts(e.ctx, catalog.ProductQuery{Kinds: []catalog.Kind{"boat"}})
	assert.True(t, errors.Is(err, crm.ErrInvalid))
	assert.Equal(t, "kind", crm.FieldsOf(err)[0].Field)
	_, err = e.svc.SearchProducts(e.ctx, catalog.ProductQuery{Cursor: "nonsense"})
	assert.Equal(t, "cursor", crm.FieldsOf(err)[0].Field)
	other := newCatalogEnv(t, b, "Чужой")
	page, err = other.svc.SearchProducts(other.ctx, catalog.ProductQuery{})
	require.NoError(t, err)
	assert.Empty(t, page.Items)
}
