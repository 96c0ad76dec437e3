package httpapi

import (
	"net/url"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestActivities(t *testing.T) { onBothAdapters(t, testActivities) }

func testActivities(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	me := f.a.users[crm.RoleSalesManager].ID.String()
	customer := f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")
	sale := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": customer})).Str("id")
	due := epoch.Add(time.Hour).Format(time.RFC3339)

	res := f.must(201, post("/api/v1/activities", tok, map[string]any{"kind": "call", "subject": "Перезвонить по комплектации",
		"sale_id": sale, "due_at": due}))
	call := res.JSON()
	id := call["id"].(string)
	assert.Equal(t, "/api/v1/activities/"+id, res.Header.Get("Location"))
	assert.Equal(t, customer, call["customer_id"], "the sale's customer")
	assert.Equal(t, me, call["owner_id"], "the caller by default")
	assert.Equal(t, "open", call["status"])
	assert.Equal(t, false, call["overdue"])
	task := f.must(201, post("/api/v1/activities", tok, map[string]any{"kind": "task", "subject": "Подготовить КП",
		"customer_id": customer, "owner_id": f.a.users[crm.RoleAdmin].ID.String()})).Str("id")

	// Every wrong field named in one 422: the body's and the links', another dealer's customer among them.
	other := f.must(201, post("/api/v1/customers", f.b.token(crm.RoleAdmin), newCustomerBody())).Str("id")
	res = f.do(post("/api/v1/activities", tok, map[string]any{"kind": "visit", "subject": " ", "lead_id": "x",
		"due_at": "завтра", "customer_id": other}))
	assert.Equal(t, 422, res.Status, "%s", res.Body)
	assert.ElementsMatch(t, []string{"kind", "subject", "lead_id", "due_at", "customer_id"}, res.Fields(), "%s", res.Body)
	assert.Equal(t, 403, f.do(post("/api/v1/activities", f.a.token(crm.RoleReadOnly), map[string]any{"kind": "task",
		"subject": "x", "customer_id": customer})).Status)

	// PATCH is a merge patch with If-Match; cancelled activities change only by reopening.
	upd := f.must(200, patch("/api/v1/activities/"+task, tok, map[string]any{"subject": "Отправить КП", "due_at": due}).with("If-Match", `"1"`)).JSON()
	assert.Equal(t, "Отправить КП", upd["subject"])
	assert.Equal(t, 2.0, upd["version"])
	assert.Equal(t, "stale_version", f.must(412, patch("/api/v1/activities/"+task, tok, map[string]any{"subject": "y"}).with("If-Match", `"1"`)).Str("code"))
	f.must(200, patch("/api/v1/activities/"+task, tok, map[string]any{"status": "cancelled"}))
	assert.Equal(t, "activity_not_open", f.must(409, patch("/api/v1/activities/"+task, tok, map[string]any{"subject": "z"})).Str("code"))
	assert.Equal(t, []string{"status"}, f.must(422, patch("/api/v1/activities/"+task, tok, map[string]any{"status": "done"})).Fields())
	f.must(200, patch("/api/v1/activities/"+task, tok, map[string]any{"status": "open", "due_at": nil}))

	// Overdue once the clock passes the due time; in the owner's list of open activities due before now.
	f.clock.Advance(2 * time.Hour)
	assert.Equal(t, true, f.must(200, get("/api/v1/activities/"+id, tok)).JSON()["overdue"])
	now := url.QueryEscape(f.clock.Now().UTC().Format(time.RFC3339))
	items := f.must(200, get("/api/v1/activities?owner_id="+me+"&status=open&due_before="+now, tok)).Items()
	require.Len(t, items, 1)
	assert.Equal(t, id, items[0]["id"])
	assert.Len(t, f.must(200, get("/api/v1/activities?customer_id="+customer, tok)).Items(), 2)
	assert.Len(t, f.must(200, get("/api/v1/activities?sale_id="+sale, tok)).Items(), 1)
	page := f.must(200, get("/api/v1/activities?limit=1", tok)).JSON()
	require.NotNil(t, page["next_cursor"])
	page = f.must(200, get("/api/v1/activities?limit=1&cursor="+url.QueryEscape(page["next_cursor"].(string)), tok)).JSON()
	assert.Len(t, page["items"], 1)
	assert.Nil(t, page["next_cursor"])
	assert.ElementsMatch(t, []string{"status", "due_before", "owner_id"},
		f.must(422, get("/api/v1/activities?status=late&due_before=soon&owner_id=x", tok)).Fields())

	// Completing a call records its outcome; a second completion is a conflict.
	assert.Equal(t, []string{"outcome"}, f.must(422, post("/api/v1/activities/"+id+"/complete", tok, map[string]any{"result": "ok"})).Fields())
	done := f.must(200, post("/api/v1/activities/"+id+"/complete", tok, map[string]any{"result": "Записан на тест-драйв",
		"outcome": "reached"}).with("If-Match", `"1"`)).JSON()
	assert.Equal(t, "done", done["status"])
	assert.Equal(t, "reached", done["outcome"])
	assert.Equal(t, me, done["completed_by"])
	assert.Equal(t, false, done["overdue"])
	assert.Equal(t, "activity_not_open", f.must(409, post("/api/v1/activities/"+id+"/complete", tok,
		map[string]any{"result": "ещё", "outcome": "busy"})).Str("code"))
	assert.Equal(t, 404, f.do(get("/api/v1/activities/"+id, f.b.token(crm.RoleAdmin))).Status)
}
