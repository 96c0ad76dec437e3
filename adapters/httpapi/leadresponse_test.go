package httpapi

import (
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLeadResponseTime(t *testing.T) { onBothAdapters(t, testLeadResponseTime) }

// testLeadResponseTime: the dealer's target and sales hours over HTTP (fields named, If-Match, roles); a lead that
// came in on Friday evening is due on Monday morning, listed as overdue only after that instant; its first
// completed call shows as first_response_at and response_minutes.
func testLeadResponseTime(t *testing.T, f *fixture) {
	admin, tok := f.a.token(crm.RoleAdmin), f.a.token(crm.RoleSalesManager)
	def := f.must(200, get("/api/v1/settings/lead-response", tok))
	assert.Equal(t, `"0"`, def.Header.Get("ETag"))
	assert.Equal(t, 15.0, def.JSON()["target_minutes"])
	assert.ElementsMatch(t, []string{"target_minutes", "workday_end", "weekdays[1]", "time_zone"},
		f.must(422, put("/api/v1/settings/lead-response", admin, map[string]any{"target_minutes": 0, "workday_start": "10:00",
			"workday_end": "09:00", "weekdays": []any{1, 1}, "time_zone": "Mars/Olympus"})).Fields())
	body := map[string]any{"target_minutes": 15, "workday_start": "09:00", "workday_end": "18:00", "weekdays": []any{1, 2, 3, 4, 5},
		"time_zone": "Europe/Moscow"}
	assert.Equal(t, 403, f.do(put("/api/v1/settings/lead-response", tok, body)).Status)
	assert.Equal(t, `"1"`, f.must(200, put("/api/v1/settings/lead-response", admin, body)).Header.Get("ETag"))
	f.must(412, put("/api/v1/settings/lead-response", admin, body).with("If-Match", `"7"`))

	msk := func(day, h, m int) time.Time { return time.Date(2026, 11, day, h-3, m, 0, 0, time.UTC) }
	f.clock.Set(msk(27, 17, 55)) // Friday
	lead := f.must(201, post("/api/v1/leads", tok, map[string]any{"name": "Анна Смирнова", "phone": "+7 916 000-11-24",
		"source": "website", "need_type": "car_purchase"})).JSON()
	id := lead["id"].(string)
	assert.Equal(t, "2026-11-30T06:10:00.000000Z", lead["response_due_at"], "Monday 09:10 Moscow time")
	assert.Nil(t, lead["first_response_at"])
	assert.Nil(t, lead["response_minutes"])

	f.clock.Set(msk(30, 9, 10))
	assert.Empty(t, f.must(200, get("/api/v1/leads/overdue-response", tok)).Items(), "at the due time: in time")
	f.clock.Set(msk(30, 9, 11))
	items := f.must(200, get("/api/v1/leads/overdue-response", tok)).Items()
	require.Len(t, items, 1)
	assert.Equal(t, id, items[0]["id"])
	assert.Equal(t, true, items[0]["response_overdue"])
	assert.Empty(t, f.must(200, get("/api/v1/leads/overdue-response", f.b.token(crm.RoleAdmin))).Items(), "another dealer's")

	call := f.must(201, post("/api/v1/activities", tok, map[string]any{"kind": "call", "subject": "Первый звонок", "lead_id": id})).Str("id")
	f.must(200, post("/api/v1/activities/"+call+"/complete", tok, map[string]any{"result": "Дозвонились", "outcome": "reached"}))
	got := f.must(200, get("/api/v1/leads/"+id, tok)).JSON()
	assert.Equal(t, "2026-11-30T06:11:00.000000Z", got["first_response_at"])
	assert.Equal(t, 16.0, got["response_minutes"], "5 minutes on Friday, 11 on Monday")
	assert.Empty(t, f.must(200, get("/api/v1/leads/overdue-response", tok)).Items())

	// The analysis: a second lead answered in 5 minutes; the first took 16 (its target 15).
	f.clock.Set(msk(30, 10, 0))
	second := f.must(201, post("/api/v1/leads", tok, map[string]any{"name": "Олег Петров", "phone": "+7 916 000-11-25",
		"source": "phone", "need_type": "car_purchase"})).Str("id")
	f.clock.Set(msk(30, 10, 5))
	call = f.must(201, post("/api/v1/activities", tok, map[string]any{"kind": "call", "subject": "Звонок", "lead_id": second})).Str("id")
	f.must(200, post("/api/v1/activities/"+call+"/complete", tok, map[string]any{"result": "Дозвонились", "outcome": "reached"}))
	rep := f.must(200, get("/api/v1/analytics/lead-response?by=source&from=2026-11-01&to=2026-12-01", tok)).JSON()
	total := rep["total"].(map[string]any)
	assert.Equal(t, []any{2.0, 2.0, 1.0, 50.0, 10.5, 10.5}, []any{total["leads"], total["responded"], total["within_target"],
		total["within_target_percent"], total["avg_minutes"], total["median_minutes"]})
	rows := rep["items"].([]any)
	require.Len(t, rows, 2)
	assert.Equal(t, "phone", rows[0].(map[string]any)["key"])
	assert.Equal(t, 100.0, rows[0].(map[string]any)["within_target_percent"])
	assert.Equal(t, 16.0, rows[1].(map[string]any)["median_minutes"])
	res := f.must(200, get("/api/v1/analytics/lead-response?by=manager", tok).with("Accept", "text/csv"))
	assert.True(t, strings.HasPrefix(string(res.Body), "by,key,label,leads,responded,responded_percent,within_target,within_target_percent,avg_minutes,median_minutes\r\n"), "%s", res.Body)
	assert.Contains(t, string(res.Body), "manager,total,total,2,2,100.00,1,50.00,10.50,10.50\r\n")
	assert.Equal(t, 0.0, f.must(200, get("/api/v1/analytics/lead-response", f.b.token(crm.RoleAdmin))).JSON()["total"].(map[string]any)["leads"],
		"another dealer's leads are not counted")
}
