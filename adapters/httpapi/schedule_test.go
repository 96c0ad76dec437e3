package httpapi

import (
	"net/url"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTestDriveSettings(t *testing.T) {
	f := newFixture(t)
	admin, seller := f.a.token(crm.RoleAdmin), f.a.token(crm.RoleSalesManager)
	res := f.must(200, get("/api/v1/settings/test-drives", seller))
	assert.Equal(t, `"0"`, res.Header.Get("ETag"))
	assert.Equal(t, map[string]any{"slot_minutes": float64(30), "workday_start": "09:00", "workday_end": "21:00",
		"time_zone": "Europe/Moscow", "version": float64(0), "updated_at": nil}, res.JSON())

	body := map[string]any{"slot_minutes": 60, "workday_start": "10:00", "workday_end": "18:00", "time_zone": "Asia/Yekaterinburg"}
	f.must(403, req{method: "PUT", path: "/api/v1/settings/test-drives", token: seller, body: body})
	res = f.must(200, req{method: "PUT", path: "/api/v1/settings/test-drives", token: admin, body: body})
	assert.Equal(t, `"1"`, res.Header.Get("ETag"))
	assert.Equal(t, "2026-11-27T09:00:00.000000Z", res.Str("updated_at"))
	f.must(412, req{method: "PUT", path: "/api/v1/settings/test-drives", token: admin, body: body}.with("If-Match", `"0"`))
	bad := f.must(422, req{method: "PUT", path: "/api/v1/settings/test-drives", token: admin,
		body: map[string]any{"slot_minutes": 0, "workday_start": "25:00", "workday_end": "18:00", "time_zone": "Nowhere/City"}})
	assert.Subset(t, bad.Fields(), []string{"workday_start"})
	assert.Equal(t, "Asia/Yekaterinburg", f.must(200, get("/api/v1/settings/test-drives", seller)).Str("time_zone"))
	assert.Equal(t, "Europe/Moscow", f.must(200, get("/api/v1/settings/test-drives", f.b.token(crm.RoleAdmin))).Str("time_zone"),
		"stored per dealer")

	// booking follows the dealer's hours: 14:00 UTC is 19:00 in Yekaterinburg, after closing
	v := f.createVehicle(f.a, vins[0])
	lead := f.createLead(f.a, "Ирина Соколова", "+79001230001")
	late := time.Date(2026, 11, 28, 14, 0, 0, 0, time.UTC).Format(time.RFC3339)
	res = f.must(422, post("/api/v1/leads/"+lead+"/test-drives", seller, map[string]any{"vehicle_id": v, "start": late}))
	assert.Contains(t, res.Fields(), "start")
	ok := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC).Format(time.RFC3339)
	res = f.must(201, post("/api/v1/leads/"+lead+"/test-drives", seller, map[string]any{"vehicle_id": v, "start": ok}))
	assert.Equal(t, "2026-11-28T13:00:00.000000Z", res.Str("end"), "one slot is the dealer's hour")
}

func TestCalendarAndFreeSlots(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		tok := f.a.token(crm.RoleReadOnly)
		seller := f.a.token(crm.RoleSalesManager)
		v1, v2 := f.createVehicle(f.a, vins[0]), f.createVehicle(f.a, vins[1])
		lead := f.createLead(f.a, "Ирина Соколова", "+79001230001")
		s1, _ := slot(2) // 11:00 UTC = 14:00 Moscow
		d1 := f.must(201, post("/api/v1/leads/"+lead+"/test-drives", seller, map[string]any{"vehicle_id": v1, "start": s1})).Str("id")
		s2, _ := slot(4)
		d2 := f.must(201, post("/api/v1/leads/"+lead+"/test-drives", seller, map[string]any{"vehicle_id": v2, "start": s2})).Str("id")
		f.must(200, post("/api/v1/test-drives/"+d2+"/cancel", seller, map[string]any{"reason": "x"}))

		q := url.Values{"from": {epoch.Format(time.RFC3339)}, "to": {epoch.Add(24 * time.Hour).Format(time.RFC3339)}}
		items := f.must(200, get("/api/v1/test-drives?"+q.Encode(), tok)).Items()
		require.Len(t, items, 2)
		assert.Equal(t, []any{d1, d2}, []any{items[0]["id"], items[1]["id"]})
		q.Set("status", "booked")
		items = f.must(200, get("/api/v1/test-drives?"+q.Encode(), tok)).Items()
		require.Len(t, items, 1)
		q.Del("status")
		q.Set("vehicle_id", v2)
		items = f.must(200, get("/api/v1/test-drives?"+q.Encode(), tok)).Items()
		require.Len(t, items, 1)
		assert.Equal(t, d2, items[0]["id"])
		assert.Empty(t, f.must(200, get("/api/v1/test-drives?"+q.Encode(), f.b.token(crm.RoleAdmin))).Items(), "another dealer's calendar")
		res := f.must(422, get("/api/v1/test-drives?from=yesterday&status=lost", tok))
		assert.Subset(t, res.Fields(), []string{"from"})

		// free slots of the morning, 09:00 UTC (12:00 Moscow) to 11:00 UTC, of the car whose drive was cancelled
		q = url.Values{"from": {epoch.Format(time.RFC3339)}, "to": {epoch.Add(2 * time.Hour).Format(time.RFC3339)}}
		free := func(v string) []string {
			var starts []string
			for _, it := range f.must(200, get("/api/v1/vehicles/"+v+"/free-slots?"+q.Encode(), tok)).Items() {
				starts = append(starts, it["start"].(string))
			}
			return starts
		}
		assert.Equal(t, []string{"2026-11-27T09:00:00.000000Z", "2026-11-27T09:30:00.000000Z", "2026-11-27T10:00:00.000000Z",
			"2026-11-27T10:30:00.000000Z"}, free(v2))
		q.Set("to", epoch.Add(3*time.Hour).Format(time.RFC3339))
		v1free := free(v1)
		assert.NotContains(t, v1free, "2026-11-27T11:00:00.000000Z", "the booked slot is not free")
		assert.Contains(t, v1free, "2026-11-27T10:00:00.000000Z", "other slots of the car stay free for other prospects")
		q.Set("to", epoch.Add(2*time.Hour).Format(time.RFC3339))
		f.must(404, get("/api/v1/vehicles/"+v1+"/free-slots", f.b.token(crm.RoleAdmin)))
		// a free slot books; then it is free no more, and booking it again is a conflict
		customer := f.newCustomerID(f.a)
		f.must(201, post("/api/v1/test-drives", seller, map[string]any{"vehicle_id": v2, "start": "2026-11-27T10:30:00Z", "customer_id": customer}))
		assert.NotContains(t, free(v2), "2026-11-27T10:30:00.000000Z")
		f.must(409, post("/api/v1/test-drives", seller, map[string]any{"vehicle_id": v2, "start": "2026-11-27T10:30:00Z", "customer_id": f.newCustomerID(f.a)}))
	})
}

// newCustomerID creates a customer of d and returns its id.
func (f *fixture) newCustomerID(d dealerFixture) string {
	f.t.Helper()
	return f.must(201, post("/api/v1/customers", d.token(crm.RoleAdmin), newCustomerBody())).Str("id")
}
