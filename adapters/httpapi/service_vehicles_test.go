package httpapi

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handCar records a car bought elsewhere for a new customer of d over HTTP and returns its ID.
func (f *fixture) handCar(d dealerFixture, vin string, km int) string {
	f.t.Helper()
	tok := d.token(crm.RoleServiceAdvisor)
	customer := f.must(201, post("/api/v1/customers", tok, map[string]any{"name": "Олег Рябов", "phone": "+7900" + vin[len(vin)-7:]})).Str("id")
	return f.must(201, post("/api/v1/customer-vehicles", tok, map[string]any{"customer_id": customer, "vin": vin,
		"make": "Kia", "model": "Rio", "year": 2021, "odometer_km": km,
		"in_service_since": epoch.AddDate(0, -6, 0).Format(time.RFC3339)})).Str("id")
}

func TestCustomerVehicleUpkeep(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		advisor, seller := f.a.token(crm.RoleServiceAdvisor), f.a.token(crm.RoleSalesManager)
		id := f.handCar(f.a, "Z94CB41AAGR000001", 30000)
		car := f.must(200, get("/api/v1/customer-vehicles/"+id, seller))
		assert.Nil(t, car.JSON()["vehicle_id"], "no catalog vehicle")
		assert.EqualValues(t, 30000, car.JSON()["odometer_km"])
		f.must(403, post("/api/v1/customer-vehicles", seller, map[string]any{"customer_id": car.Str("customer_id"), "vin": "Z94CB41AAGR000009", "make": "Kia", "year": 2019}))

		bad := f.must(422, post("/api/v1/customer-vehicles", advisor, map[string]any{"customer_id": "nope", "odometer_km": -1}))
		assert.Subset(t, bad.Fields(), []string{"customer_id", "odometer_km"})
		bad = f.must(422, post("/api/v1/customer-vehicles", advisor, map[string]any{"customer_id": car.Str("customer_id"),
			"vin": "Z94CB41AAGR00000O", "make": "Kia", "year": 1885}))
		assert.ElementsMatch(t, []string{"vin", "year"}, bad.Fields(), "a VIN with the letter O, a year before the first car")
		dup := f.must(409, post("/api/v1/customer-vehicles", advisor, map[string]any{"customer_id": car.Str("customer_id"),
			"vin": "z94cb41aagr000001", "make": "Kia", "year": 2021}))
		assert.Equal(t, "duplicate", dup.Str("code"), "the dealer already has this VIN")
		f.handCar(f.b, "Z94CB41AAGR000001", 1000) // another dealer may know the same car

		f.clock.Advance(24 * time.Hour)
		res := f.must(201, post("/api/v1/customer-vehicles/"+id+"/mileage", advisor, map[string]any{"km": 31000}))
		assert.EqualValues(t, 31000, res.JSON()["km"])
		assert.Equal(t, "manual", res.Str("source"))
		low := f.must(409, post("/api/v1/customer-vehicles/"+id+"/mileage", advisor, map[string]any{"km": 30999}))
		assert.Equal(t, "mileage_below_last_reading", low.Str("code"))
		f.must(403, post("/api/v1/customer-vehicles/"+id+"/mileage", seller, map[string]any{"km": 32000}))
		f.must(422, post("/api/v1/customer-vehicles/"+id+"/mileage", advisor, map[string]any{}))
		fixed := f.must(201, post("/api/v1/customer-vehicles/"+id+"/mileage", advisor,
			map[string]any{"km": 30500, "at": f.clock.Now().Format(time.RFC3339), "correction_reason": "опечатка"}))
		assert.Equal(t, "опечатка", fixed.Str("correction_reason"))
		items := f.must(200, get("/api/v1/customer-vehicles/"+id+"/mileage", seller)).Items()
		require.Len(t, items, 3)
		assert.EqualValues(t, 30500, f.must(200, get("/api/v1/customer-vehicles/"+id, seller)).JSON()["odometer_km"])

		next := f.must(201, post("/api/v1/customers", advisor, map[string]any{"name": "Вера Новикова", "phone": "+79007770001"})).Str("id")
		res = f.must(200, patch("/api/v1/customer-vehicles/"+id, advisor, map[string]any{"customer_id": next,
			"owner_change_reason": "продажа", "insurance": map[string]any{"insurer": "РЕСО", "policy_number": "ХХХ 9"}}))
		assert.Equal(t, next, res.Str("customer_id"))
		owners := res.JSON()["owner_history"].([]any)
		require.Len(t, owners, 1)
		assert.Equal(t, "продажа", owners[0].(map[string]any)["reason"])
		res = f.must(200, patch("/api/v1/customer-vehicles/"+id, advisor, map[string]any{"insurance": map[string]any{"insurer": "Согаз", "policy_number": "ХХХ 10"}}))
		assert.Len(t, res.JSON()["past_insurance"], 1, "the renewal keeps the old policy")
		f.must(422, patch("/api/v1/customer-vehicles/"+id, advisor, map[string]any{"odometer_km": 1}))
		f.must(404, patch("/api/v1/customer-vehicles/"+id, advisor, map[string]any{"customer_id": crm.NewID().String()}))
	})
}
