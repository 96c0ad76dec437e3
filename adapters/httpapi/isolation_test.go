package httpapi

import (
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exampleBodies are the routes' own request examples (route.Example) filled in with the records of world w, keyed
// by "METHOD path": bodies each route accepts from w's dealer, so that a 404 for another dealer cannot be a
// validation error in disguise. A new route brings its example with it; there is no list here to extend.
func exampleBodies(routes []route, w world) map[string]any {
	start, end := slot(8)
	refs := exampleRefs{exVehicle: w.vehicle, exStart: start, exEnd: end, exDuplicate: w.duplicateCustomer, exCustomer: w.customer,
		exSale: w.sale, exCreditProgram: w.creditProgram, exCustomerVehicle: w.customerVehicle,
		exServiceStart: "2026-11-28T07:00:00Z", exServiceEnd: "2026-11-28T08:00:00Z",
		exMake: w.make_, exModel: w.model, exGeneration: w.generation, exConfiguration: w.configuration}
	out := map[string]any{}
	for _, rt := range routes {
		out[rt.Method+" "+rt.Path] = rt.example(refs)
	}
	return out
}

// TestWriteRoutesDeclareExamples holds that every JSON write route declares a request example, which the
// dealer-isolation and role tests send and the OpenAPI document shows.
func TestWriteRoutesDeclareExamples(t *testing.T) {
	f := newFixture(t)
	for _, rt := range f.h.routes {
		if rt.Method != "GET" && rt.Body != nil && rt.BodyType == "" {
			assert.NotNil(t, rt.Example, "%s %s declares no Example", rt.Method, rt.Path)
		}
	}
	doc := f.h.OpenAPI()
	assert.Contains(t, string(doc), `"example"`, "the OpenAPI document shows the examples")
}

// snapshot reads every record of a world, to prove that refused requests changed nothing.
func (f *fixture) snapshot(d dealerFixture, w world) map[string]string {
	f.t.Helper()
	out := map[string]string{}
	for _, p := range []string{"/api/v1/vehicles/" + w.vehicle, "/api/v1/vehicles/" + w.soldVehicle, "/api/v1/leads/" + w.lead,
		"/api/v1/test-drives/" + w.testDrive, "/api/v1/customers/" + w.customer, "/api/v1/sales/" + w.sale,
		"/api/v1/sales/" + w.wonSale, "/api/v1/orders/" + w.order, "/api/v1/customer-vehicles/" + w.customerVehicle,
		"/api/v1/parts/" + w.part, "/api/v1/services/" + w.service, "/api/v1/sales-stages/" + w.salesStage,
		"/api/v1/need-types", "/api/v1/vehicles", "/api/v1/leads", "/api/v1/sales", "/api/v1/customers"} {
		out[p] = string(f.must(200, get(p, d.token(crm.RoleReadOnly))).Body)
	}
	return out
}

func TestAnotherDealersRecordsAreNotFound(t *testing.T) {
	onBothAdapters(t, testAnotherDealersRecordsAreNotFound)
}

func testAnotherDealersRecordsAreNotFound(t *testing.T, f *fixture) {
	wa := f.newWorld(f.a)
	wb := f.newWorld(f.b)
	before := f.snapshot(f.a, wa)
	bodies := exampleBodies(f.h.routes, wb)
	intruder := f.b.token(crm.RoleAdmin)
	for _, rt := range f.h.routes {
		// Lead stages and notice templates are addressed by fixed codes every dealer has: {code}, {kind} and
		// {language} there name the caller's own entry.
		if !strings.Contains(rt.Path, "{") || strings.HasPrefix(rt.Path, "/api/v1/lead-stages/") ||
			strings.HasPrefix(rt.Path, "/api/v1/templates/") {
			continue
		}
		key := rt.Method + " " + rt.Path
		t.Run(key, func(t *testing.T) {
			body := bodies[key]
			if rt.Method != "GET" && rt.Body != nil && rt.BodyType == "" && body == nil {
				t.Fatalf("%s declares no Example", key)
			}
			res := f.do(req{method: rt.Method, path: wa.fill(rt.Path), token: intruder, body: body})
			assert.Equal(t, 404, res.Status, "%s", res.Body)
			assert.Equal(t, ProblemContentType, res.Header.Get("Content-Type"))
			assert.Equal(t, problemTypeBase+"not-found", res.Str("type"))
		})
	}
	assert.Equal(t, before, f.snapshot(f.a, wa), "refused requests wrote nothing")

	t.Run("the same requests succeed for the owner", func(t *testing.T) {
		// The bodies are valid: each route answers its owner with something other than 404 or 422 for its input.
		owner := f.b.token(crm.RoleAdmin)
		for _, rt := range f.h.routes {
			key := rt.Method + " " + rt.Path
			if !strings.Contains(rt.Path, "{") || rt.Method == "GET" {
				continue
			}
			res := f.do(req{method: rt.Method, path: wb.fill(rt.Path), token: owner, body: bodies[key]})
			assert.NotEqual(t, 404, res.Status, "%s: %s", key, res.Body)
			if res.Status == 422 {
				assert.NotEmpty(t, res.Fields(), "%s", key)
			}
		}
	})
	t.Run("lists show only the dealer's records", func(t *testing.T) {
		for _, p := range []string{"/api/v1/vehicles", "/api/v1/leads", "/api/v1/sales", "/api/v1/customers", "/api/v1/parts",
			"/api/v1/services", "/api/v1/reserved-vehicles"} {
			for _, it := range f.must(200, get(p, intruder)).Items() {
				assert.NotContains(t, []string{wa.vehicle, wa.soldVehicle, wa.lead, wa.customer, wa.sale, wa.wonSale,
					wa.part, wa.service}, it["id"], p)
			}
		}
		res := f.do(get("/api/v1/customer-vehicles?customer_id="+wa.customer, intruder))
		assert.Equal(t, 404, res.Status)
	})
	t.Run("bodies cannot name another dealer's records", func(t *testing.T) {
		tok := f.a.token(crm.RoleAdmin)
		start, end := slot(10)
		res := f.do(post("/api/v1/leads/"+wa.lead+"/test-drives", tok, map[string]any{"vehicle_id": wb.vehicle, "start": start, "end": end}))
		assert.Contains(t, []int{404, 422}, res.Status, "%s", res.Body)
		res = f.do(post("/api/v1/sales", tok, map[string]any{"customer_id": wb.customer}))
		assert.Contains(t, []int{404, 422}, res.Status, "%s", res.Body)
		res = f.do(post("/api/v1/leads", tok, map[string]any{"name": "X Y", "phone": "+79001112233", "need_type": "car_purchase",
			"source": "website", "customer_id": wb.customer}))
		assert.Contains(t, []int{404, 422}, res.Status, "%s", res.Body)
		require.Equal(t, before["/api/v1/leads"], f.snapshot(f.a, wa)["/api/v1/leads"])
	})
}

func TestRolesWithoutTheRightAreForbidden(t *testing.T) {
	f := newFixture(t)
	wa := f.newWorld(f.a)
	before := f.snapshot(f.a, wa)
	bodies := exampleBodies(f.h.routes, wa)
	for _, rt := range f.h.routes {
		if rt.Access == public {
			continue
		}
		for _, role := range allRoles {
			if allows(rt.Access, role) {
				continue
			}
			key := rt.Method + " " + rt.Path
			t.Run(key+" as "+string(role), func(t *testing.T) {
				res := f.do(req{method: rt.Method, path: wa.fill(rt.Path), token: f.a.token(role), body: bodies[key]})
				assert.Equal(t, 403, res.Status, "%s", res.Body)
				assert.Equal(t, problemTypeBase+"forbidden", res.Str("type"))
			})
		}
	}
	assert.Equal(t, before, f.snapshot(f.a, wa), "refused requests wrote nothing")
	t.Run("read_only reads everything", func(t *testing.T) {
		for _, rt := range f.h.routes {
			if rt.Method == "GET" && rt.Path == "/api/v1/mailbox" {
				// Issue 12: the mailbox settings name the mailbox's login, so only an admin reads them.
				assert.Equal(t, crm.PermEditSettings, rt.Access)
			} else if rt.Method == "GET" {
				assert.True(t, rt.Access == public || allows(rt.Access, crm.RoleReadOnly), rt.Path)
			} else {
				assert.False(t, allows(rt.Access, crm.RoleReadOnly), rt.Path)
			}
		}
	})
}

func TestCreateExamplesWorkAndStayInTheirDealer(t *testing.T) {
	onBothAdapters(t, testCreateExamplesWorkAndStayInTheirDealer)
}

// testCreateExamplesWorkAndStayInTheirDealer sends every JSON write route without a path parameter its own
// request example: filled with another dealer's records it is refused (404 or 422) and writes nothing; filled
// with the caller's own it succeeds, so the examples the OpenAPI document shows are requests that work.
func testCreateExamplesWorkAndStayInTheirDealer(t *testing.T, f *fixture) {
	wa, wb := f.newWorld(f.a), f.newWorld(f.b)
	before := f.snapshot(f.a, wa)
	foreign, own := exampleBodies(f.h.routes, wa), exampleBodies(f.h.routes, wb)
	tok := f.b.token(crm.RoleAdmin)
	tried := 0
	for _, rt := range f.h.routes {
		if rt.Method == "GET" || rt.Body == nil || rt.BodyType != "" || strings.Contains(rt.Path, "{") {
			continue
		}
		key := rt.Method + " " + rt.Path
		tried++
		if !usesRefs(rt.Example) {
			continue
		}
		res := f.do(req{method: rt.Method, path: rt.Path, token: tok, body: foreign[key]})
		assert.Contains(t, []int{404, 422}, res.Status, "%s with dealer A's records: %s", key, res.Body)
	}
	assert.Equal(t, before, f.snapshot(f.a, wa), "refused requests wrote nothing")
	for _, rt := range f.h.routes {
		if rt.Method == "GET" || rt.Body == nil || rt.BodyType != "" || strings.Contains(rt.Path, "{") {
			continue
		}
		key := rt.Method + " " + rt.Path
		res := f.do(req{method: rt.Method, path: rt.Path, token: tok, body: own[key]})
		assert.Less(t, res.Status, 300, "%s: its own example is refused: %s", key, res.Body)
	}
	assert.GreaterOrEqual(t, tried, 10)
}

// usesRefs reports whether an example names records of the caller's dealer.
func usesRefs(v any) bool {
	switch x := v.(type) {
	case exampleRef:
		return true
	case obj:
		for _, e := range x {
			if usesRefs(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if usesRefs(e) {
				return true
			}
		}
	}
	return false
}
