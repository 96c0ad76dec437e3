package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// An unreachable database is an outage, not a fault of ours: 503 with Retry-After and the code unavailable,
// never 500, never the driver's text.
func TestUnavailableIs503WithRetryAfter(t *testing.T) {
	r := httptest.NewRequest("GET", "/api/v1/leads", nil)
	w := httptest.NewRecorder()
	cause := errors.New("dial tcp 10.0.0.5:5432: connect: connection refused")
	status := writeProblem(w, r, crm.Wrap("leads.Service.ListLeads", &crm.Error{Kind: crm.KindUnavailable,
		Op: "postgres.Begin", Message: "the database cannot be reached", Err: cause}))
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, retryAfterSeconds, w.Header().Get("Retry-After"))
	assert.Contains(t, w.Body.String(), `"code":"unavailable"`)
	assert.NotContains(t, w.Body.String(), "10.0.0.5")
	assert.Contains(t, ProblemCodes(), crm.CodeUnavailable)

	w = httptest.NewRecorder()
	writeProblem(w, r, context.DeadlineExceeded)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.NotEmpty(t, w.Header().Get("Retry-After"), "a timeout says when to come back too")
}

// /readyz does not flap while requests succeed: a check that fails under load (a ping starved of connections)
// is not asked while authenticated requests answer below 500; once they stop, or the storage is found
// unavailable, it is asked again.
func TestReadyzDoesNotFlapWhileRequestsSucceed(t *testing.T) {
	checks := 0
	f := newFixture(t, func(c *Config) {
		c.Ready = func(context.Context) error { checks++; return errors.New("ping: too many clients") }
	})
	f.must(503, get("/readyz", ""))
	assert.Equal(t, 1, checks)
	f.must(200, get("/api/v1/leads", f.a.token(crm.RoleSalesManager)))
	for range 5 {
		f.must(200, get("/readyz", ""))
	}
	assert.Equal(t, 1, checks, "not asked while requests succeed")
	f.clock.Advance(DefaultReadyGrace + time.Second)
	f.must(503, get("/readyz", ""))
	assert.Equal(t, 2, checks)

	var s health
	now := epoch
	s.observe(true, 200, now)
	assert.True(t, s.serving(now.Add(time.Second), 0))
	s.observe(true, 503, now.Add(2*time.Second))
	assert.False(t, s.serving(now.Add(3*time.Second), 0), "an outage since the last success asks the check again")
	s.observe(false, 200, now.Add(4*time.Second))
	assert.False(t, s.serving(now.Add(5*time.Second), 0), "a public route proves nothing about the storage")
	s.observe(true, 201, now.Add(6*time.Second))
	assert.True(t, s.serving(now.Add(7*time.Second), 0))
	assert.False(t, s.serving(now.Add(7*time.Second), -1), "a negative grace always asks")
}
