package httpapi

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHostileBodiesAreRefusedTheSameOnBothAdapters(t *testing.T) {
	onBothAdapters(t, testHostileBodies)
}

// testHostileBodies sends what an attacker sent the example server (NUL bytes, invalid UTF-8, lone surrogates,
// case-variant and duplicate keys, oversized text and integers, half kopecks, impossible dates, trailing garbage)
// and checks that each is one 4xx naming the field, and that nothing changed.
func testHostileBodies(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleAdmin)
	lead := `"phone": "+79001234567", "source": "website", "need_type": "car_purchase"`
	part := f.must(201, post("/api/v1/parts", tok, map[string]any{"number": "P-1", "name": "Фильтр", "quantity": 5}))
	customer := f.must(201, post("/api/v1/customers", tok, map[string]any{"name": "Анна Каренина", "phone": "+79001112233"}))
	count := func(p string) any { return f.must(200, get(p+"?count=true", tok)).JSON()["total"] }
	leadsBefore, vehiclesBefore := count("/api/v1/leads"), count("/api/v1/vehicles")

	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"NUL escaped", "POST", "/api/v1/leads", `{"name": "Иван\u0000Петров", ` + lead + `}`, 422, "name"},
		{"invalid UTF-8", "POST", "/api/v1/leads", "{\"name\": \"Иван\xff\xfe\", " + lead + `}`, 422, "name"},
		{"lone surrogate", "POST", "/api/v1/leads", `{"name": "Иван \ud800", ` + lead + `}`, 422, "name"},
		{"NUL in a key", "POST", "/api/v1/leads", `{"name": "Иван", "comm\u0000ents": "x", ` + lead + `}`, 422, "comm\x00ents"},
		{"duplicate key", "POST", "/api/v1/leads", `{"name": "Иван", "name": "Пётр", ` + lead + `}`, 422, "name"},
		{"case-variant key", "POST", "/api/v1/parts/" + part.Str("id") + "/stock", `{"DELTA": 3}`, 422, "DELTA"},
		{"required delta", "POST", "/api/v1/parts/" + part.Str("id") + "/stock", `{}`, 422, "delta"},
		{"oversized name", "POST", "/api/v1/leads", `{"name": "` + strings.Repeat("я", 201) + `", ` + lead + `}`, 422, "name"},
		{"huge address", "PATCH", "/api/v1/customers/" + customer.Str("id"), `{"address": {"street": "` + strings.Repeat("x", 900_000) + `"}}`, 422, "address.street"},
		{"int beyond int32", "POST", "/api/v1/vehicles", `{"vin": "XTA21700080000009", "make": "Lada", "model": "Vesta", "year": 3000000000}`, 422, "year"},
		{"mileage beyond any car", "POST", "/api/v1/vehicles", `{"vin": "XTA21700080000009", "make": "Lada", "model": "Vesta", "year": 2024, "mileage": 2000001}`, 422, "mileage"},
		{"half a kopeck", "POST", "/api/v1/vehicles", `{"vin": "XTA21700080000009", "make": "Lada", "model": "Vesta", "year": 2024, "list_price": {"amount": "1450000.005", "currency": "RUB"}}`, 422, "list_price.amount"},
		{"no such currency", "POST", "/api/v1/vehicles", `{"vin": "XTA21700080000009", "make": "Lada", "model": "Vesta", "year": 2024, "list_price": {"amount": "1450000", "currency": "ABC"}}`, 422, "list_price.currency"},
		{"amount overflow", "POST", "/api/v1/vehicles", `{"vin": "XTA21700080000009", "make": "Lada", "model": "Vesta", "year": 2024, "list_price": {"amount": "1e30", "currency": "RUB"}}`, 422, "list_price.amount"},
		{"birth date in the future", "PATCH", "/api/v1/customers/" + customer.Str("id"), `{"birth_date": "2999-01-01"}`, 422, "birth_date"},
		{"birth date not a date", "PATCH", "/api/v1/customers/" + customer.Str("id"), `{"birth_date": "1990-02-30"}`, 422, "birth_date"},
		{"issued before 1900", "PATCH", "/api/v1/customers/" + customer.Str("id"), `{"document": {"issued_on": "1899-12-31"}}`, 422, "document.issued_on"},
		{"PATCH with a trailing brace", "PATCH", "/api/v1/customers/" + customer.Str("id"), `{"name": "Анна Аркадьевна Каренина"}}`, 400, ""},
		{"PATCH with a trailing bracket", "PATCH", "/api/v1/customers/" + customer.Str("id"), `{"name": "Анна Аркадьевна Каренина"}]`, 400, ""},
		{"POST with a trailing brace", "POST", "/api/v1/leads", `{"name": "Иван", ` + lead + `}}`, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := f.do(req{method: tc.method, path: tc.path, token: tok, body: tc.body})
			require.Equal(t, tc.status, res.Status, "%s", res.Body)
			assert.Equal(t, ProblemContentType, res.Header.Get("Content-Type"))
			if tc.field != "" {
				assert.Contains(t, res.Fields(), tc.field, "%s", res.Body)
			}
			assert.NotContains(t, string(res.Body), "bad data", "never the database's words")
		})
	}
	assert.Equal(t, leadsBefore, count("/api/v1/leads"), "no lead was saved")
	assert.Equal(t, vehiclesBefore, count("/api/v1/vehicles"), "no vehicle was saved")
	again := f.must(200, get("/api/v1/customers/"+customer.Str("id"), tok))
	assert.Equal(t, customer.Header.Get("ETag"), again.Header.Get("ETag"), "the customer is unchanged")
	stock := f.must(200, get("/api/v1/parts/"+part.Str("id"), tok))
	assert.Equal(t, part.Header.Get("ETag"), stock.Header.Get("ETag"), "the stock is unchanged")

	t.Run("a no-op patch keeps the version", func(t *testing.T) {
		for _, body := range []map[string]any{{}, {"first_name": "Анна", "last_name": "Каренина"}, {"name": "Анна Каренина"},
			{"phone": "+79001112233"}} {
			res := f.must(200, patch("/api/v1/customers/"+customer.Str("id"), tok, body))
			assert.Equal(t, customer.Header.Get("ETag"), res.Header.Get("ETag"), "%v: %s", body, res.Body)
			assert.Equal(t, customer.JSON()["version"], res.JSON()["version"])
		}
	})
	t.Run("a sale's amount is in the car's currency", func(t *testing.T) {
		car := f.createVehicle(f.a, vins[2])
		eur := map[string]any{"amount": "20000", "currency": "EUR"}
		res := f.must(422, post("/api/v1/sales", tok, map[string]any{"customer_id": customer.Str("id"), "vehicle_id": car, "amount": eur}))
		assert.Equal(t, []string{"amount.currency"}, res.Fields(), "%s", res.Body)
		sale := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": customer.Str("id"), "vehicle_id": car}))
		res = f.must(422, patch("/api/v1/sales/"+sale.Str("id"), tok, map[string]any{"amount": eur}))
		assert.Equal(t, []string{"amount.currency"}, res.Fields(), "%s", res.Body)
		again := f.must(200, get("/api/v1/sales/"+sale.Str("id"), tok))
		assert.Equal(t, sale.Header.Get("ETag"), again.Header.Get("ETag"))
	})
	t.Run("the limits are in the OpenAPI document", func(t *testing.T) {
		doc := string(f.h.OpenAPI())
		assert.Contains(t, doc, `"maxLength": 4000`)
		assert.Contains(t, doc, `"format": "int32"`)
	})
}

// FuzzUnmarshalStrict feeds the body decoder arbitrary bytes: it never panics, and what it accepts is text a
// store can keep (valid UTF-8, no NUL) within the declared lengths.
func FuzzUnmarshalStrict(f *testing.F) {
	for _, s := range []string{`{"name":"Иван","phone":"+79001234567"}`, `{"name":"a\u0000b"}`, `{"name":"\ud800"}`,
		`{"NAME":"x"}`, `{"name":"x","name":"y"}`, `{"interest":{"year":2020}}`, `{"phones":["1","2"]}`, `{}}`, "{\"name\":\"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in leadIn
		if err := unmarshalStrict(body, &in); err != nil {
			return
		}
		for _, s := range append([]string{in.Name, in.FirstName, in.LastName, in.Phone, in.Email, in.Comments}, in.Phones...) {
			require.True(t, utf8.ValidString(s), "%q", s)
			require.NotContains(t, s, "\x00")
		}
		require.LessOrEqual(t, utf8.RuneCountInString(in.Name), 200)
	})
}
