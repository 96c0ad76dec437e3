package httpapi

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rubIn(amount string) map[string]any { return map[string]any{"amount": amount, "currency": "RUB"} }

// TestConfigurationsFromOutside drives issue 17 through HTTP on both adapters: a configuration priced with
// options and colours to the kopeck, conflicting options refused naming both, a card's derived price and data,
// and a price change that leaves a sold car and its sale unchanged.
func TestConfigurationsFromOutside(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		tok := f.a.token(crm.RoleSalesManager)
		w := f.newWorld(f.a) // Haval Jolion I, configuration JOLION-COMFORT with WINTER, TOWBAR, BLUE
		cfg := f.must(201, post("/api/v1/configurations", tok, map[string]any{"generation_id": w.generation,
			"code": "JOLION-LUXE", "name": "Luxe", "body": "SUV", "specs": map[string]any{"power_hp": "150", "transmission": "robot"},
			"price": rubIn("2199900.00"), "equipment": []any{"ABS", "Кожаный салон"},
			"options": []any{
				map[string]any{"code": "TOWBAR", "name": "Фаркоп", "price": rubIn("12345.67"), "excludes": []any{"ROOF_RACK"}},
				map[string]any{"code": "ROOF_RACK", "name": "Рейлинги", "price": rubIn("9000.00")},
				map[string]any{"code": "HEATED_SEATS", "name": "Подогрев", "price": rubIn("15000.00")},
				map[string]any{"code": "WINTER", "name": "Зимний пакет", "kind": "pack", "includes": []any{"HEATED_SEATS"}, "price": rubIn("11111.11")}},
			"colors": []any{map[string]any{"code": "RED", "name": "Красный", "kind": "exterior", "surcharge": rubIn("30000.01")},
				map[string]any{"code": "BEIGE", "name": "Бежевая кожа", "kind": "interior", "surcharge": rubIn("0.21")}}}))
		id := cfg.Str("id")

		price := f.must(200, post("/api/v1/configurations/price", tok, map[string]any{"configuration_id": id,
			"option_ids": []any{"WINTER", "towbar"}, "exterior_color": "RED", "interior_color": "beige"})).JSON()
		// 2 199 900.00 + 11 111.11 + 12 345.67 + 30 000.01 + 0.21 = 2 253 357.00
		assert.Equal(t, map[string]any{"amount": "2253357.00", "currency": "RUB"}, price["total"])
		assert.Len(t, price["lines"], 5)

		bad := f.must(422, post("/api/v1/configurations/price", tok, map[string]any{"configuration_id": id,
			"option_ids": []any{"TOWBAR", "ROOF_RACK"}, "exterior_color": "PINK"}))
		assert.ElementsMatch(t, []string{"option_ids[0]", "option_ids[1]", "exterior_color"}, bad.Fields(), "%s", bad.Body)

		opts := f.must(200, get("/api/v1/configurations/"+id+"/options", tok)).Items()
		assert.Len(t, opts, 4)
		list := f.must(200, get("/api/v1/configurations?make=haval&model=JOLION&year=2024", tok)).Items()
		assert.Len(t, list, 2)
		cmp := f.must(200, get("/api/v1/configurations/compare?ids="+w.configuration+","+id, tok)).JSON()
		assert.NotEmpty(t, cmp["differences"])
		f.must(422, get("/api/v1/configurations/compare?ids="+id, tok))

		car := f.must(201, post("/api/v1/vehicles", tok, map[string]any{"vin": "XTA21700080009999", "year": 2024,
			"build": map[string]any{"configuration_id": id, "option_ids": []any{"TOWBAR"}, "exterior_color": "RED"}})).JSON()
		assert.Equal(t, "Haval", car["make"])
		assert.Equal(t, "Jolion", car["model"])
		assert.Equal(t, "Luxe", car["trim"])
		assert.Equal(t, "Красный", car["color"])
		assert.Equal(t, map[string]any{"amount": "2242245.68", "currency": "RUB"}, car["list_price"], "2 199 900.00 + 12 345.67 + 30 000.01")
		require.NotNil(t, car["build"])
		refused := f.must(422, post("/api/v1/vehicles", tok, map[string]any{"vin": "XTA21700080009998", "year": 2024,
			"build": map[string]any{"configuration_id": id, "option_ids": []any{"TOWBAR", "ROOF_RACK"}}}))
		assert.ElementsMatch(t, []string{"build.option_ids[0]", "build.option_ids[1]"}, refused.Fields(), "%s", refused.Body)

		carID := car["id"].(string)
		sale := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": w.customer, "vehicle_id": carID,
			"payment_method": "cash"})).Str("id")
		f.must(200, post("/api/v1/sales/"+sale+"/win", tok, map[string]any{}))
		before := f.must(200, get("/api/v1/sales/"+sale, tok)).JSON()
		f.must(200, patch("/api/v1/configurations/"+id, tok, map[string]any{"price": rubIn("2500000.00")}))
		after := f.must(200, get("/api/v1/sales/"+sale, tok)).JSON()
		require.NotNil(t, before["amount"])
		assert.Equal(t, before["amount"], after["amount"], "the sale keeps its price")
		sold := f.must(200, get("/api/v1/vehicles/"+carID, tok)).JSON()
		assert.Equal(t, car["list_price"], sold["list_price"], "the sold car keeps its price")
		assert.NotNil(t, sold["build"].(map[string]any)["frozen_at"])
		fresh := f.must(201, post("/api/v1/vehicles", tok, map[string]any{"vin": "XTA21700080009997", "year": 2024,
			"build": map[string]any{"configuration_id": id, "option_ids": []any{"TOWBAR"}, "exterior_color": "RED"}})).JSON()
		assert.Equal(t, map[string]any{"amount": "2542345.68", "currency": "RUB"}, fresh["list_price"])
		found := f.must(200, get("/api/v1/vehicles?configuration_id="+id+"&option=towbar", tok)).Items()
		assert.Len(t, found, 2)
	})
}
