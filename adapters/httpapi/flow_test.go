package httpapi

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vins are valid VINs (ISO structure; the first two also carry a correct check digit).
var vins = []string{"1M8GDM9AXKP042788", "1G4AH59H45G118341", "XTA21700080000001", "WVWZZZ1JZXW000001",
	"Z94CB41AAGR323020", "KNAFX411BB5123456", "JTDBR32E720012345", "VF1RFB00056789012"}

func vehicleBody(vin string) map[string]any {
	return map[string]any{"vin": vin, "make": "Lada", "model": "Vesta", "trim": "Comfort", "year": 2026,
		"color": "белый", "list_price": map[string]any{"amount": "1450000.00", "currency": "RUB"}}
}

func leadBody(name, phone string) map[string]any {
	return map[string]any{"name": name, "phone": phone, "email": "", "need_type": "car_purchase", "source": "website"}
}

// slot returns the RFC 3339 start and end of the n-th half-hour slot after 10:00 UTC (13:00 in Moscow) on the
// fixture's day.
func slot(n int) (string, string) {
	s := epoch.Add(time.Hour + time.Duration(n)*30*time.Minute)
	return s.Format(time.RFC3339), s.Add(30 * time.Minute).Format(time.RFC3339)
}

// createVehicle adds a vehicle of dealer d and returns its id.
func (f *fixture) createVehicle(d dealerFixture, vin string) string {
	f.t.Helper()
	return f.must(201, post("/api/v1/vehicles", d.token(crm.RoleSalesManager), vehicleBody(vin))).Str("id")
}

// createLead adds a lead of dealer d and returns its id.
func (f *fixture) createLead(d dealerFixture, name, phone string) string {
	f.t.Helper()
	return f.must(201, post("/api/v1/leads", d.token(crm.RoleSalesManager), leadBody(name, phone))).Str("id")
}

func TestCoreFlow(t *testing.T) { onBothAdapters(t, testCoreFlow) }

