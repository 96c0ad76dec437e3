package httpapi

import (
	"slices"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryListAcceptsCount(t *testing.T) {
	f := newFixture(t)
	lists := 0
	for _, rt := range f.h.routes {
		if !rt.isList() {
			continue
		}
		lists++
		assert.True(t, slices.ContainsFunc(rt.Query, func(p param) bool { return p.Name == "count" }), "%s %s declares count", rt.Method, rt.Path)
	}
	assert.Greater(t, lists, 15)
}

func TestListCounts(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		tok := f.a.token(crm.RoleReadOnly)
		for _, vin := range vins[:7] {
			f.createVehicle(f.a, vin)
		}
		f.createVehicle(f.b, vins[7])
		res := f.must(200, get("/api/v1/vehicles?limit=2&count=true", tok))
		assert.Len(t, res.Items(), 2)
		assert.EqualValues(t, 7, res.JSON()["total"], "the whole list, not the page")
		assert.Equal(t, false, res.JSON()["total_estimated"])
		assert.NotNil(t, res.JSON()["next_cursor"])

		// the next page counts the same whole list
		next := res.Str("next_cursor")
		res = f.must(200, get("/api/v1/vehicles?limit=2&count=true&cursor="+next, tok))
		assert.EqualValues(t, 7, res.JSON()["total"])

		// filters count too
		res = f.must(200, get("/api/v1/vehicles?status=reserved&count=true", tok))
		assert.EqualValues(t, 0, res.JSON()["total"])
		assert.EqualValues(t, 7, f.must(200, get("/api/v1/products?kind=vehicle&count=true", tok)).JSON()["total"])

		// lists answered whole by a service count the same way
		assert.EqualValues(t, 4, f.must(200, get("/api/v1/users?limit=1&count=true", tok)).JSON()["total"])

		// without count=true nothing changes
		res = f.must(200, get("/api/v1/vehicles?limit=2", tok))
		_, has := res.JSON()["total"]
		assert.False(t, has)
		res = f.must(200, get("/api/v1/vehicles?count=false", tok))
		_, has = res.JSON()["total"]
		assert.False(t, has)
		assert.Equal(t, []string{"count"}, f.must(422, get("/api/v1/vehicles?count=yes", tok)).Fields())
	})
}

func TestListCountStopsAtTheCap(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Limits = Limits{MaxPageSize: 2, CountCap: 5} })
	tok := f.a.token(crm.RoleAdmin)
	for _, vin := range vins[:7] {
		f.createVehicle(f.a, vin)
	}
	res := f.must(200, get("/api/v1/vehicles?count=true", tok))
	assert.EqualValues(t, 5, res.JSON()["total"])
	assert.Equal(t, true, res.JSON()["total_estimated"], "more than the cap: at least 5")
	for _, vin := range vins[:3] {
		require.NotEmpty(t, vin)
	}
	res = f.must(200, get("/api/v1/users?count=true", tok))
	assert.EqualValues(t, 4, res.JSON()["total"])
	assert.Equal(t, false, res.JSON()["total_estimated"])
}

func TestInstantsInNestedViewsAreFixed(t *testing.T) {
	f := newFixture(t)
	body := vehicleBody(vins[0])
	body["insurance"] = map[string]any{"insurer": "Ингосстрах", "policy_number": "XXX-1", "valid_from": "2026-11-27T12:00:00+03:00",
		"valid_to": "2027-11-26T12:00:00.5+03:00"}
	res := f.must(201, post("/api/v1/vehicles", f.a.token(crm.RoleAdmin), body))
	ins := res.JSON()["insurance"].(map[string]any)
	assert.Equal(t, "2026-11-27T09:00:00.000000Z", ins["valid_from"])
	assert.Equal(t, "2027-11-26T09:00:00.500000Z", ins["valid_to"])
}
