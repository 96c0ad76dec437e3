package httpapi

import (
	"os"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestADFImport(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	sample, err := os.ReadFile("../../leads/testdata/sample.xml")
	require.NoError(t, err)
	q := post("/api/v1/leads/import", tok, sample).with("Content-Type", "application/xml")

	first := f.must(200, q).JSON()
	assert.EqualValues(t, 0, first["duplicates"])
	created := first["created"].(float64)
	require.Positive(t, created)
	items := first["items"].([]any)
	lead := items[0].(map[string]any)
	assert.Equal(t, "created", lead["status"])
	got := f.must(200, get("/api/v1/leads/"+lead["lead_id"].(string), tok))
	assert.Equal(t, "import", got.Str("source"))

	again := f.must(200, q).JSON()
	assert.EqualValues(t, 0, again["created"])
	assert.Equal(t, created, again["duplicates"])

	t.Run("hostile XML is refused and writes nothing", func(t *testing.T) {
		before := len(f.must(200, get("/api/v1/leads", tok)).Items())
		bomb := `<?xml version="1.0"?><!DOCTYPE adf [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><adf><prospect>&b;</prospect></adf>`
		f.must(422, post("/api/v1/leads/import", tok, bomb).with("Content-Type", "application/xml"))
		f.must(422, post("/api/v1/leads/import", tok, strings.Repeat("<a>", 100)).with("Content-Type", "text/xml"))
		f.must(415, post("/api/v1/leads/import", tok, `{}`).with("Content-Type", "application/json"))
		assert.Len(t, f.must(200, get("/api/v1/leads", tok)).Items(), before)
	})
	t.Run("read_only may not import", func(t *testing.T) {
		f.must(403, post("/api/v1/leads/import", f.a.token(crm.RoleReadOnly), sample).with("Content-Type", "application/xml"))
	})
}

func TestLeadEditsAndStages(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	res := f.must(201, post("/api/v1/leads", tok, map[string]any{"name": "Иван Сергеевич Петров", "phone": "89000000000",
		"need_type": "trade_in", "source": "phone", "interest": map[string]any{"make": "Lada", "model": "Vesta"}}))
	id := res.Str("id")
	assert.Equal(t, "Иван", res.Str("first_name"))
	assert.Equal(t, "Сергеевич", res.Str("middle_name"))
	assert.Equal(t, "+79000000000", res.Str("phone"))

	t.Run("merge patch keeps what it does not name", func(t *testing.T) {
		res := f.must(200, patch("/api/v1/leads/"+id, tok, map[string]any{"comments": "перезвонить", "interest": map[string]any{"trim": "Comfort"}}))
		assert.Equal(t, "перезвонить", res.Str("comments"))
		assert.Equal(t, "Иван Сергеевич Петров", res.Str("name"))
		assert.Equal(t, map[string]any{"make": "Lada", "model": "Vesta", "trim": "Comfort"}, res.JSON()["interest"])
		assert.Equal(t, `"2"`, res.Header.Get("ETag"))
	})
	t.Run("an unknown field in a patch is named", func(t *testing.T) {
		res := f.must(422, patch("/api/v1/leads/"+id, tok, map[string]any{"stage": "won"}))
		assert.Equal(t, []string{"stage"}, res.Fields())
	})
	t.Run("stage moves follow the graph", func(t *testing.T) {
		res := f.must(200, post("/api/v1/leads/"+id+"/stage", tok, map[string]any{"stage": "in_work"}))
		assert.Equal(t, "in_work", res.Str("stage"))
		history := res.JSON()["history"].([]any)
		assert.Len(t, history, 2)
		f.must(422, post("/api/v1/leads/"+id+"/stage", tok, map[string]any{"stage": "disqualified"}))
		assert.Equal(t, "stage_transition_not_allowed", f.must(409, post("/api/v1/leads/"+id+"/stage", tok, map[string]any{"stage": "new"})).Str("code"))
		assert.Equal(t, "stale_version", f.must(412, post("/api/v1/leads/"+id+"/stage", tok, map[string]any{"stage": "qualified"}).with("If-Match", `"1"`)).Str("code"))
		f.must(200, post("/api/v1/leads/"+id+"/stage", tok, map[string]any{"stage": "qualified"}).with("If-Match", res.Header.Get("ETag")))
	})
	t.Run("filters", func(t *testing.T) {
		items := f.must(200, get("/api/v1/leads?stage=qualified&source=phone", tok)).Items()
		require.Len(t, items, 1)
		assert.Equal(t, id, items[0]["id"])
		f.must(422, get("/api/v1/leads?owner_id=nope", tok))
	})
	t.Run("directories", func(t *testing.T) {
		needs := f.must(200, get("/api/v1/need-types", tok)).Items()
		var codes []string
		for _, n := range needs {
			codes = append(codes, n["code"].(string))
		}
		assert.Subset(t, codes, []string{"car_purchase", "trade_in", "spare_parts", "accessories", "service"})
		stages := f.must(200, get("/api/v1/lead-stages", tok)).Items()
		assert.Len(t, stages, 5)
		admin := f.a.token(crm.RoleAdmin)
		f.must(403, post("/api/v1/need-types", tok, map[string]any{"code": "fleet", "name": "Парк"}))
		f.must(201, post("/api/v1/need-types", admin, map[string]any{"code": "fleet", "name": "Парк"}))
		res := f.must(200, patch("/api/v1/need-types/fleet", admin, map[string]any{"active": false}))
		assert.Equal(t, false, res.JSON()["active"])
		f.must(422, post("/api/v1/leads", tok, map[string]any{"name": "X Y", "phone": "+79001234567", "need_type": "fleet", "source": "phone"}))
		res = f.must(200, patch("/api/v1/lead-stages/in_work", admin, map[string]any{"name": "В работе у менеджера"}))
		assert.Equal(t, "В работе у менеджера", res.Str("name"))
		page := f.must(200, get("/api/v1/lead-stages?limit=2", tok))
		require.Len(t, page.Items(), 2)
		rest := f.must(200, get("/api/v1/lead-stages?limit=10&cursor="+page.JSON()["next_cursor"].(string), tok))
		assert.Len(t, rest.Items(), 3)
	})
}
