package httpapi

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

func TestRepeatedQueryParameterIsRefused(t *testing.T) {
	onBothAdapters(t, testRepeatedQueryParameterIsRefused)
}

// testRepeatedQueryParameterIsRefused: a query parameter given twice is a 422 naming it, on a list whose
// parameter is a set (given once, comma-separated, as the OpenAPI document says) and on one whose parameter
// takes one value; before, the first value was kept and the others dropped silently.
func testRepeatedQueryParameterIsRefused(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	res := f.must(422, get("/api/v1/vehicles?status=in_stock&status=reserved", tok))
	assert.Equal(t, []string{"status"}, res.Fields())
	assert.Contains(t, string(res.Body), "comma-separated")
	f.must(200, get("/api/v1/vehicles?status=in_stock,reserved", tok))
	res = f.must(422, get("/api/v1/leads?stage=new&stage=in_work&limit=5", tok))
	assert.Equal(t, []string{"stage"}, res.Fields())
	res = f.must(422, get("/api/v1/leads?limit=5&limit=6&stauts=x", tok))
	assert.Equal(t, []string{"stauts", "limit"}, res.Fields(), "the unknown and the repeated, in one problem")
}

func TestTakenExternalIDNamesTheField(t *testing.T) {
	onBothAdapters(t, testTakenExternalIDNamesTheField)
}

// testTakenExternalIDNamesTheField: an external ID another record of the dealer has is a 409 duplicate naming
// external_id in errors[], in the same words on both adapters.
func testTakenExternalIDNamesTheField(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	lead := func(phone string) map[string]any {
		return map[string]any{"name": "Иван Внешний", "phone": phone, "source": "website", "need_type": "car_purchase",
			"external_id": "WEB-42"}
	}
	f.must(201, post("/api/v1/leads", tok, lead("+7 916 180-00-01")))
	res := f.must(409, post("/api/v1/leads", tok, lead("+7 916 180-00-02")))
	assert.Equal(t, "duplicate", res.Str("code"))
	assert.Equal(t, []string{"external_id"}, res.Fields())
	assert.Contains(t, res.Str("detail"), crm.DuplicateSummary+": external_id "+crm.DuplicateMessage)
	customer := map[string]any{"name": "Олег Внешний", "phone": "+7 916 180-00-03", "external_id": "CRM-7"}
	f.must(201, post("/api/v1/customers", tok, customer))
	customer["phone"] = "+7 916 180-00-04"
	res = f.must(409, post("/api/v1/customers", tok, customer))
	assert.Equal(t, []string{"external_id"}, res.Fields())
	assert.Contains(t, res.Str("detail"), crm.DuplicateSummary+": external_id "+crm.DuplicateMessage)
}
