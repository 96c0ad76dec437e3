package httpapi

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProducts(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	f.createVehicle(f.a, vins[0])
	f.must(201, post("/api/v1/parts", tok, map[string]any{"number": "21080-1012005", "name": "Фильтр масляный",
		"quantity": 4, "price": map[string]any{"amount": "450.00", "currency": "RUB"}}))
	f.must(201, post("/api/v1/services", tok, map[string]any{"code": "TO-1", "name": "ТО-1", "labour_hours": "1.5",
		"price": map[string]any{"amount": "4500.00", "currency": "RUB"}}))

	all := f.must(200, get("/api/v1/products", tok)).Items()
	require.Len(t, all, 3)
	kinds := []string{}
	for _, it := range all {
		kinds = append(kinds, it["kind"].(string))
	}
	assert.Equal(t, []string{"vehicle", "part", "service"}, kinds)
	assert.Equal(t, "in_stock", all[1]["status"])

	page := f.must(200, get("/api/v1/products?limit=2", tok))
	require.Len(t, page.Items(), 2)
	rest := f.must(200, get("/api/v1/products?limit=2&cursor="+page.JSON()["next_cursor"].(string), tok)).Items()
	require.Len(t, rest, 1)
	assert.Equal(t, "TO-1", rest[0]["code"])

	parts := f.must(200, get("/api/v1/products?kind=part,service&price_to=1000", tok)).Items()
	require.Len(t, parts, 1)
	assert.Equal(t, "21080-1012005", parts[0]["code"])
	assert.Contains(t, f.must(422, get("/api/v1/products?kind=boat", tok)).Fields(), "kind")
	assert.Contains(t, f.must(422, get("/api/v1/products?price_from=cheap", tok)).Fields(), "price_from")
	assert.Empty(t, f.must(200, get("/api/v1/products", f.b.token(crm.RoleAdmin))).Items(), "another dealer's catalog")
}
