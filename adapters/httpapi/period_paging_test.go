package httpapi

import (
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
