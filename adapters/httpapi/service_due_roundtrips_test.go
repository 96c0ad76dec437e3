package httpapi

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maintenanceDueBudget is the most round trips GET /api/v1/maintenance/due may make, however many cars the dealer
// has: the workshop calendar, a page of cars, all their readings at once, and the directory's plan looked up once
// per make, model and year of the cars bought elsewhere (make, model, generations, plans): 7 statements, one round
// trip each (binary parameters), in one read-only transaction from the second statement on (BEGIN, COMMIT).
const maintenanceDueBudget = 9

// TestMaintenanceDueRoundTripsDoNotGrow counts the round trips of GET /api/v1/maintenance/due on PostgreSQL with 3
// cars and with 30: the same number (it read each car's readings and plan apart before: 36 and 306 round trips,
// two per statement then), within maintenanceDueBudget, and the same answer for the first three cars.
func TestMaintenanceDueRoundTripsDoNotGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	db, trips := pgtest.OpenCounting(t)
	f := newFixtureOn(t, db)
	advisor, seller := f.a.token(crm.RoleServiceAdvisor), f.a.token(crm.RoleSalesManager)
	cat := catalog.NewService(crm.NewUnit[catalog.Stores](f.db, f.clock), f.clock)
	mk, err := cat.CreateMake(f.a.ctx, catalog.Make{Name: "Lada"})
	require.NoError(t, err)
	md, err := cat.CreateModel(f.a.ctx, catalog.Model{MakeID: mk.ID, Name: "Vesta"})
	require.NoError(t, err)
	f.must(201, post("/api/v1/maintenance-plans", advisor, map[string]any{"model_id": md.ID.String(), "name": "ТО",
		"interval_km": 15000, "interval_months": 12, "visits": []any{map[string]any{"name": "ТО-1",
			"works": []any{map[string]any{"name": "Масло"}}}}}))
	customer := f.must(201, post("/api/v1/customers", advisor, map[string]any{"name": "Олег Рябов", "phone": "+79001112233"})).Str("id")
	addCars := func(from, to int) {
		for i := from; i < to; i++ {
			car := f.must(201, post("/api/v1/customer-vehicles", advisor, map[string]any{"customer_id": customer,
				"vin": fmt.Sprintf("XTAGFK440LY%06d", i), "make": "Lada", "model": "Vesta", "year": 2022, "odometer_km": 1000 * i,
				"in_service_since": epoch.AddDate(0, -11, -i).Format(time.RFC3339)})).Str("id")
			f.must(201, post("/api/v1/customer-vehicles/"+car+"/mileage", advisor, map[string]any{"km": 1000*i + 500}))
		}
	}
	measure := func() (int, []string, []map[string]any) {
		trips.Reset()
		items := f.must(200, get("/api/v1/maintenance/due?within_days=3660&limit=100", seller)).Items()
		return trips.Count(), trips.Statements(), items
	}
	addCars(0, 3)
	measure() // warm: the pool, the token
	few, _, first := measure()
	addCars(3, 30)
	many, stmts, all := measure()
	t.Logf("GET /api/v1/maintenance/due: %d round trips with 3 cars, %d with 30:\n\t%s", few, many, strings.Join(stmts, "\n\t"))
	assert.Equal(t, few, many, "the round trips do not grow with the cars")
	assert.LessOrEqual(t, many, maintenanceDueBudget)
	require.Len(t, first, 3)
	require.Len(t, all, 30)
	for _, m := range first {
		found := false
		for _, n := range all {
			if n["customer_vehicle_id"] == m["customer_vehicle_id"] {
				found = true
				assert.Equal(t, m, n)
			}
		}
		assert.True(t, found, "%v", m["customer_vehicle_id"])
	}
}
