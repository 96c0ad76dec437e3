package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPeriodListsPageInTheStore(t *testing.T) { onBothAdapters(t, testPeriodListsPageInTheStore) }

// testPeriodListsPageInTheStore: the workshop calendar and the warranties about to end are paged by the store,
// as GET /api/v1/vehicles is: pages of 2 hold the whole list once, in its order, the last with next_cursor
// null; count=true counts them all; a cursor the list did not make is a 422 naming cursor.
func testPeriodListsPageInTheStore(t *testing.T, f *fixture) {
	advisor, seller := f.a.token(crm.RoleServiceAdvisor), f.a.token(crm.RoleSalesManager)
	for i, at := range []string{"09:00", "07:00", "08:00", "07:00", "10:00"} { // Moscow 12:00, 10:00, …: two at 10:00
		car := f.handCar(f.a, fmt.Sprintf("Z94CB41AAGR%06d", 100+i), 10000)
		f.must(201, post("/api/v1/service-appointments", advisor, map[string]any{"customer_vehicle_id": car,
			"bay": fmt.Sprint(1 + i%3), "start": "2026-11-28T" + at + ":00Z"}))
		f.must(201, post("/api/v1/customer-vehicles/"+car+"/warranties", advisor, map[string]any{"kind": "dealer",
			"start": "2025-11-27", "end": fmt.Sprintf("2026-12-%02d", 20-i%3), "systems": []any{"engine"}}))
	}
	q := url.Values{"from": {"2026-11-28T00:00:00Z"}, "to": {"2026-11-29T00:00:00Z"}}.Encode()
	for _, list := range []string{"/api/v1/service-appointments?" + q, "/api/v1/warranties/expiring?within_days=60"} {
		whole := itemIDs(f.must(200, get(list+"&limit=100", seller)).Items())
		require.Len(t, whole, 5, list)
		var got []string
		path := list + "&limit=2"
		for pages := 0; ; pages++ {
			require.Less(t, pages, 3, list)
			res := f.must(200, get(path, seller))
			got = append(got, itemIDs(res.Items())...)
			next, _ := res.JSON()["next_cursor"].(string)
			if next == "" {
				assert.Nil(t, res.JSON()["next_cursor"], "the last page's next_cursor is null")
				break
			}
			path = list + "&limit=2&cursor=" + url.QueryEscape(next)
		}
		assert.Equal(t, whole, got, "%s: every item once, in the list's order", list)
		assert.Equal(t, 5.0, f.must(200, get(list+"&limit=1&count=true", seller)).JSON()["total"], list)
		assert.Equal(t, []string{"cursor"}, f.must(422, get(list+"&cursor=bogus", seller)).Fields(), list)
	}
	starts := f.must(200, get("/api/v1/service-appointments?"+q, seller)).Items()
	for i := 1; i < len(starts); i++ {
		assert.LessOrEqual(t, starts[i-1]["start"], starts[i]["start"], "by start")
	}
}

func itemIDs(items []map[string]any) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it["id"].(string)
	}
	return out
}

func TestKeysetCursorsNameTheirList(t *testing.T) { onBothAdapters(t, testKeysetCursorsNameTheirList) }

// testKeysetCursorsNameTheirList: every list paged by keyset in the store refuses a cursor another list made (the
// three period lists — the test-drive calendar, the workshop calendar, the warranties about to end —, the
// vehicles in two orders, the leads, the customers) and a cursor of its own altered into one no list makes: a 422 problem+json
// naming the cursor parameter, on both adapters; its own cursor still reads the next page. (Before, the period
// lists took each other's cursors — all three are a time and an ID — and answered 200 with a wrong page.)
func testKeysetCursorsNameTheirList(t *testing.T, f *fixture) {
	advisor, seller := f.a.token(crm.RoleServiceAdvisor), f.a.token(crm.RoleSalesManager)
	lead := f.createLead(f.a, "Ирина Соколова", "+79001230001")
	f.createLead(f.a, "Олег Рябов", "+79001230002")
	for i := range 2 {
		car := f.handCar(f.a, fmt.Sprintf("Z94CB41AAGR%06d", 200+i), 10000)
		f.must(201, post("/api/v1/service-appointments", advisor, map[string]any{"customer_vehicle_id": car,
			"bay": fmt.Sprint(1 + i), "start": "2026-11-28T07:00:00Z"}))
		f.must(201, post("/api/v1/customer-vehicles/"+car+"/warranties", advisor, map[string]any{"kind": "dealer",
			"start": "2025-11-27", "end": fmt.Sprintf("2026-12-%02d", 20+i), "systems": []any{"engine"}}))
		s, _ := slot(2 + 2*i)
		f.must(201, post("/api/v1/leads/"+lead+"/test-drives", seller, map[string]any{"vehicle_id": f.createVehicle(f.a, vins[i]), "start": s}))
	}
	period := url.Values{"from": {"2026-11-27T00:00:00Z"}, "to": {"2026-11-29T00:00:00Z"}}.Encode()
	lists := []string{
		"/api/v1/test-drives?" + period,
		"/api/v1/service-appointments?" + period,
		"/api/v1/warranties/expiring?within_days=60",
		"/api/v1/vehicles?sort=created_at",
		"/api/v1/vehicles?sort=price",
		"/api/v1/leads?stage=new",
		"/api/v1/customers?count=false",
	}
	cursors := make([]string, len(lists))
	for i, list := range lists {
		res := f.must(200, get(list+"&limit=1", seller))
		require.Len(t, res.Items(), 1, list)
		cursors[i], _ = res.JSON()["next_cursor"].(string)
		require.NotEmpty(t, cursors[i], list)
		next := f.must(200, get(list+"&limit=1&cursor="+url.QueryEscape(cursors[i]), seller)).Items()
		require.Len(t, next, 1, list)
		assert.NotEqual(t, res.Items()[0]["id"], next[0]["id"], "%s: its own cursor reads the next page", list)
	}
	refused := func(list, cursor, what string) {
		t.Helper()
		res := f.must(422, get(list+"&limit=1&cursor="+url.QueryEscape(cursor), seller))
		assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"), "%s, %s", list, what)
		assert.Equal(t, []string{"cursor"}, res.Fields(), "%s, %s", list, what)
	}
	for i, list := range lists {
		for j, other := range lists {
			if i != j {
				refused(list, cursors[j], "the cursor of "+other)
			}
		}
		raw, err := base64.RawURLEncoding.DecodeString(cursors[i])
		require.NoError(t, err)
		var parts []string
		require.NoError(t, json.Unmarshal(raw, &parts), "a cursor is [list, order, key, id]")
		require.Len(t, parts, 4)
		for what, change := range map[string]func(p []string){
			"another list's name": func(p []string) { p[0] += "-x" },
			"another order":       func(p []string) { p[1] = "id desc" },
			"a key of no list":    func(p []string) { p[2] = "x" },
			"an ID not a UUID":    func(p []string) { p[3] = "42" },
		} {
			p := append([]string(nil), parts...)
			change(p)
			b, _ := json.Marshal(p)
			refused(list, base64.RawURLEncoding.EncodeToString(b), what)
		}
		refused(list, cursors[i][:len(cursors[i])-3], "cut short")
		refused(list, cursors[i]+"A", "one character more")
		refused(list, "bogus", "not a cursor")
	}
}
