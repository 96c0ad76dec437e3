package httpapi

import (
	"net/url"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOverdueResponsePaging(t *testing.T) { onBothAdapters(t, testOverdueResponsePaging) }

// testOverdueResponsePaging: GET /api/v1/leads/overdue-response pages with limit and cursor like every list: a
// limit below the count gives next_cursor, the pages together hold every breaching lead once, the longest overdue
// first; count=true counts them all; a cursor the list did not make is a 422 naming cursor.
func testOverdueResponsePaging(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	msk := func(h, m int) time.Time { return time.Date(2026, 11, 30, h-3, m, 0, 0, time.UTC) } // a Monday
	var want []string
	for i, name := range []string{"Анна", "Борис", "Вера"} {
		f.clock.Set(msk(10, i))
		want = append(want, f.must(201, post("/api/v1/leads", tok, map[string]any{"name": name + " Смирнова",
			"phone": "+7 916 000-12-" + string(rune('0'+i)) + "0", "source": "website", "need_type": "car_purchase"})).Str("id"))
	}
	f.clock.Set(msk(12, 0))

	var got []string
	path := "/api/v1/leads/overdue-response?limit=2"
	for pages := 0; ; pages++ {
		require.Less(t, pages, 3)
		res := f.must(200, get(path, tok))
		for _, it := range res.Items() {
			got = append(got, it["id"].(string))
		}
		next, _ := res.JSON()["next_cursor"].(string)
		if next == "" {
			assert.Nil(t, res.JSON()["next_cursor"], "the last page's next_cursor is null")
			assert.Len(t, res.Items(), 1)
			break
		}
		assert.Len(t, res.Items(), 2)
		path = "/api/v1/leads/overdue-response?limit=2&cursor=" + url.QueryEscape(next)
	}
	assert.Equal(t, want, got, "every lead once, the longest overdue first")

	counted := f.must(200, get("/api/v1/leads/overdue-response?limit=1&count=true", tok)).JSON()
	assert.Equal(t, 3.0, counted["total"])
	res := f.must(422, get("/api/v1/leads/overdue-response?cursor=bogus", tok))
	assert.Equal(t, []string{"cursor"}, res.Fields())
}
