package httpapi

import (
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServiceAppointmentsOverHTTP(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		advisor, seller := f.a.token(crm.RoleServiceAdvisor), f.a.token(crm.RoleSalesManager)
		car := f.handCar(f.a, "Z94CB41AAGR000002", 10000)
		ws := f.must(200, get("/api/v1/settings/workshop", seller))
		assert.Len(t, ws.JSON()["bays"], 3)
		body := map[string]any{"customer_vehicle_id": car, "bay": "1", "start": "2026-11-28T07:00:00Z", "end": "2026-11-28T08:00:00Z"}
		f.must(403, post("/api/v1/service-appointments", seller, body))

		// 50 requests race for the last slot of bay 1: one 201, 49 409 service_bay_taken
		var wg sync.WaitGroup
		statuses := make([]int, 50)
		codes := make([]string, 50)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := f.do(post("/api/v1/service-appointments", advisor, body))
				statuses[i] = res.Status
				if res.Status == 409 {
					codes[i] = res.Str("code")
				}
			}()
		}
		wg.Wait()
		won := 0
		for i, s := range statuses {
			if s == 201 {
				won++
				continue
			}
			assert.Equal(t, 409, s)
			assert.Equal(t, "service_bay_taken", codes[i])
		}
		assert.Equal(t, 1, won)
		// the same car in another bay at that time: it stands in one bay at a time
		assert.Equal(t, "customer_vehicle_booked", f.must(409, post("/api/v1/service-appointments", advisor,
			map[string]any{"customer_vehicle_id": car, "bay": "2", "start": "2026-11-28T07:30:00Z", "end": "2026-11-28T08:30:00Z"})).Str("code"))
		bad := f.must(422, post("/api/v1/service-appointments", advisor, map[string]any{"customer_vehicle_id": car, "bay": "7",
			"start": "2026-11-28T03:00:00Z"}))
		assert.Subset(t, bad.Fields(), []string{"bay", "start"})

		q := url.Values{"from": {"2026-11-28T00:00:00Z"}, "to": {"2026-11-29T00:00:00Z"}, "bay": {"1"}}
		items := f.must(200, get("/api/v1/service-appointments?"+q.Encode(), seller)).Items()
		require.Len(t, items, 1)
		id := items[0]["id"].(string)
		slots := f.must(200, get("/api/v1/service-slots?"+q.Encode()+"&limit=100", seller)).Items()
		for _, s := range slots {
			assert.NotEqual(t, "2026-11-28T07:00:00.000000Z", s["start"], "the booked slot is not free")
		}
		assert.Len(t, slots, 20, "22 half-hour slots of 09:00–20:00 Moscow, less the booked hour")

		res := f.must(200, patch("/api/v1/service-appointments/"+id, advisor, map[string]any{"start": "2026-11-28T08:00:00Z"}))
		assert.Equal(t, "2026-11-28T09:00:00.000000Z", res.Str("end"), "the duration is kept")
		f.must(409, post("/api/v1/service-appointments/"+id+"/complete", advisor, nil))
		f.must(200, post("/api/v1/service-appointments/"+id+"/arrive", advisor, map[string]any{"km": 10500}))
		f.must(200, post("/api/v1/service-appointments/"+id+"/start", advisor, nil))
		done := f.must(200, post("/api/v1/service-appointments/"+id+"/complete", advisor, map[string]any{"km": 10510}))
		assert.Equal(t, "done", done.Str("status"))
		st := f.must(409, post("/api/v1/service-appointments/"+id+"/cancel", advisor, nil))
		assert.Equal(t, "appointment_status_not_allowed", st.Str("code"))
		assert.EqualValues(t, 10510, f.must(200, get("/api/v1/customer-vehicles/"+car, seller)).JSON()["odometer_km"])
	})
}

