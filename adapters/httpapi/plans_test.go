package httpapi

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSalesPlans(t *testing.T) { onBothAdapters(t, testSalesPlans) }

// testSalesPlans: the admin sets plans, a sales manager may not; overlaps are 409 sales_plan_overlap; a PATCH
// keeps the earlier version; progress answers the fixed names in JSON and in CSV with the sale's forecast.
func testSalesPlans(t *testing.T, f *fixture) {
	admin, seller := f.a.token(crm.RoleAdmin), f.a.token(crm.RoleSalesManager)
	body := map[string]any{"period": "month", "start": "2026-12-01", "target_units": 4,
		"target_revenue": map[string]any{"amount": "8000000", "currency": "RUB"}, "name": "План декабря"}
	assert.Equal(t, 403, f.do(post("/api/v1/sales-plans", seller, body)).Status)
	res := f.must(201, post("/api/v1/sales-plans", admin, body))
	id := res.Str("id")
	assert.Equal(t, "/api/v1/sales-plans/"+id, res.Header.Get("Location"))
	assert.Equal(t, "2027-01-01", res.Str("end"))
	q := map[string]any{"period": "quarter", "start": "2026-10-01", "target_units": 1,
		"target_revenue": map[string]any{"amount": "1", "currency": "RUB"}}
	assert.Equal(t, "sales_plan_overlap", f.must(409, post("/api/v1/sales-plans", admin, q)).Str("code"))
	assert.ElementsMatch(t, []string{"period", "start", "target_revenue"}, f.must(422, post("/api/v1/sales-plans", admin,
		map[string]any{"period": "week", "start": "1 декабря"})).Fields())

	upd := f.must(200, patch("/api/v1/sales-plans/"+id, admin, map[string]any{"target_units": 5}).with("If-Match", `"1"`)).JSON()
	assert.Equal(t, 2.0, upd["version"])
	revs := f.must(200, get("/api/v1/sales-plans/"+id+"/revisions", seller)).Items()
	require.Len(t, revs, 2)
	assert.Equal(t, 4.0, revs[0]["target_units"])
	assert.Equal(t, 5.0, revs[1]["target_units"])
	assert.Len(t, f.must(200, get("/api/v1/sales-plans?from=2026-12-01&to=2027-01-01", seller)).Items(), 1)
	assert.Empty(t, f.must(200, get("/api/v1/sales-plans?from=2027-01-01", seller)).Items())

	// An open sale expected to close on 15 December at the first stage (10 %) forecasts a tenth of its amount.
	customer := f.must(201, post("/api/v1/customers", seller, newCustomerBody())).Str("id")
	sale := f.must(201, post("/api/v1/sales", seller, map[string]any{"customer_id": customer,
		"amount": map[string]any{"amount": "1234567.89", "currency": "RUB"}, "expected_close_date": "2026-12-15"})).JSON()
	assert.Equal(t, "2026-12-15", sale["expected_close_date"])
	pr := f.must(200, get("/api/v1/sales-plans/"+id+"/progress", seller)).JSON()
	for _, k := range []string{"target_units", "target_revenue", "won_units", "won_revenue", "completion_percent", "forecast_revenue"} {
		assert.Contains(t, pr, k)
	}
	assert.Equal(t, 5.0, pr["target_units"])
	assert.Equal(t, "8000000.00", pr["target_revenue"])
	assert.Equal(t, 0.0, pr["won_units"])
	assert.Equal(t, "0.00", pr["won_revenue"])
	assert.Equal(t, 0.0, pr["completion_percent"])
	assert.Equal(t, "123456.79", pr["forecast_revenue"])

	res = f.must(200, get("/api/v1/sales-plans/"+id+"/progress", seller).with("Accept", "text/csv"))
	assert.Equal(t, "text/csv; charset=utf-8; header=present", res.Header.Get("Content-Type"))
	rows, err := csv.NewReader(strings.NewReader(string(res.Body))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, "target_units", rows[0][5])
	assert.Equal(t, "123456.79", rows[1][12])
	assert.Equal(t, 404, f.do(get("/api/v1/sales-plans/"+id+"/progress", f.b.token(crm.RoleAdmin))).Status)
}
