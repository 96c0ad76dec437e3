package httpapi

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

func TestUserManager(t *testing.T) { onBothAdapters(t, testUserManager) }

// testUserManager: an admin gives a user a manager when adding them (POST /api/v1/users manager_id) or later
// (PATCH /api/v1/users/{id}, If-Match; null clears it); the manager must be another user of the dealer (422
// naming manager_id); other roles may not; GET /api/v1/users/{id} shows it.
func testUserManager(t *testing.T, f *fixture) {
	admin := f.a.token(crm.RoleAdmin)
	head := f.must(201, post("/api/v1/users", admin, map[string]any{"name": "Начальник Отдела", "email": "head@example.ru", "role": "sales_manager"})).Str("id")
	res := f.must(201, post("/api/v1/users", admin, map[string]any{"name": "Продавец", "email": "seller@example.ru", "role": "sales_manager", "manager_id": head}))
	seller := res.Str("id")
	assert.Equal(t, head, res.Str("manager_id"))
	assert.Equal(t, []string{"manager_id"}, f.must(422, post("/api/v1/users", admin, map[string]any{"name": "Х", "role": "sales_manager",
		"manager_id": crm.NewID().String()})).Fields())

	path := "/api/v1/users/" + seller
	got := f.must(200, get(path, f.a.token(crm.RoleReadOnly)))
	assert.Equal(t, head, got.Str("manager_id"))
	assert.Equal(t, `"1"`, got.Header.Get("ETag"))
	assert.Nil(t, f.must(200, get("/api/v1/users/"+head, admin)).JSON()["manager_id"])

	assert.Equal(t, 403, f.do(patch(path, f.a.token(crm.RoleSalesManager), map[string]any{"manager_id": nil})).Status)
	assert.Equal(t, []string{"manager_id"}, f.must(422, patch(path, admin, map[string]any{"manager_id": seller})).Fields(), "not their own")
	assert.Equal(t, []string{"manager_id"}, f.must(422, patch(path, admin, map[string]any{"manager_id": crm.NewID().String()})).Fields())
	other := f.must(201, post("/api/v1/users", f.b.token(crm.RoleAdmin), map[string]any{"name": "Чужой", "role": "admin"})).Str("id")
	assert.Equal(t, []string{"manager_id"}, f.must(422, patch(path, admin, map[string]any{"manager_id": other})).Fields(), "another dealer's user")
	assert.Equal(t, 404, f.do(patch(path, f.b.token(crm.RoleAdmin), map[string]any{"manager_id": nil})).Status)
	f.must(412, patch(path, admin, map[string]any{"manager_id": nil}).with("If-Match", `"9"`))

	res = f.must(200, patch(path, admin, map[string]any{"manager_id": nil}).with("If-Match", `"1"`))
	assert.Nil(t, res.JSON()["manager_id"])
	assert.Equal(t, `"2"`, res.Header.Get("ETag"))
	res = f.must(200, patch(path, admin, map[string]any{"manager_id": head}))
	assert.Equal(t, head, res.Str("manager_id"))
	assert.Equal(t, head, f.must(200, get(path, admin)).Str("manager_id"))
}
