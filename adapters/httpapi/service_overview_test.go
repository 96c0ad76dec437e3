package httpapi

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCarOverviewOverHTTP: GET /api/v1/customer-vehicles/{id}/overview shows the car, its visits with their
// states, its warranties with their status, its maintenance and its readings; a sales role reads it; another
// dealer's car is 404.
func TestCarOverviewOverHTTP(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		advisor, seller := f.a.token(crm.RoleServiceAdvisor), f.a.token(crm.RoleSalesManager)
		car := f.handCar(f.a, "Z94CB41AAGR000004", 10000)
		visit := f.must(201, post("/api/v1/service-appointments", advisor, map[string]any{"customer_vehicle_id": car, "bay": "3",
			"start": "2026-11-28T07:00:00Z", "end": "2026-11-28T08:00:00Z"})).Str("id")
		f.must(200, post("/api/v1/service-appointments/"+visit+"/arrive", advisor, map[string]any{"km": 10400}))
		f.must(200, post("/api/v1/service-appointments/"+visit+"/start", advisor, nil))
		f.must(200, post("/api/v1/service-appointments/"+visit+"/complete", advisor, map[string]any{"km": 10410}))
		booked := f.must(201, post("/api/v1/service-appointments", advisor, map[string]any{"customer_vehicle_id": car, "bay": "1",
			"start": "2026-11-29T07:00:00Z", "end": "2026-11-29T08:00:00Z"})).Str("id")
		f.must(201, post("/api/v1/customer-vehicles/"+car+"/warranties", advisor, map[string]any{"kind": "dealer",
			"start": "2026-11-27", "end": "2027-11-27", "km_limit": 50000, "systems": []any{"engine"}}))

		o := f.must(200, get("/api/v1/customer-vehicles/"+car+"/overview", seller)).JSON()
		cv := o["customer_vehicle"].(map[string]any)
		assert.Equal(t, car, cv["id"])
		assert.EqualValues(t, 10410, cv["odometer_km"])
		assert.Equal(t, []any{}, o["sales"], "a car bought elsewhere")
		visits := o["service_visits"].([]any)
		require.Len(t, visits, 2)
		assert.Equal(t, []any{"done", "booked"}, []any{visits[0].(map[string]any)["status"], visits[1].(map[string]any)["status"]})
		assert.Equal(t, booked, visits[1].(map[string]any)["id"])
		assert.Equal(t, visit, o["last_visit"].(map[string]any)["id"])
		ws := o["warranties"].([]any)
		require.Len(t, ws, 1)
		assert.Equal(t, "active", ws[0].(map[string]any)["status"])
		m := o["maintenance"].(map[string]any)
		assert.Nil(t, m["next_due_date"], "a Kia the directory has no plan for")
		assert.EqualValues(t, 10410, m["last_km"])
		kms := []any{}
		for _, r := range o["mileage_readings"].([]any) {
			kms = append(kms, r.(map[string]any)["km"])
		}
		assert.ElementsMatch(t, []any{10000.0, 10400.0, 10410.0}, kms, "the fixture's clock stands still: readings of one moment")
		assert.NotEmpty(t, o["today"])

		f.must(404, get("/api/v1/customer-vehicles/"+car+"/overview", f.b.token(crm.RoleSalesManager)))
		f.must(404, get("/api/v1/customer-vehicles/"+crm.NewID().String()+"/overview", seller))
	})
}
