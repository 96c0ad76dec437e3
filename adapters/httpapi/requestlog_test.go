package httpapi

import (
	"context"
	"strings"
	"testing"

	"encoding/json"
	"fmt"
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

// TestRequestLogLinesNameTheirOwnUserAndMethod: the handlers the lines are written with are kept per method and
// user (requestLogHandlers), so each line must still carry its own request's method, dealer and user, and exactly
// the fields it had when all were the record's — for users of two dealers, several methods, an unauthenticated
// request and a method HTTP does not define.
func TestRequestLogLinesNameTheirOwnUserAndMethod(t *testing.T) {
	var logs syncBuffer
	f := newFixture(t, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	ta, tb := f.a.token(crm.RoleAdmin), f.b.token(crm.RoleSalesManager)
	type want struct {
		id, method    string
		dealer, user  string
		status        int
		authenticated bool
	}
	var wants []want
	send := func(q req, status int, w want) {
		t.Helper()
		w.id, w.status = fmt.Sprintf("line-%d", len(wants)), status
		f.must(status, q.with("X-Request-Id", w.id))
		wants = append(wants, w)
	}
	userA := want{dealer: f.a.dealer.ID.String(), user: f.a.users[crm.RoleAdmin].ID.String(), authenticated: true}
	userB := want{dealer: f.b.dealer.ID.String(), user: f.b.users[crm.RoleSalesManager].ID.String(), authenticated: true}
	for range 2 {
		a, b := userA, userB
		a.method, b.method = "GET", "GET"
		send(get("/api/v1/customers", ta), 200, a)
		send(get("/api/v1/customers", tb), 200, b)
		a.method, b.method = "POST", "POST"
		send(post("/api/v1/customers", ta, map[string]any{"first_name": "Иван", "phones": []string{"+7 900 000-00-01"}}), 201, a)
		send(post("/api/v1/customers", tb, map[string]any{"first_name": "Пётр", "phones": []string{"+7 900 000-00-02"}}), 201, b)
		send(get("/api/v1/customers", "no-such-token"), 401, want{method: "GET"})
		send(req{method: "BREW", path: "/api/v1/customers", token: ta}, 405, want{method: "BREW"})
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	byID := map[string]map[string]any{}
	for _, l := range lines {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		if m["msg"] == "request" {
			byID[m["request_id"].(string)] = m
		}
	}
	for _, w := range wants {
		m := byID[w.id]
		require.NotNil(t, m, "no line for %s", w.id)
		fields := []string{"time", "level", "msg", "method", "path", "status", "duration", "bytes", "request_id"}
		if w.authenticated {
			fields = append(fields, "dealer", "user")
		}
		var got []string
		for k := range m {
			got = append(got, k)
		}
		assert.ElementsMatch(t, fields, got, w.id)
		assert.Equal(t, w.method, m["method"], w.id)
		assert.Equal(t, float64(w.status), m["status"], w.id)
		if w.authenticated {
			assert.Equal(t, w.dealer, m["dealer"], w.id)
			assert.Equal(t, w.user, m["user"], w.id)
		}
	}
}

// TestRequestLogHandlersStayBounded: past maxRequestLogHandlers users the derived handlers make room (half of
// them stay), and every handler handed out still writes its own user's fields.
func TestRequestLogHandlersStayBounded(t *testing.T) {
	var logs syncBuffer
	c := newRequestLogHandlers(slog.NewJSONHandler(&logs, nil))
	for i := range maxRequestLogHandlers + 10 {
		ri := &requestInfo{authed: true, scope: crm.Scope{Dealer: crm.NewID(), Actor: crm.NewID()}}
		h, ok := c.handler("GET", ri)
		require.True(t, ok)
		require.LessOrEqual(t, c.m.Len(), maxRequestLogHandlers)
		if i%1000 != 0 && i < maxRequestLogHandlers+5 {
			continue
		}
		logs.mu.Lock()
		logs.buf.Reset()
		logs.mu.Unlock()
		require.NoError(t, h.Handle(context.Background(), slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)))
		var line map[string]any
		require.NoError(t, json.Unmarshal([]byte(logs.String()), &line))
		assert.Equal(t, ri.scope.Dealer.String(), line["dealer"])
		assert.Equal(t, ri.scope.Actor.String(), line["user"])
		assert.Equal(t, "GET", line["method"])
	}
	assert.Equal(t, maxRequestLogHandlers/2+10, c.m.Len(), "made room once, down to half, then 10 more")
	_, ok := c.handler("BREW", nil)
	assert.False(t, ok, "a method HTTP does not define has no derived handler")
}
