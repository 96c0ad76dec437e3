package httpapi

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrders(t *testing.T) { onBothAdapters(t, testOrders) }

func testOrders(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	vid := f.createVehicle(f.a, vins[0])
	cust := f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")
	sid := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": cust})).Str("id")
	f.must(404, get("/api/v1/sales/"+sid+"/order", tok))
	res := f.must(201, post("/api/v1/sales/"+sid+"/order", tok, nil))
	oid := res.Str("id")
	assert.Equal(t, "RUB", res.Str("currency"))
	assert.Equal(t, "order_exists", f.must(409, post("/api/v1/sales/"+sid+"/order", tok, nil)).Str("code"))

	res = f.must(201, post("/api/v1/orders/"+oid+"/lines", tok, map[string]any{"kind": "vehicle", "catalog_ref_id": vid,
		"unit_price": map[string]any{"amount": "1450000", "currency": "RUB"}, "vat_rate": "0.20"}))
	assert.Equal(t, "reserved", f.must(200, get("/api/v1/vehicles/"+vid, tok)).Str("status"), "the vehicle line holds the vehicle")
	res = f.must(201, post("/api/v1/orders/"+oid+"/lines", tok, map[string]any{"kind": "accessory", "description": "Коврики",
		"quantity": "4.5", "unit_price": map[string]any{"amount": "899.99", "currency": "RUB"}, "vat_rate": "0.20"}).with("If-Match", res.Header.Get("ETag")))
	order := res.JSON()
	lines := order["lines"].([]any)
	require.Len(t, lines, 2)
	acc := lines[1].(map[string]any)
	assert.Equal(t, map[string]any{"amount": "4049.96", "currency": "RUB"}, acc["gross"])
	assert.Equal(t, map[string]any{"amount": "674.99", "currency": "RUB"}, acc["vat"])
	assert.Equal(t, "4.5", acc["quantity"])
	assert.Equal(t, map[string]any{"amount": "1454049.96", "currency": "RUB"}, order["gross"])
	assert.Equal(t, vid, f.must(200, get("/api/v1/sales/"+sid, tok)).Str("vehicle_id"))

	f.must(412, post("/api/v1/orders/"+oid+"/lines", tok, map[string]any{"kind": "other", "description": "x",
		"unit_price": map[string]any{"amount": "1", "currency": "RUB"}}).with("If-Match", `"1"`))
	assert.Contains(t, f.must(422, post("/api/v1/orders/"+oid+"/lines", tok, map[string]any{"kind": "part",
		"quantity": "x"})).Fields(), "quantity")

	line := acc["id"].(string)
	res = f.must(200, patch("/api/v1/orders/"+oid+"/lines/"+line, tok, map[string]any{"kind": "accessory", "description": "Коврики",
		"quantity": "1", "unit_price": map[string]any{"amount": "1000", "currency": "RUB"}, "vat_rate": "0.20"}))
	assert.Equal(t, map[string]any{"amount": "1451000.00", "currency": "RUB"}, res.JSON()["gross"])
	vehicleLine := lines[0].(map[string]any)["id"].(string)
	res = f.must(200, req{method: "DELETE", path: "/api/v1/orders/" + oid + "/lines/" + vehicleLine, token: tok})
	assert.Len(t, res.JSON()["lines"], 1)
	assert.Equal(t, "in_stock", f.must(200, get("/api/v1/vehicles/"+vid, tok)).Str("status"), "removing the vehicle line releases it")
	f.must(404, req{method: "DELETE", path: "/api/v1/orders/" + oid + "/lines/" + vehicleLine, token: tok})
	f.must(200, get("/api/v1/sales/"+sid+"/order", tok))
}
