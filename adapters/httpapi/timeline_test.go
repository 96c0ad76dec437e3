package httpapi

import (
	"net/url"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCustomerTimeline(t *testing.T) { onBothAdapters(t, testCustomerTimeline) }

// testCustomerTimeline: a customer's lead, its stage change, a call made and done and the sale it became appear
// newest first with who and when; pages of two give the same list; another dealer gets 404; a bad cursor 422.
func testCustomerTimeline(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	me := f.a.users[crm.RoleSalesManager].ID.String()
	customer := f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")
	lead := f.must(201, post("/api/v1/leads", tok, map[string]any{"name": "Анна Смирнова", "phone": "+7 916 000-11-23",
		"source": "website", "need_type": "car_purchase", "customer_id": customer})).Str("id")
	f.clock.Advance(time.Minute)
	f.must(200, post("/api/v1/leads/"+lead+"/stage", tok, map[string]any{"stage": "in_work"}))
	f.clock.Advance(time.Minute)
	call := f.must(201, post("/api/v1/activities", tok, map[string]any{"kind": "call", "subject": "Первый звонок", "lead_id": lead})).Str("id")
	f.clock.Advance(time.Minute)
	f.must(200, post("/api/v1/activities/"+call+"/complete", tok, map[string]any{"result": "Договорились", "outcome": "reached"}))
	f.clock.Advance(time.Minute)
	sale := f.must(201, post("/api/v1/leads/"+lead+"/convert", tok, map[string]any{})).Str("id")

	items := f.must(200, get("/api/v1/customers/"+customer+"/timeline", tok)).Items()
	var kinds []string
	for _, it := range items {
		kinds = append(kinds, it["kind"].(string))
		assert.NotEmpty(t, it["summary"])
	}
	assert.Equal(t, []string{"sale_stage", "lead_stage", "activity_done", "activity", "lead_stage", "lead_stage"}, kinds)
	assert.Equal(t, sale, items[0]["record_id"], "the sale opened and the lead converted at one instant: sale before lead by record type")
	assert.Equal(t, "lead moved from in_work to converted", items[1]["summary"])
	assert.Equal(t, "call done: Договорились", items[2]["summary"])
	assert.Equal(t, me, items[2]["actor"])
	assert.Equal(t, "lead came in at stage new", items[5]["summary"])
	assert.Equal(t, f.clock.Now().UTC().Format("2006-01-02T15:04:05.000000Z"), items[0]["at"])

	var paged []map[string]any
	path := "/api/v1/customers/" + customer + "/timeline?limit=2"
	for {
		page := f.must(200, get(path, tok)).JSON()
		for _, it := range page["items"].([]any) {
			paged = append(paged, it.(map[string]any))
		}
		next, _ := page["next_cursor"].(string)
		if next == "" {
			break
		}
		path = "/api/v1/customers/" + customer + "/timeline?limit=2&cursor=" + url.QueryEscape(next)
	}
	require.Equal(t, items, paged)
	assert.Equal(t, 404, f.do(get("/api/v1/customers/"+customer+"/timeline", f.b.token(crm.RoleAdmin))).Status)
	assert.Equal(t, []string{"cursor"}, f.must(422, get("/api/v1/customers/"+customer+"/timeline?cursor=zzz", tok)).Fields())
}
