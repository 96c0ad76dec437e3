package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHealthAndReadiness(t *testing.T) {
	var down error
	f := newFixture(t, func(c *Config) { c.Ready = func(context.Context) error { return down } })
	f.must(200, get("/healthz", ""))
	f.must(200, get("/readyz", ""))
	down = errors.New("db gone: password=secret")
	res := f.must(503, get("/readyz", ""))
	assert.Equal(t, ProblemContentType, res.Header.Get("Content-Type"))
	assert.NotContains(t, string(res.Body), "secret")
	f.must(200, get("/healthz", ""))
}

func TestMuxErrorsAreProblems(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleAdmin)
	res := f.must(404, get("/api/v1/nothing-here", tok))
	assert.Equal(t, ProblemContentType, res.Header.Get("Content-Type"))
	assert.Equal(t, problemTypeBase+"no-route", res.Str("type"))
	res = f.must(405, req{method: "DELETE", path: "/api/v1/customers", token: tok})
	assert.Equal(t, ProblemContentType, res.Header.Get("Content-Type"))
	assert.Contains(t, res.Header.Get("Allow"), "GET")
}

func TestBadPathIDIsNotFound(t *testing.T) {
	f := newFixture(t)
	res := f.must(404, get("/api/v1/customers/not-a-uuid", f.a.token(crm.RoleAdmin)))
	assert.Equal(t, problemTypeBase+"not-found", res.Str("type"))
}

func TestRequestIDAndLog(t *testing.T) {
	f := newFixture(t)
	res := f.must(200, get("/api/v1/customers", f.a.token(crm.RoleAdmin)).with("X-Request-Id", "abc-123"))
	assert.Equal(t, "abc-123", res.Header.Get("X-Request-Id"))
	logs := f.logs.String()
	assert.Contains(t, logs, `"request_id":"abc-123"`)
	assert.Contains(t, logs, `"dealer":"`+f.a.dealer.ID.String()+`"`)
	assert.Contains(t, logs, `"status":200`)
	assert.Contains(t, logs, `"method":"GET"`)

	res = f.must(401, get("/api/v1/customers", ""))
	assert.Len(t, res.Header.Get("X-Request-Id"), 16)
}

func TestPanicsAreInternalErrors(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Auth = AuthenticatorFunc(func(ctx context.Context, token string) (crm.User, error) {
			panic("boom: secret detail")
		})
	})
	res := f.must(500, get("/api/v1/customers", "x"))
	assert.Equal(t, ProblemContentType, res.Header.Get("Content-Type"))
	assert.NotContains(t, string(res.Body), "secret")
	assert.Contains(t, f.logs.String(), "boom: secret detail")
}

func TestInternalErrorsDoNotLeak(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Auth = AuthenticatorFunc(func(ctx context.Context, token string) (crm.User, error) {
			return crm.User{}, errors.New("pq: connection refused to 10.0.0.1")
		})
	})
	res := f.must(500, get("/api/v1/customers", "x"))
	assert.NotContains(t, string(res.Body), "10.0.0.1")
	assert.Equal(t, problemTypeBase+"internal", res.Str("type"))
	assert.Contains(t, f.logs.String(), "10.0.0.1")
}

func TestRequestTimeout(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Limits.RequestTimeout = 20 * time.Millisecond
		c.Auth = AuthenticatorFunc(func(ctx context.Context, token string) (crm.User, error) {
			<-ctx.Done()
			return crm.User{}, ctx.Err()
		})
	})
	res := f.must(503, get("/api/v1/customers", "x"))
	assert.Equal(t, problemTypeBase+"timeout", res.Str("type"))
}

func TestProblemTable(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
	}{
		{crm.Invalid("op", crm.FieldError{Field: "vin", Message: "bad"}), 422},
		{crm.NotFound("op", "x"), 404},
		{crm.Conflict("op", "x"), 409},
		{crm.Stale("op", "x"), 412},
		{crm.Forbidden("op", "x"), 403},
		{&crm.Error{Kind: crm.KindUnauthenticated}, 401},
		{errors.New("boom"), 500},
		{crm.E(crm.KindConflict, "op", errors.New("pq: duplicate key violates constraint vehicles_vin_key")), 409},
	} {
		t.Run(tc.err.Error(), func(t *testing.T) {
			p := problemFor(tc.err)
			assert.Equal(t, tc.status, p.Status)
			assert.NotEmpty(t, p.Title)
			assert.True(t, strings.HasPrefix(p.Type, problemTypeBase))
			assert.NotContains(t, p.Detail, "pq:")
			assert.NotContains(t, p.Detail, "boom")
		})
	}
	p := problemFor(crm.Invalid("op", crm.FieldError{Field: "vin", Message: "bad"}))
	require.Len(t, p.Errors, 1)
	assert.Equal(t, "vin", p.Errors[0].Field)
}

