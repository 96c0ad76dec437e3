package httpapi

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVehicles(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	body := vehicleBody(vins[0])
	body["specs"] = map[string]any{"power_hp": "106", "fuel": "petrol"}
	body["vat_rate"] = 0.2
	res := f.must(201, post("/api/v1/vehicles", tok, body))
	id := res.Str("id")
	assert.Equal(t, "Lada Vesta Comfort 2026", res.Str("name"))
	assert.Equal(t, "0.2", res.Str("vat_rate"))
	assert.Equal(t, "106", res.JSON()["specs"].(map[string]any)["power_hp"])
	assert.Equal(t, "duplicate", f.must(409, post("/api/v1/vehicles", tok, vehicleBody(vins[0]))).Str("code"))

	t.Run("money errors name the field", func(t *testing.T) {
		b := vehicleBody(vins[1])
		b["list_price"] = map[string]any{"amount": "12,5", "currency": "RUB"}
		assert.Contains(t, f.must(422, post("/api/v1/vehicles", tok, b)).Fields(), "list_price.amount")
		b["list_price"] = map[string]any{"amount": true, "currency": "RUB"}
		assert.Contains(t, f.must(422, post("/api/v1/vehicles", tok, b)).Fields(), "list_price.amount")
		b["list_price"] = map[string]any{"amount": "1", "currency": "RUBLE"}
		assert.Contains(t, f.must(422, post("/api/v1/vehicles", tok, b)).Fields(), "list_price.currency")
	})
	t.Run("patch", func(t *testing.T) {
		res := f.must(200, patch("/api/v1/vehicles/"+id, tok, map[string]any{"color": "серый", "mileage": 15}).with("If-Match", `"1"`))
		assert.Equal(t, "серый", res.Str("color"))
		assert.Equal(t, "Comfort", res.Str("trim"))
		assert.EqualValues(t, 2, res.JSON()["version"])
		assert.Equal(t, "stale_version", f.must(412, patch("/api/v1/vehicles/"+id, tok, map[string]any{"color": "синий"}).with("If-Match", `"1"`)).Str("code"))
		assert.Contains(t, f.must(422, patch("/api/v1/vehicles/"+id, tok, map[string]any{"status": "sold"})).Fields(), "status")
	})
	t.Run("status", func(t *testing.T) {
		res := f.must(200, post("/api/v1/vehicles/"+id+"/status", tok, map[string]any{"status": "in_transit"}))
		assert.Equal(t, "in_transit", res.Str("status"))
		f.must(422, post("/api/v1/vehicles/"+id+"/status", tok, map[string]any{"status": "sold"}))
		f.must(200, post("/api/v1/vehicles/"+id+"/status", tok, map[string]any{"status": "in_stock"}))
	})
	t.Run("search", func(t *testing.T) {
		for _, vin := range vins[1:4] {
			f.createVehicle(f.a, vin)
		}
		all := f.must(200, get("/api/v1/vehicles?limit=3", tok))
		require.Len(t, all.Items(), 3)
		next := all.JSON()["next_cursor"].(string)
		assert.Len(t, f.must(200, get("/api/v1/vehicles?limit=3&cursor="+next, tok)).Items(), 1)
		assert.Len(t, f.must(200, get("/api/v1/vehicles?q=1M8GDM9AXKP042788", tok)).Items(), 1)
		assert.Len(t, f.must(200, get("/api/v1/vehicles?status=in_stock,reserved&make=lada&price_from=1000000", tok)).Items(), 4)
		assert.Empty(t, f.must(200, get("/api/v1/reserved-vehicles", tok)).Items())
		assert.Contains(t, f.must(422, get("/api/v1/vehicles?status=lost", tok)).Fields(), "status")
		assert.Contains(t, f.must(422, get("/api/v1/vehicles?sort=colour", tok)).Fields(), "sort")
		assert.Contains(t, f.must(422, get("/api/v1/vehicles?year_from=new", tok)).Fields(), "year_from")
	})
}

func TestPartsAndServices(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	res := f.must(201, post("/api/v1/parts", tok, map[string]any{"number": "8450000001", "name": "Фильтр масляный",
		"compatible_models": []string{"Vesta"}, "quantity": 2, "price": map[string]any{"amount": "650"}}))
	id := res.Str("id")
	assert.Equal(t, map[string]any{"amount": "650.00", "currency": "RUB"}, res.JSON()["price"], "the dealer's currency")
	res = f.must(200, post("/api/v1/parts/"+id+"/stock", tok, map[string]any{"delta": -2}))
	assert.EqualValues(t, 0, res.JSON()["quantity"])
	assert.Equal(t, "insufficient_stock", f.must(409, post("/api/v1/parts/"+id+"/stock", tok, map[string]any{"delta": -1})).Str("code"))
	res = f.must(200, patch("/api/v1/parts/"+id, tok, map[string]any{"name": "Фильтр"}))
	assert.Equal(t, "Фильтр", res.Str("name"))
	assert.Contains(t, f.must(422, patch("/api/v1/parts/"+id, tok, map[string]any{"quantity": 5})).Fields(), "quantity")
	assert.Len(t, f.must(200, get("/api/v1/parts?model=vesta", tok)).Items(), 1)
	assert.Empty(t, f.must(200, get("/api/v1/parts?in_stock=true", tok)).Items())

	res = f.must(201, post("/api/v1/services", tok, map[string]any{"code": "to-1", "name": "ТО-1", "labour_hours": 1.5,
		"price": map[string]any{"amount": 4500, "currency": "RUB"}}))
	sid := res.Str("id")
	assert.Equal(t, "TO-1", res.Str("code"))
	assert.Equal(t, "1.5", res.Str("labour_hours"))
	res = f.must(200, patch("/api/v1/services/"+sid, tok, map[string]any{"price": map[string]any{"amount": "5000.5"}}).with("If-Match", `"1"`))
	assert.Equal(t, "5000.50", res.JSON()["price"].(map[string]any)["amount"])
	assert.Len(t, f.must(200, get("/api/v1/services", tok)).Items(), 1)
}
