package httpapi

import (
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// TestRequestLogSamplesSuccessfulGETs: with Config.LogSuccessfulGETs = 3, one in three successful GETs is
// logged (the first, the fourth, …), and every failed GET and every write is logged.
func TestRequestLogSamplesSuccessfulGETs(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.LogSuccessfulGETs = 3 })
	tok := f.a.token(crm.RoleAdmin)
	lines := func(s string) int { return strings.Count(f.logs.String(), s) }
	for i := range 7 {
		f.must(200, get("/api/v1/customers", tok).with("X-Request-Id", "ok-"+string(rune('a'+i))))
	}
	assert.Equal(t, 3, lines(`"request_id":"ok-`), "GETs 1, 4 and 7 of 7")
	for _, id := range []string{"ok-a", "ok-d", "ok-g"} {
		assert.Equal(t, 1, lines(`"request_id":"`+id+`"`), id)
	}
	for range 2 {
		f.must(404, get("/api/v1/customers/"+crm.NewID().String(), tok).with("X-Request-Id", "missing"))
	}
	assert.Equal(t, 2, lines(`"request_id":"missing"`), "failures are always logged")
	f.must(201, post("/api/v1/customers", tok, map[string]any{"first_name": "Иван", "phones": []string{"+7 900 000-00-01"}}).
		with("X-Request-Id", "write"))
	assert.Equal(t, 1, lines(`"request_id":"write"`), "writes are always logged")
}

// TestRequestLogLogsEveryRequestByDefault: without sampling every successful GET has its line.
func TestRequestLogLogsEveryRequestByDefault(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleAdmin)
	for range 4 {
		f.must(200, get("/api/v1/customers", tok).with("X-Request-Id", "each"))
	}
	assert.Equal(t, 4, strings.Count(f.logs.String(), `"request_id":"each"`))
}
