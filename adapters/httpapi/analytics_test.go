package httpapi

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnalytics(t *testing.T) { onBothAdapters(t, testAnalytics) }

// testAnalytics: three leads (one from the phone, interested in a model whose name needs CSV quoting), two
// converted, one won; the funnel, conversion by source and model, results, stage times and summary answer those
// figures in JSON, and in CSV with Accept: text/csv.
func testAnalytics(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleReadOnly)
	seller := f.a.token(crm.RoleSalesManager)
	l1 := f.createLead(f.a, "Пётр Иванов", "+79005550001")
	l2 := f.createLead(f.a, "Анна Петрова", "+79005550002")
	body := leadBody("Олег Сидоров", "+79005550003")
	body["source"] = "phone"
	body["interest"] = map[string]any{"make": "Lada", "model": `Vesta "Cross", SW`}
	f.must(201, post("/api/v1/leads", seller, body))
	v1, v2 := f.createVehicle(f.a, vins[0]), f.createVehicle(f.a, vins[1])
	s1 := f.must(201, post("/api/v1/leads/"+l1+"/convert", seller, map[string]any{"vehicle_id": v1,
		"amount": map[string]any{"amount": "1500000.50", "currency": "RUB"}})).Str("id")
	f.must(201, post("/api/v1/leads/"+l2+"/convert", seller, map[string]any{"vehicle_id": v2,
		"amount": map[string]any{"amount": "900000", "currency": "RUB"}}))
	f.clock.Advance(50) // the win comes after
	f.must(200, post("/api/v1/sales/"+s1+"/win", seller, map[string]any{}))

	funnel := f.must(200, get("/api/v1/analytics/funnel", tok)).JSON()
	items := funnel["items"].([]any)
	require.NotEmpty(t, items)
	first := items[0].(map[string]any)
	for _, k := range []string{"stage_id", "name", "order", "count", "amount"} {
		assert.Contains(t, first, k)
	}
	assert.Equal(t, 1.0, first["order"])
	assert.Equal(t, 1.0, first["count"], "the open sale")
	assert.Equal(t, "900000.00", first["amount"])
	assert.Equal(t, 1.0, funnel["count"])

	conv := f.must(200, get("/api/v1/analytics/conversion?by=source", tok)).JSON()
	rows := conv["items"].([]any)
	require.Len(t, rows, 2)
	phone, web := rows[0].(map[string]any), rows[1].(map[string]any)
	assert.Equal(t, "phone", phone["key"])
	assert.Equal(t, []any{1.0, 0.0, 0.0}, []any{phone["leads"], phone["sales"], phone["won"]})
	assert.Equal(t, "website", web["key"])
	assert.Equal(t, []any{2.0, 2.0, 1.0}, []any{web["leads"], web["sales"], web["won"]})
	assert.Equal(t, 50.0, web["sale_to_won_percent"])
	total := conv["total"].(map[string]any)
	assert.Equal(t, 33.33, total["lead_to_won_percent"])
	assert.Equal(t, 66.67, total["lead_to_sale_percent"])

	res := f.must(200, get("/api/v1/analytics/conversion?by=model", tok).with("Accept", "text/csv"))
	assert.Equal(t, "text/csv; charset=utf-8; header=present", res.Header.Get("Content-Type"))
	assert.Contains(t, string(res.Body), `"Lada|Vesta ""Cross"", SW"`, "RFC 4180 quoting")
	recs, err := csv.NewReader(strings.NewReader(string(res.Body))).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"by", "key", "label", "leads", "sales", "won", "lead_to_sale_percent", "sale_to_won_percent", "lead_to_won_percent"}, recs[0])
	assert.Equal(t, "total", recs[len(recs)-1][1])

	results := f.must(200, get("/api/v1/analytics/results?by=month", tok)).JSON()
	assert.Equal(t, "2026-11", results["items"].([]any)[0].(map[string]any)["key"])
	assert.Equal(t, "1500000.50", results["total"].(map[string]any)["revenue"])
	sum := f.must(200, get("/api/v1/analytics/summary?from=2026-11-01&to=2026-12-01", tok)).JSON()
	assert.Equal(t, 1.0, sum["won_units"])
	assert.Equal(t, "1500000.50", sum["average_sale"])
	assert.Equal(t, "RUB", sum["currency"])
	assert.Empty(t, f.must(200, get("/api/v1/analytics/summary?from=2027-01-01", tok)).JSON()["won_units"])
	st := f.must(200, get("/api/v1/analytics/stage-times", tok)).JSON()
	assert.Equal(t, 1.0, st["items"].([]any)[0].(map[string]any)["stays"], "the won sale left the first stage")

	assert.ElementsMatch(t, []string{"by", "from"}, f.must(422, get("/api/v1/analytics/conversion?by=colour&from=вчера", tok)).Fields())
	assert.Equal(t, []string{"to"}, f.must(422, get("/api/v1/analytics/funnel?from=2027-01-01&to=2026-01-01", tok)).Fields())
	other := f.must(200, get("/api/v1/analytics/funnel", f.b.token(crm.RoleAdmin))).JSON()
	assert.Equal(t, 0.0, other["count"], "another dealer sees none of it")
}
