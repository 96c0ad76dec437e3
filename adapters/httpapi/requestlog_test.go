package httpapi

import (
	"strings"
	"testing"

	"encoding/json"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"log/slog"
	"time"
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

// TestRequestLogLine: the request's line has its fields, and a logger adding sources attributes it to the
// middleware's logRequest (as Logger.LogAttrs did).
func TestRequestLogLine(t *testing.T) {
	var logs syncBuffer
	f := newFixture(t, func(c *Config) {
		c.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{AddSource: true})).With("app", "crm")
	})
	tok := f.a.token(crm.RoleAdmin)
	for range 2 {
		f.must(200, get("/api/v1/customers", tok).with("X-Request-Id", "line"))
	}
	var line struct {
		Time     time.Time `json:"time"`
		Level    string    `json:"level"`
		Msg      string    `json:"msg"`
		App      string    `json:"app"`
		Method   string    `json:"method"`
		Path     string    `json:"path"`
		Status   int       `json:"status"`
		Duration int64     `json:"duration"`
		Bytes    int64     `json:"bytes"`
		ID       string    `json:"request_id"`
		Dealer   string    `json:"dealer"`
		User     string    `json:"user"`
		Source   struct {
			Function string `json:"function"`
			File     string `json:"file"`
		} `json:"source"`
	}
	last := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.NoError(t, json.Unmarshal([]byte(last[len(last)-1]), &line))
	assert.Equal(t, "INFO", line.Level)
	assert.Equal(t, "request", line.Msg)
	assert.Equal(t, "crm", line.App)
	assert.Equal(t, "GET", line.Method)
	assert.Equal(t, "/api/v1/customers", line.Path)
	assert.Equal(t, 200, line.Status)
	assert.Positive(t, line.Bytes)
	assert.GreaterOrEqual(t, line.Duration, int64(0))
	assert.Equal(t, "line", line.ID)
	assert.Equal(t, f.a.dealer.ID.String(), line.Dealer)
	assert.Equal(t, f.a.users[crm.RoleAdmin].ID.String(), line.User)
	assert.WithinDuration(t, time.Now(), line.Time, time.Minute)
	assert.True(t, strings.HasSuffix(line.Source.Function, ".(*Handler).logRequest"), line.Source.Function)
	assert.True(t, strings.HasSuffix(line.Source.File, "middleware.go"), line.Source.File)
}