func testCoreFlow(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)

	// Vehicles.
	res := f.must(201, post("/api/v1/vehicles", tok, vehicleBody(vins[0])))
	vehicle := res.JSON()
	vid := res.Str("id")
	assert.Equal(t, "in_stock", vehicle["status"])
	assert.Equal(t, map[string]any{"amount": "1450000.00", "currency": "RUB"}, vehicle["list_price"])
	assert.Equal(t, `"1"`, res.Header.Get("ETag"))
	assert.NotContains(t, vehicle, "dealer_id")
	bad := f.must(422, post("/api/v1/vehicles", tok, vehicleBody("1M8GDM9A0KP04278")))
	assert.Contains(t, bad.Fields(), "vin")
	f.must(200, get("/api/v1/vehicles/"+vid, tok))

	// Leads.
	res = f.must(201, post("/api/v1/leads", tok, leadBody("Иван Петров", "+7 900 000-00-00")))
	lid := res.Str("id")
	lead := res.JSON()
	assert.Equal(t, "Иван Петров", lead["name"])
	assert.Equal(t, "+79000000000", lead["phone"])
	assert.Equal(t, "car_purchase", lead["need_type"])
	assert.Equal(t, "website", lead["source"])
	assert.Equal(t, "new", lead["stage"])
	f.must(200, get("/api/v1/leads/"+lid, tok))

	// A test drive reserves the vehicle; an overlapping one is refused.
	start, end := slot(0)
	res = f.must(201, post("/api/v1/leads/"+lid+"/test-drives", tok, map[string]any{"vehicle_id": vid, "start": start, "end": end}))
	drive := res.Str("id")
	assert.Equal(t, "booked", res.Str("status"))
	assert.Equal(t, strings.Replace(start, "Z", ".000000Z", 1), res.Str("start"))
	assert.Equal(t, "reserved", f.must(200, get("/api/v1/vehicles/"+vid, tok)).Str("status"))
	reserved := f.must(200, get("/api/v1/vehicles?status=reserved&make=Lada&model=Vesta", tok)).Items()
	require.Len(t, reserved, 1)
	assert.Equal(t, vid, reserved[0]["id"])
	other := f.createLead(f.a, "Анна Смирнова", "+7 900 111-11-11")
	assert.Equal(t, "test_drive_overlap", f.must(409, post("/api/v1/leads/"+other+"/test-drives", tok, map[string]any{"vehicle_id": vid, "start": start, "end": end})).Str("code"))
	calendar := f.must(200, get("/api/v1/vehicles/"+vid+"/test-drives", tok)).Items()
	require.Len(t, calendar, 1)
	assert.Equal(t, drive, calendar[0]["id"])

	// Conversion: the test-drive vehicle becomes the sale's.
	res = f.must(201, post("/api/v1/leads/"+lid+"/convert", tok, nil))
	sale := res.JSON()
	sid := res.Str("id")
	for _, k := range []string{"id", "customer_id", "vehicle_id", "stage_id", "probability"} {
		assert.Contains(t, sale, k)
	}
	assert.Equal(t, vid, sale["vehicle_id"])
	assert.Equal(t, "converted", f.must(200, get("/api/v1/leads/"+lid, tok)).Str("stage"))

	// The sale, its ETag, and a stale If-Match.
	res = f.must(200, get("/api/v1/sales/"+sid, tok))
	etag := res.Header.Get("ETag")
	assert.Equal(t, fmt.Sprintf(`"%v"`, res.JSON()["version"]), etag)

	stages := f.must(200, get("/api/v1/sales-stages", tok)).Items()
	require.NotEmpty(t, stages)
	for _, st := range stages {
		for _, k := range []string{"id", "name", "order", "max_probability", "kind"} {
			assert.Contains(t, st, k)
		}
	}
	var next map[string]any
	for _, st := range stages {
		if st["kind"] == "open" && st["id"] != sale["stage_id"] && st["order"].(float64) > 1 {
			next = st
			break
		}
	}
	require.NotNil(t, next, "an open stage after the first")
	res = f.must(200, patch("/api/v1/sales/"+sid, tok, map[string]any{"stage_id": next["id"]}).with("If-Match", etag))
	assert.Equal(t, next["id"], res.Str("stage_id"))
	assert.Equal(t, next["max_probability"], res.JSON()["probability"])
	assert.NotEqual(t, etag, res.Header.Get("ETag"))
	assert.Equal(t, "stale_version", f.must(412, patch("/api/v1/sales/"+sid, tok, map[string]any{"probability": 1, "reason": "x"}).with("If-Match", etag)).Str("code"))
	assert.Equal(t, "stale_version", f.must(412, post("/api/v1/sales/"+sid+"/win", tok, map[string]any{}).with("If-Match", etag)).Str("code"))

	// Winning sells the vehicle and creates the customer vehicle.
	res = f.must(200, post("/api/v1/sales/"+sid+"/win", tok, map[string]any{"insurer": "Ингосстрах",
		"policy_number": "XXX-0001", "service_contract": true}))
	won := res.JSON()
	assert.Equal(t, "won", won["status"])
	assert.EqualValues(t, 100, won["probability"])
	cv, ok := won["customer_vehicle"].(map[string]any)
	require.True(t, ok, "customer_vehicle in %s", res.Body)
	assert.NotEmpty(t, cv["id"])
	assert.Equal(t, "Ингосстрах", cv["insurer"])
	assert.Equal(t, "sold", f.must(200, get("/api/v1/vehicles/"+vid, tok)).Str("status"))
	list := f.must(200, get("/api/v1/customer-vehicles?customer_id="+won["customer_id"].(string), tok)).Items()
	require.Len(t, list, 1)
	assert.Equal(t, cv["id"], list[0]["id"])
	assert.Equal(t, vins[0], list[0]["vin"])
	all := f.must(200, get("/api/v1/customer-vehicles?limit=1", tok))
	require.Len(t, all.Items(), 1, "the dealer's whole list needs no filter")
	assert.Equal(t, cv["id"], all.Items()[0]["id"])
	assert.Nil(t, all.JSON()["next_cursor"])
}

