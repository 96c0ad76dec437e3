package httpapi

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// TestSaleBodiesCannotNameAnotherDealersRecords: an owner_id naming another dealer's user, or an order line's
// catalog_ref_id naming another dealer's part, is a 422 naming the field, and nothing is written.
func TestSaleBodiesCannotNameAnotherDealersRecords(t *testing.T) {
	onBothAdapters(t, testSaleBodiesCannotNameAnotherDealersRecords)
}

func testSaleBodiesCannotNameAnotherDealersRecords(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	foreignUser := f.b.users[crm.RoleSalesManager].ID.String()
	foreignPart := f.must(201, post("/api/v1/parts", f.b.token(crm.RoleSalesManager), map[string]any{"number": "8450000001",
		"name": "Фильтр масляный", "quantity": 1, "price": map[string]any{"amount": "500", "currency": "RUB"}})).Str("id")
	cust := f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")

	assert.Equal(t, []string{"owner_id"}, f.must(422, post("/api/v1/sales", tok, map[string]any{"customer_id": cust,
		"owner_id": foreignUser})).Fields())
	assert.Empty(t, f.must(200, get("/api/v1/sales", tok)).JSON()["items"], "the refused sale is not saved")

	res := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": cust,
		"owner_id": f.a.users[crm.RoleAdmin].ID.String()}))
	sid, etag := res.Str("id"), res.Header.Get("ETag")
	assert.Equal(t, []string{"owner_id"}, f.must(422, patch("/api/v1/sales/"+sid, tok, map[string]any{"owner_id": foreignUser}).
		with("If-Match", etag)).Fields())
	assert.Equal(t, etag, f.must(200, get("/api/v1/sales/"+sid, tok)).Header.Get("ETag"), "the refused patch writes nothing")

	oid := f.must(201, post("/api/v1/sales/"+sid+"/order", tok, nil)).Str("id")
	assert.Equal(t, []string{"catalog_ref_id"}, f.must(422, post("/api/v1/orders/"+oid+"/lines", tok, map[string]any{"kind": "part",
		"description": "Фильтр", "catalog_ref_id": foreignPart, "unit_price": map[string]any{"amount": "500", "currency": "RUB"}})).Fields())
	assert.Empty(t, f.must(200, get("/api/v1/orders/"+oid, tok)).JSON()["lines"])
}
