package httpapi

import (
	"net/http"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newCustomerBody() map[string]any {
	return map[string]any{"name": "Иван Сергеевич Петров", "phone": "+7 900 000-00-00", "email": "Ivan@Example.org",
		"document": map[string]any{"type": "passport_ru", "series": "4510", "number": "123456"}}
}

func TestCustomers(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)

	res := f.must(201, post("/api/v1/customers", tok, newCustomerBody()))
	id := res.Str("id")
	assert.Equal(t, `"1"`, res.Header.Get("ETag"))
	assert.Equal(t, "/api/v1/customers/"+id, res.Header.Get("Location"))
	body := res.JSON()
	assert.Equal(t, "Иван Сергеевич Петров", body["name"])
	assert.Equal(t, "+79000000000", body["phone"])
	assert.Equal(t, "ivan@example.org", body["email"])
	assert.NotContains(t, body, "dealer_id")

	got := f.must(200, get("/api/v1/customers/"+id, f.a.token(crm.RoleReadOnly)))
	assert.Equal(t, `"1"`, got.Header.Get("ETag"))

	t.Run("patch merges and bumps the version", func(t *testing.T) {
		res := f.must(200, patch("/api/v1/customers/"+id, tok, map[string]any{"phone": "+7 901 111-11-11"}).with("If-Match", `"1"`))
		assert.Equal(t, `"2"`, res.Header.Get("ETag"))
		assert.Equal(t, "+79011111111", res.Str("phone"))
		assert.Equal(t, "Иван Сергеевич Петров", res.Str("name"))
		assert.Equal(t, "ivan@example.org", res.Str("email"))
	})
	t.Run("stale If-Match is 412 and writes nothing", func(t *testing.T) {
		res := f.must(412, patch("/api/v1/customers/"+id, tok, map[string]any{"name": "X Y"}).with("If-Match", `"1"`))
		assert.Equal(t, ProblemContentType, res.Header.Get("Content-Type"))
		assert.Equal(t, "Иван Сергеевич Петров", f.must(200, get("/api/v1/customers/"+id, tok)).Str("name"))
	})
	t.Run("invalid input names the fields", func(t *testing.T) {
		res := f.must(422, post("/api/v1/customers", tok, map[string]any{"email": "nope"}))
		assert.Subset(t, res.Fields(), []string{"name", "email"})
	})
	t.Run("lists page with a cursor", func(t *testing.T) {
		for range 4 {
			f.must(201, post("/api/v1/customers", tok, newCustomerBody()))
		}
		first := f.must(200, get("/api/v1/customers?limit=3", tok))
		require.Len(t, first.Items(), 3)
		next, ok := first.JSON()["next_cursor"].(string)
		require.True(t, ok, "next_cursor: %s", first.Body)
		second := f.must(200, get("/api/v1/customers?limit=3&cursor="+next, tok))
		require.Len(t, second.Items(), 2)
		assert.Nil(t, second.JSON()["next_cursor"])
		found := f.must(200, get("/api/v1/customers?phone=8+901+111+11+11", tok))
		require.Len(t, found.Items(), 1)
		assert.Equal(t, id, found.Items()[0]["id"])
	})
	t.Run("another dealer's customer is not found", func(t *testing.T) {
		other := f.b.token(crm.RoleAdmin)
		f.must(404, get("/api/v1/customers/"+id, other))
		f.must(404, patch("/api/v1/customers/"+id, other, map[string]any{"name": "X Y"}))
		assert.Empty(t, f.must(200, get("/api/v1/customers", other)).Items())
	})
	t.Run("read_only may not write", func(t *testing.T) {
		res := f.must(http.StatusForbidden, post("/api/v1/customers", f.a.token(crm.RoleReadOnly), newCustomerBody()))
		assert.Equal(t, ProblemContentType, res.Header.Get("Content-Type"))
	})
}

func TestMergeCustomers(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	keep := f.must(201, post("/api/v1/customers", tok, map[string]any{"name": "Иван Петров", "phone": "+79005550001"}))
	dup := f.must(201, post("/api/v1/customers", tok, map[string]any{"name": "Ваня Петров", "phone": "8 900 555-00-02",
		"email": "vanya@example.org"}))
	sale := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": dup.Str("id")}))

	f.must(403, post("/api/v1/customers/"+keep.Str("id")+"/merge", f.a.token(crm.RoleServiceAdvisor),
		map[string]any{"duplicate_id": dup.Str("id")}))
	f.must(412, post("/api/v1/customers/"+keep.Str("id")+"/merge", tok, map[string]any{"duplicate_id": dup.Str("id")}).
		with("If-Match", `"7"`))
	f.must(412, post("/api/v1/customers/"+keep.Str("id")+"/merge", tok, map[string]any{"duplicate_id": dup.Str("id"),
		"duplicate_version": 7}))
	res := f.must(422, post("/api/v1/customers/"+keep.Str("id")+"/merge", tok, map[string]any{"duplicate_id": keep.Str("id")}))
	assert.Contains(t, res.Fields(), "duplicate_id")
	assert.Equal(t, dup.Str("id"), f.must(200, get("/api/v1/sales/"+sale.Str("id"), tok)).Str("customer_id"), "refusals moved nothing")

	merged := f.must(200, post("/api/v1/customers/"+keep.Str("id")+"/merge", tok, map[string]any{"duplicate_id": dup.Str("id")}).
		with("If-Match", `"1"`))
	assert.Equal(t, `"2"`, merged.Header.Get("ETag"))
	assert.Equal(t, []any{"+79005550001", "+79005550002"}, merged.JSON()["phones"])
	assert.Equal(t, "vanya@example.org", merged.Str("email"))
	f.must(404, get("/api/v1/customers/"+dup.Str("id"), tok))
	assert.Equal(t, keep.Str("id"), f.must(200, get("/api/v1/sales/"+sale.Str("id"), tok)).Str("customer_id"))
	found := f.must(200, get("/api/v1/customers?phone=89005550002", tok)).Items()
	require.Len(t, found, 1)
	assert.Equal(t, keep.Str("id"), found[0]["id"])
}