func TestContentTypeAndBodyLimits(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Limits.MaxBodyBytes = 1024 })
	tok := f.a.token(crm.RoleAdmin)
	for _, tc := range []struct {
		name   string
		q      req
		status int
		field  string
	}{
		{"malformed JSON", post("/api/v1/customers", tok, `{"name": "Иван`), 400, ""},
		{"not an object", post("/api/v1/customers", tok, `[1,2]`), 400, ""},
		{"two values", post("/api/v1/customers", tok, `{} {}`), 400, ""},
		{"unknown field", post("/api/v1/customers", tok, `{"name":"Иван Петров","phone":"+79000000000","dealer_id":"x"}`), 422, "dealer_id"},
		{"wrong type", post("/api/v1/customers", tok, `{"name": 5}`), 422, "name"},
		{"nested wrong type", post("/api/v1/customers", tok, `{"name":"Иван Петров","document":{"number":5}}`), 422, "document.number"},
		{"too large", post("/api/v1/customers", tok, `{"name":"`+strings.Repeat("я", 1024)+`"}`), 413, ""},
		{"not JSON", post("/api/v1/customers", tok, `x`).with("Content-Type", "text/plain"), 415, ""},
		{"bad limit", get("/api/v1/customers?limit=201", tok), 422, "limit"},
		{"zero limit", get("/api/v1/customers?limit=0", tok), 422, "limit"},
		{"word limit", get("/api/v1/customers?limit=ten", tok), 422, "limit"},
		{"bad cursor", get("/api/v1/customers?cursor=!!", tok), 422, "cursor"},
		{"bad If-Match", patch("/api/v1/customers/"+crm.NewID().String(), tok, `{}`).with("If-Match", "3"), 400, "If-Match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := f.must(tc.status, tc.q)
			assert.Equal(t, ProblemContentType, res.Header.Get("Content-Type"))
			p := res.JSON()
			assert.EqualValues(t, tc.status, p["status"])
			assert.NotEmpty(t, p["title"])
			if tc.field != "" {
				assert.Contains(t, res.Fields(), tc.field)
			}
		})
	}
	assert.Equal(t, 0, countCustomers(f, tok), "nothing written when refused")
	_ = http.StatusOK
}

func TestProblemReadsTheErrorValue(t *testing.T) {
	overlap := &crm.Error{Kind: crm.KindConflict, Code: crm.CodeTestDriveOverlap, Message: "the vehicle has an overlapping test drive"}
	err := crm.Wrap("leads.Service.BookTestDrive", &crm.Error{Kind: crm.KindConflict, Op: "leads.Service.BookTestDrive",
		Message: "vehicle 1 already has test drive 2 booked 13:30–14:00", Err: overlap})
	p := problemFor(err)
	assert.Equal(t, "vehicle 1 already has test drive 2 booked 13:30–14:00: the vehicle has an overlapping test drive", p.Detail)
	assert.Equal(t, crm.CodeTestDriveOverlap, p.Code)
	assert.Equal(t, http.StatusConflict, p.Status)

	p = problemFor(crm.Wrap("leads.Service.GetLead", crm.NotFound("memory.leads.Get", "leads 9 not found")))
	assert.Equal(t, "leads 9 not found", p.Detail)
	assert.Equal(t, crm.CodeNotFound, p.Code)

	p = problemFor(crm.E(crm.KindConflict, "postgres.vehicles.Create", &crm.Error{Kind: crm.KindConflict, Code: crm.CodeDuplicate,
		Message: "duplicate VIN", Err: errors.New("pq: unique violation")}))
	assert.Equal(t, "duplicate VIN", p.Detail, "a driver's text is never shown")
	assert.Equal(t, crm.CodeDuplicate, p.Code)

	p = problemFor(fmt.Errorf("wrapped: %w", errors.New("pq: connection refused")))
	assert.Equal(t, crm.CodeInternal, p.Code)
	assert.NotContains(t, p.Detail, "pq")

	p = problemFor(badRequest("malformed JSON"))
	assert.Equal(t, crm.Code("malformed_request"), p.Code)
	assert.Equal(t, problemTypeBase+"malformed-request", p.Type)
}

func TestProblemCodesAreClosed(t *testing.T) {
	seen := map[crm.Code]bool{}
	for _, c := range ProblemCodes() {
		assert.False(t, seen[c], "%s listed twice", c)
		seen[c] = true
		assert.Regexp(t, `^[a-z][a-z_]*[a-z]$`, string(c))
	}
}
