package httpapi

import (
	"fmt"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// TestConcurrentWritesWithOneIfMatch is the lost-update race seen from outside: 20 clients send a write with the
// same If-Match at once; exactly one gets 200 and the other 19 get 412, because the version is checked inside
// the unit of work that writes (never in a separate read).
func TestConcurrentWritesWithOneIfMatch(t *testing.T) {
	onBothAdapters(t, testConcurrentWritesWithOneIfMatch)
}

func testConcurrentWritesWithOneIfMatch(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleAdmin)
	vehicle := f.createVehicle(f.a, vins[0])
	part := f.must(201, post("/api/v1/parts", tok, map[string]any{"number": "8450000001", "name": "Фильтр масляный",
		"quantity": 100, "price": map[string]any{"amount": "650", "currency": "RUB"}})).Str("id")
	lead := f.createLead(f.a, "Гонка Писателей", "+79001112233")
	customer := f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")
	sale := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": customer})).Str("id")
	order := f.must(201, post("/api/v1/sales/"+sale+"/order", tok, nil)).Str("id")

	for _, c := range []struct {
		name, record, method, path string
		ok                         int // the one success's status
		body                       func(i int) any
	}{
		{"VehicleStatus", "/api/v1/vehicles/" + vehicle, "POST", "/status", 200, func(i int) any {
			return map[string]any{"status": []string{"unavailable", "in_transit"}[i%2]}
		}},
		{"VehicleCard", "/api/v1/vehicles/" + vehicle, "PATCH", "", 200, func(i int) any { return map[string]any{"mileage": i + 1} }},
		{"PartStock", "/api/v1/parts/" + part, "POST", "/stock", 200, func(int) any { return map[string]any{"delta": -1} }},
		{"LeadEdit", "/api/v1/leads/" + lead, "PATCH", "", 200, func(i int) any { return map[string]any{"comments": fmt.Sprint(i)} }},
		{"SaleEdit", "/api/v1/sales/" + sale, "PATCH", "", 200, func(i int) any {
			return map[string]any{"amount": map[string]any{"amount": fmt.Sprint(1400000 + i), "currency": "RUB"}}
		}},
		{"OrderLine", "/api/v1/orders/" + order, "POST", "/lines", 201, func(i int) any {
			return map[string]any{"kind": "other", "description": fmt.Sprintf("Сбор %d", i), "quantity": "1",
				"unit_price": map[string]any{"amount": "100", "currency": "RUB"}}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			etag := f.must(200, get(c.record, tok)).Header.Get("ETag")
			statuses := make([]int, 20)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range statuses {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					statuses[i] = f.do(req{method: c.method, path: c.record + c.path, token: tok, body: c.body(i)}.with("If-Match", etag)).Status
				}()
			}
			close(start)
			wg.Wait()
			counts := map[int]int{}
			for _, s := range statuses {
				counts[s]++
			}
			assert.Equal(t, map[int]int{c.ok: 1, 412: 19}, counts, "one %d, the rest 412", c.ok)
		})
	}
}
