package httpapi

import (
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenAPIEnumsComeFromTheGoTypes checks that closed sets are enums with exactly their Go type's values, that
// fields refer to them, and the other promises a client generator relies on (formats, page limits).
func TestOpenAPIEnumsComeFromTheGoTypes(t *testing.T) {
	f := newFixture(t)
	doc := loadOpenAPI(t, f.h)
	enum := func(name string) []string {
		t.Helper()
		ref, ok := doc.Components.Schemas[name]
		require.True(t, ok, "component %s", name)
		var out []string
		for _, v := range ref.Value.Enum {
			out = append(out, v.(string))
		}
		return out
	}
	assert.Equal(t, valuesOf(ProblemCodes()), enum("ErrorCode"))
	assert.Contains(t, enum("ErrorCode"), string(crm.CodeTestDriveOverlap))
	assert.Equal(t, valuesOf(leads.Sources), enum("LeadSource"))
	assert.Equal(t, valuesOf(catalog.Statuses()), enum("VehicleStatus"))
	assert.Equal(t, valuesOf(sales.PaymentMethods()), enum("PaymentMethod"))
	assert.Equal(t, valuesOf(sales.LineKinds()), enum("LineKind"))
	assert.Equal(t, valuesOf(crm.AllRoles()), enum("Role"))
	for _, e := range enums() {
		assert.Equal(t, e.values, enum(e.name), e.name)
	}

	field := func(schema, prop string) string {
		t.Helper()
		s := doc.Components.Schemas[schema].Value.Properties[prop]
		require.NotNil(t, s, "%s.%s", schema, prop)
		if s.Ref != "" {
			return s.Ref
		}
		if len(s.Value.AllOf) > 0 {
			return s.Value.AllOf[0].Ref
		}
		return s.Value.Format
	}
	assert.Equal(t, "#/components/schemas/ErrorCode", field("Problem", "code"))
	assert.Equal(t, "#/components/schemas/LeadSource", field("LeadInput", "source"))
	assert.Equal(t, "#/components/schemas/VehicleStatus", field("Vehicle", "status"))
	assert.Equal(t, "#/components/schemas/PaymentMethod", field("SaleInput", "payment_method"))
	assert.Equal(t, "date-time", field("TestDriveInput", "start"))
	assert.Equal(t, "date", field("CustomerInput", "birth_date"))
	assert.Equal(t, "date-time", field("Vehicle", "created_at"))

	list := doc.Paths.Find("/api/v1/leads").Get
	for _, p := range list.Parameters {
		if p.Value.Name == "limit" {
			assert.EqualValues(t, f.h.limits.MaxPageSize, *p.Value.Schema.Value.Max)
			assert.EqualValues(t, f.h.limits.DefaultPageSize, p.Value.Schema.Value.Default)
		}
	}
}

func TestUnknownQueryParametersAreRefused(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleAdmin)
	res := f.must(422, get("/api/v1/vehicles?stauts=sold&limit=5&colour=red", tok))
	assert.Equal(t, []string{"colour", "stauts"}, res.Fields(), "every unknown parameter, in one answer")
	assert.Equal(t, "invalid_input", res.Str("code"))
	f.must(422, get("/api/v1/leads/"+crm.NewID().String()+"?x=1", tok))
	f.must(200, get("/api/v1/vehicles?status=in_stock,sold&limit=5", tok))
}
