package httpapi

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// badBody builds a body of type t with every member set, to values most rules refuse: "!" for strings, -1 for
// numbers, a UUID of no record for references, one element per list.
func badBody(t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case typeID:
		return crm.NewID().String()
	case typeDecText:
		return "-1"
	case typeStamp, typeTime:
		return "!"
	}
	switch t.Kind() {
	case reflect.String:
		return "!"
	case reflect.Bool:
		return true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Float32, reflect.Float64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return -1
	case reflect.Slice, reflect.Array:
		return []any{badBody(t.Elem())}
	case reflect.Map:
		return map[string]any{}
	case reflect.Struct:
		out := map[string]any{}
		for name, f := range jsonFields(t) {
			out[name] = badBody(f.Type)
		}
		return out
	}
	return nil
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// isBodyPath reports whether path ("interest.year", "lines[0].kind") names a member of a body of type t.
func isBodyPath(t reflect.Type, path string) bool {
	for _, seg := range strings.Split(indexRE.ReplaceAllString(path, ".[]"), ".") {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if seg == "[]" {
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return false
			}
			t = t.Elem()
			continue
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		f, ok := jsonFields(t)[seg]
		if !ok {
			return false
		}
		t = f.Type
	}
	return true
}

// TestInvalidFieldsAreNamedByTheRequestsOwnPaths sends every JSON body route an empty body and a body of bad values,
// and checks that each field a 422 names is a JSON path of that route's request (or one of its query parameters or
// headers): a client can put the message beside the input it came from.
func TestInvalidFieldsAreNamedByTheRequestsOwnPaths(t *testing.T) {
	f := newFixture(t)
	f.skipDocCheck = true
	w := f.newWorld(f.a)
	tok := f.a.token(crm.RoleAdmin)
	refused := 0
	for _, rt := range f.h.routes {
		if rt.Body == nil || rt.BodyType != "" || rt.Method == http.MethodGet {
			continue
		}
		bt := reflect.TypeOf(rt.Body)
		for name, body := range map[string]any{"empty": map[string]any{}, "bad": badBody(bt)} {
			res := f.do(req{method: rt.Method, path: w.fill(rt.Path), token: tok, body: body})
			if res.Status != http.StatusUnprocessableEntity {
				continue
			}
			refused++
			for _, field := range res.Fields() {
				if field == "If-Match" || declared(rt.Query, field) || namesStoredState(rt, field) {
					continue
				}
				assert.True(t, isBodyPath(bt, field), "%s %s (%s body): %q is not a path of %v\n%s", rt.Method, rt.Path, name, field, bt, res.Body)
			}
		}
	}
	assert.Greater(t, refused, 20, "enough bodies were refused for the check to mean something")
}

// namesStoredState reports whether a 422 of rt names a field of the stored record rather than of the request: a
// win is refused when the sale's stored order or amount cannot make a contract (the order's lines, a line's
// price, the sale's amount), whatever the request said.
func namesStoredState(rt route, field string) bool {
	if rt.Method != http.MethodPost || rt.Path != "/api/v1/sales/{id}/win" {
		return false
	}
	return field == "amount" || strings.HasPrefix(field, "order.lines")
}

func TestEveryMisfitFieldIsNamedInOneAnswer(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleAdmin)
	res := f.must(422, post("/api/v1/leads", tok, map[string]any{"name": "Иван", "phone": "+79000000000",
		"source": "website", "need_type": "car_purchase", "owner_id": "nope", "bogus": 1,
		"interest": map[string]any{"vehicle_id": "zz", "year": "2020"}}))
	assert.Equal(t, []string{"bogus", "interest.vehicle_id", "interest.year", "owner_id"}, res.Fields(),
		"unknown members, malformed UUIDs and wrong types, all at once, by the request's paths\n%s", res.Body)
	assert.Equal(t, "invalid_input", res.Str("code"))

	res = f.must(422, post("/api/v1/orders/"+crm.NewID().String()+"/lines", tok, map[string]any{"kind": "part",
		"catalog_ref_id": "12345", "quantity": true}))
	assert.Subset(t, res.Fields(), []string{"catalog_ref_id", "quantity"}, "%s", res.Body)

	res = f.must(422, post("/api/v1/leads", tok, map[string]any{"phone": "abc", "source": "x"}))
	assert.ElementsMatch(t, []string{"name", "phone", "phone", "source", "need_type"}, res.Fields(),
		"domain rules named by the body's own paths (phone, not contact.phone)\n%s", res.Body)
	assert.NotContains(t, res.Str("detail"), "contact.")
	res = f.must(422, post("/api/v1/leads", tok, map[string]any{"name": "Иван", "phones": []string{"abc"},
		"source": "website", "need_type": "car_purchase"}))
	assert.Contains(t, res.Fields(), "phones")
}

// TestMisfitsAndRuleBreachesShareOneAnswer sends bodies that both misfit their type (a malformed UUID, a wrong
// JSON type, an unknown member) and break the domain's rules (a missing name, a bad phone): one 422 names them
// all, and nothing is saved, also when the members that fit would have made a valid record.
func TestMisfitsAndRuleBreachesShareOneAnswer(t *testing.T) {
	onBothAdapters(t, testMisfitsAndRuleBreachesShareOneAnswer)
}

func testMisfitsAndRuleBreachesShareOneAnswer(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleAdmin)
	count := func() float64 {
		return f.must(200, get("/api/v1/leads?count=true", tok)).JSON()["total"].(float64)
	}
	before := count()

	res := f.must(422, post("/api/v1/leads", tok, map[string]any{"phone": "abc", "source": "website",
		"need_type": "car_purchase", "owner_id": "nope", "bogus": 1}))
	assert.Subset(t, res.Fields(), []string{"bogus", "owner_id", "name", "phone"},
		"the body's misfits and the domain's rules in one answer\n%s", res.Body)
	assert.Empty(t, res.Header.Get("Location"))

	res = f.must(422, post("/api/v1/leads", tok, map[string]any{"name": "Иван", "phone": "+79000000000",
		"source": "website", "need_type": "car_purchase", "owner_id": "nope"}))
	assert.Equal(t, []string{"owner_id"}, res.Fields(), "valid apart from the misfit: refused all the same\n%s", res.Body)
	assert.Empty(t, res.Header.Get("Location"))
	assert.Empty(t, res.Header.Get("ETag"))
	assert.Equal(t, before, count(), "nothing was saved")

	lead := f.must(201, post("/api/v1/leads", tok, map[string]any{"name": "Пётр", "phone": "+79000000001",
		"source": "website", "need_type": "car_purchase"}))
	res = f.must(422, patch("/api/v1/leads/"+lead.Str("id"), tok, map[string]any{"comments": "позвонить",
		"owner_id": "nope", "source": "carrier pigeon"}))
	assert.ElementsMatch(t, []string{"owner_id", "source"}, res.Fields(), "%s", res.Body)
	again := f.must(200, get("/api/v1/leads/"+lead.Str("id"), tok))
	assert.Equal(t, lead.Header.Get("ETag"), again.Header.Get("ETag"), "the patch changed nothing")
	assert.Empty(t, again.Str("comments"))
}