func TestMaintenanceAndWarrantiesOverHTTP(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		advisor, seller := f.a.token(crm.RoleServiceAdvisor), f.a.token(crm.RoleSalesManager)
		car := f.handCar(f.a, "Z94CB41AAGR000003", 10000)
		m := f.must(200, get("/api/v1/customer-vehicles/"+car+"/maintenance", seller)).JSON()
		assert.Nil(t, m["next_due_date"], "no plan")
		assert.Equal(t, false, m["overdue"])

		model := f.directoryModel(f.a)
		plan := f.must(201, post("/api/v1/maintenance-plans", advisor, map[string]any{"model_id": model, "name": "ТО",
			"interval_km": 15000, "interval_months": 12, "visits": []any{map[string]any{"name": "ТО-1",
				"works": []any{map[string]any{"name": "Масло"}}}}}))
		f.must(422, post("/api/v1/maintenance-plans", advisor, map[string]any{"model_id": model, "name": "",
			"interval_km": 0, "interval_months": 12, "visits": []any{}}))
		plans := f.must(200, get("/api/v1/maintenance-plans?model_id="+model, seller)).Items()
		require.Len(t, plans, 1)
		assert.Equal(t, plan.Str("id"), plans[0]["id"])
		due := f.must(200, get("/api/v1/maintenance/due?within_days=400", seller)).Items()
		assert.Empty(t, due, "the hand-made car's model is not in the directory")

		w := f.must(201, post("/api/v1/customer-vehicles/"+car+"/warranties", advisor, map[string]any{"kind": "dealer",
			"start": "2026-11-27", "end": "2027-11-27", "km_limit": 50000, "systems": []any{"engine"}}))
		assert.Equal(t, "active", w.Str("status"))
		f.must(422, post("/api/v1/customer-vehicles/"+car+"/warranties", advisor, map[string]any{"kind": "x", "start": "2026-11-27",
			"end": "2026-11-27", "systems": []any{}}))
		cov := func(date string, km int, system string) map[string]any {
			return f.must(200, get(fmt.Sprintf("/api/v1/warranties/coverage?customer_vehicle_id=%s&date=%s&km=%d&system=%s", car, date, km, system), seller)).JSON()
		}
		c := cov("2027-11-26", 49999, "engine")
		assert.Equal(t, true, c["covered"])
		assert.Equal(t, w.Str("id"), c["warranty_id"])
		c = cov("2027-11-27", 100, "engine")
		assert.Equal(t, false, c["covered"])
		assert.Nil(t, c["warranty_id"])
		assert.Contains(t, c["reason"], "ended on 2027-11-27")
		assert.Contains(t, cov("2027-01-01", 50000, "engine")["reason"], "ends at 50000 km")
		assert.Contains(t, cov("2027-01-01", 10, "brakes")["reason"], "no warranty of the car covers")
		f.must(422, get("/api/v1/warranties/coverage?customer_vehicle_id="+car+"&date=27.11.2026", seller))
		f.must(404, get("/api/v1/warranties/coverage?customer_vehicle_id="+crm.NewID().String()+"&system=engine", seller))
		assert.Len(t, f.must(200, get("/api/v1/warranties/expiring?within_days=366", seller)).Items(), 1)
		assert.Empty(t, f.must(200, get("/api/v1/warranties/expiring?within_days=30", seller)).Items())

		// a warranty is voided with a reason (If-Match), covers nothing from then on, and is not voided twice
		wid := w.Str("id")
		assert.Equal(t, "active", f.must(200, get("/api/v1/warranties/"+wid, seller)).Str("status"))
		f.must(403, post("/api/v1/warranties/"+wid+"/void", seller, map[string]any{"reason": "x"}))
		f.must(422, post("/api/v1/warranties/"+wid+"/void", advisor, map[string]any{"reason": " "}))
		f.must(412, post("/api/v1/warranties/"+wid+"/void", advisor, map[string]any{"reason": "пробег скручен"}).with("If-Match", `"9"`))
		void := f.must(200, post("/api/v1/warranties/"+wid+"/void", advisor, map[string]any{"reason": "пробег скручен"}).with("If-Match", `"1"`)).JSON()
		assert.Equal(t, "void", void["status"])
		assert.Equal(t, "warranty_status_not_allowed", f.must(409, post("/api/v1/warranties/"+wid+"/void", advisor,
			map[string]any{"reason": "ещё раз"})).Str("code"))
		c = cov("2027-01-01", 10, "engine")
		assert.Equal(t, false, c["covered"])
		assert.Contains(t, c["reason"], "void: пробег скручен")
		f.must(404, get("/api/v1/warranties/"+crm.NewID().String(), seller))

		// warranty work outside the warranty is refused with the reason
		res := f.must(409, post("/api/v1/service-appointments", advisor, map[string]any{"customer_vehicle_id": car, "bay": "2",
			"start": "2026-11-28T07:00:00Z", "warranty_system": "brakes"}))
		assert.Equal(t, "warranty_not_covered", res.Str("code"))
		_ = time.Now
	})
}
