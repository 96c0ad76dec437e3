package httpapi

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
)

// TestReadAllocationBudgets holds the allocations of the two hottest reads on memory (issue 16 item 5) to
// budgets: GET one vehicle and a page of 20, each counted with the test's own request and recorder (21 of them, as
// for a bare handler writing bytes). Measured 79 and 442 when the budgets were first set (a bare handler encoding
// the same view with encoding/json: 28 and 161); 58 and 154 once views were encoded without reflection, item by
// item (jsonenc_gen.go, writeList); 34 and 47 since a request keeps its state in one allocation (requestState),
// the scope and the unit's now in one context node each, and the vehicle reads encode the stored card straight,
// without a copy or a view (catalog.VehicleReader, appendVehicleJSON); 30 and 43 since authentication scopes the
// request's own context (no scope node, no second request) and the request id is written into the request's
// state; 29 and 42 since the log line's per-user fields are the logger handler's (requestLogHandlers), so that the
// record holds its five in its own array; a page 38 since its next cursor is written without json.Marshal
// (crm.List.Cursor); GET one 28 since its ETag's text is the request writer's own (setETag); a page 34 since
// the vehicle list's order is a constant per sort, the status filter is read without a slice, the query stays on
// the stack and ReadVehicles keeps its query, function and results in one allocation. The budgets are those
// counts; under the race
// detector, which drops pooled buffers at random, raceAllocSlack more. A change that adds allocations per request
// or per item fails here, not in a timing.
func TestReadAllocationBudgets(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleReadOnly)
	one := f.createVehicle(f.a, vins[0])
	for i := range 24 {
		f.createVehicle(f.a, fmt.Sprintf("XTB%014d", i))
	}
	for _, c := range []struct {
		path   string
		budget float64
	}{
		{"/api/v1/vehicles/" + one, 28 + raceAllocSlack},
		{"/api/v1/vehicles?limit=20", 34 + 2*raceAllocSlack},
	} {
		allocs := testing.AllocsPerRun(50, func() {
			r := httptest.NewRequest("GET", c.path, nil)
			r.Header.Set("Authorization", "Bearer "+tok)
			w := httptest.NewRecorder()
			f.h.ServeHTTP(w, r)
			if w.Code != 200 {
				t.Fatalf("%s: %d %s", c.path, w.Code, w.Body)
			}
		})
		t.Logf("%s: %.0f allocations", c.path, allocs)
		if allocs > c.budget {
			t.Errorf("GET %s allocates %.0f times, budget %.0f", c.path, allocs, c.budget)
		}
	}
}
