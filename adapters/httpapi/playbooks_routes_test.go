package httpapi

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlaybookRoutes(t *testing.T) { onBothAdapters(t, testPlaybookRoutes) }

// testPlaybookRoutes: GET /api/v1/playbooks lists every lead stage's and sales stage's playbook with the stage's
// kind and name, paged; PUT on a stage with a stored playbook needs If-Match (428 without, 412 stale), the first
// version goes without; another dealer's lead stage is a 404 that speaks of stages, not of sales stages.
func testPlaybookRoutes(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	leadStages := f.must(200, get("/api/v1/lead-stages", tok)).Items()
	saleStages := f.must(200, get("/api/v1/sales-stages", tok)).Items()
	require.NotEmpty(t, leadStages)
	require.NotEmpty(t, saleStages)
	stageID := leadStages[0]["id"].(string)
	path := "/api/v1/playbooks/" + stageID
	steps := map[string]any{"steps": []any{map[string]any{"key": "first_call", "title": "Позвонить", "due_minutes": 15}}}

	// The first version needs no If-Match; replacing it without one is 428, with a stale one 412, "*" overwrites.
	assert.Equal(t, `"1"`, f.must(200, put(path, tok, steps)).Header.Get("ETag"))
	res := f.must(428, put(path, tok, steps))
	assert.Equal(t, "playbook_version_required", res.Str("code"))
	assert.Equal(t, []string{"If-Match"}, res.Fields())
	assert.Equal(t, "stale_version", f.must(412, put(path, tok, steps).with("If-Match", `"7"`)).Str("code"))
	assert.Equal(t, `"2"`, f.must(200, put(path, tok, steps).with("If-Match", `"1"`)).Header.Get("ETag"))
	assert.Equal(t, `"3"`, f.must(200, put(path, tok, steps).with("If-Match", `*`)).Header.Get("ETag"))
	assert.Equal(t, `"3"`, f.must(200, get(path, tok)).Header.Get("ETag"), "the 428 changed nothing")

	// Every stage, lead stages first, each with its kind, name, version and steps.
	all := f.must(200, get("/api/v1/playbooks?limit=100", tok)).Items()
	require.Len(t, all, len(leadStages)+len(saleStages))
	for i, s := range leadStages {
		assert.Equal(t, s["id"], all[i]["stage_id"])
		assert.Equal(t, "lead", all[i]["kind"])
		assert.Equal(t, s["name"], all[i]["stage_name"])
	}
	for i, s := range saleStages {
		it := all[len(leadStages)+i]
		assert.Equal(t, s["id"], it["stage_id"])
		assert.Equal(t, "sale", it["kind"])
		assert.Equal(t, s["name"], it["stage_name"])
		assert.NotNil(t, it["steps"])
	}
	assert.Equal(t, 3.0, all[0]["version"])
	assert.Len(t, all[0]["steps"], 1)
	page := f.must(200, get("/api/v1/playbooks?limit=2", tok))
	assert.Len(t, page.Items(), 2)
	assert.NotEmpty(t, page.Str("next_cursor"), "paged like every list")
	assert.Equal(t, 401, f.do(get("/api/v1/playbooks", "")).Status, "a token is needed")

	// Another dealer's lead stage is not found, and the answer does not call it a sales stage.
	for _, r := range []req{get(path, f.b.token(crm.RoleAdmin)), put(path, f.b.token(crm.RoleAdmin), steps)} {
		res := f.must(404, r)
		assert.NotContains(t, string(res.Body), "sales_stages")
		assert.Contains(t, res.Str("detail"), "lead stage or sales stage")
	}
	assert.Len(t, f.must(200, get("/api/v1/playbooks?limit=100", f.b.token(crm.RoleAdmin))).Items(), len(leadStages)+len(saleStages),
		"the other dealer sees its own stages")
}