func TestTestDriveCancelReleasesTheVehicle(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	vid := f.createVehicle(f.a, vins[1])
	lid := f.createLead(f.a, "Иван Петров", "+79000000000")
	start, end := slot(2)
	drive := f.must(201, post("/api/v1/leads/"+lid+"/test-drives", tok, map[string]any{"vehicle_id": vid, "start": start, "end": end})).Str("id")
	res := f.must(200, post("/api/v1/test-drives/"+drive+"/cancel", tok, nil))
	assert.Equal(t, "cancelled", res.Str("status"))
	assert.Equal(t, "in_stock", f.must(200, get("/api/v1/vehicles/"+vid, tok)).Str("status"))
	assert.Equal(t, "test_drive_not_booked", f.must(409, post("/api/v1/test-drives/"+drive+"/cancel", tok, nil)).Str("code"))
}

func TestLostSaleReleasesTheVehicle(t *testing.T) { onBothAdapters(t, testLostSaleReleasesTheVehicle) }

func testLostSaleReleasesTheVehicle(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	vid := f.createVehicle(f.a, vins[2])
	cust := f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")
	sid := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": cust, "vehicle_id": vid})).Str("id")
	assert.Equal(t, "reserved", f.must(200, get("/api/v1/vehicles/"+vid, tok)).Str("status"))
	res := f.must(422, post("/api/v1/sales/"+sid+"/lose", tok, map[string]any{}))
	assert.Contains(t, res.Fields(), "reason")
	res = f.must(200, post("/api/v1/sales/"+sid+"/lose", tok, map[string]any{"reason": "купил в другом салоне"}))
	assert.Equal(t, "lost", res.Str("status"))
	assert.EqualValues(t, 0, res.JSON()["probability"])
	assert.Equal(t, "in_stock", f.must(200, get("/api/v1/vehicles/"+vid, tok)).Str("status"))
}

func TestConcurrentBookingsOfOneVehicle(t *testing.T) {
	onBothAdapters(t, testConcurrentBookingsOfOneVehicle)
}

func testConcurrentBookingsOfOneVehicle(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	vid := f.createVehicle(f.a, vins[3])
	const n = 50
	leadIDs := make([]string, n)
	for i := range leadIDs {
		leadIDs[i] = f.createLead(f.a, fmt.Sprintf("Клиент %d", i), fmt.Sprintf("+7900%07d", i))
	}
	start, end := slot(1)
	var created, conflicts atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := f.do(post("/api/v1/leads/"+leadIDs[i]+"/test-drives", tok, map[string]any{"vehicle_id": vid, "start": start, "end": end}))
			switch res.Status {
			case 201:
				created.Add(1)
			case 409:
				conflicts.Add(1)
			default:
				t.Errorf("status %d: %s", res.Status, res.Body)
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 1, created.Load())
	assert.EqualValues(t, n-1, conflicts.Load())
	assert.Len(t, f.must(200, get("/api/v1/vehicles/"+vid+"/test-drives", tok)).Items(), 1)
}

func TestReplayedDomainPOSTsCreateNothingTwice(t *testing.T) {
	onBothAdapters(t, testReplayedDomainPOSTsCreateNothingTwice)
}

func testReplayedDomainPOSTsCreateNothingTwice(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	vid := f.createVehicle(f.a, vins[0])
	lid := f.createLead(f.a, "Иван Петров", "+79000000000")
	start, end := slot(0)
	book := post("/api/v1/leads/"+lid+"/test-drives", tok, map[string]any{"vehicle_id": vid, "start": start, "end": end}).
		with(IdempotencyHeader, "book-1")
	first := f.must(201, book)
	again := f.must(201, book)
	assert.Equal(t, first.Body, again.Body)
	assert.Len(t, f.must(200, get("/api/v1/leads/"+lid+"/test-drives", tok)).Items(), 1)
	s2, e2 := slot(1)
	res := f.must(422, post("/api/v1/leads/"+lid+"/test-drives", tok, map[string]any{"vehicle_id": vid, "start": s2, "end": e2}).
		with(IdempotencyHeader, "book-1"))
	assert.Equal(t, []string{IdempotencyHeader}, res.Fields())

	convert := post("/api/v1/leads/"+lid+"/convert", tok, nil).with(IdempotencyHeader, "convert-1")
	sale := f.must(201, convert)
	assert.Equal(t, sale.Body, f.must(201, convert).Body)
	assert.Len(t, f.must(200, get("/api/v1/sales", tok)).Items(), 1)
	f.must(409, post("/api/v1/leads/"+lid+"/convert", tok, nil)) // without the key it runs, and is refused
}
