package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var tokenLine = regexp.MustCompile(`^(demo|bootstrap) token: dealer=(.+) role=(\S+) token=(\S+)$`)

// started is a server run in the background: its base URL and the tokens it printed.
type started struct {
	base   string
	tokens map[string]string // "<dealer name>/<role>" → token
	lines  []string
	logs   *logBuffer // what the server logged (standard error)
	done   chan error
	stop   context.CancelFunc
	kill   func() // a process's kill -9 (startProcess only): it dies at once, mid-request, and is waited for
}

// start runs the server with args on 127.0.0.1:0 and waits for its listening line.
func start(t *testing.T, args ...string) *started {
	t.Helper()
	cfg, err := parseConfig(append([]string{"-addr", "127.0.0.1:0", "-relay-interval", "50ms"}, args...),
		func(string) string { return "" }, io.Discard)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &started{tokens: map[string]string{}, logs: &logBuffer{}, done: make(chan error, 1), stop: cancel}
	go func() {
		err := run(ctx, cfg, pw, s.logs)
		pw.Close()
		s.done <- err
	}()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, pr)
	}()
	timeout := time.After(60 * time.Second)
	for s.base == "" {
		select {
		case line, ok := <-lines:
			require.True(t, ok, "the server stopped before listening: %v", s.lines)
			s.lines = append(s.lines, line)
			if m := tokenLine.FindStringSubmatch(line); m != nil {
				s.tokens[m[2]+"/"+m[3]] = m[4]
			}
			if a, ok := strings.CutPrefix(line, "listening on "); ok {
				s.base = a
			}
		case <-timeout:
			t.Fatalf("no listening line; got %v", s.lines)
		}
	}
	go func() {
		for range lines {
		}
	}()
	t.Cleanup(func() { s.shutdown(t) })
	return s
}

// logBuffer keeps log output; safe for concurrent use.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// shutdown stops the server and checks it stopped cleanly.
func (s *started) shutdown(t *testing.T) {
	if s.stop == nil {
		return
	}
	s.stop()
	s.stop = nil
	select {
	case err := <-s.done:
		assert.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Error("the server did not stop")
	}
}

// do sends a request without a body, with token when given.
func (s *started) do(method, path, token string) (*http.Response, error) {
	req, err := http.NewRequest(method, s.base+path, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return http.DefaultClient.Do(req)
}

// get sends GET path with token and decodes the JSON answer.
func (s *started) get(t *testing.T, path, token string) (int, map[string]any) {
	t.Helper()
	resp, err := s.do("GET", path, token)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func TestServerWithDemoData(t *testing.T) {
	s := start(t)
	require.Regexp(t, `^http://127\.0\.0\.1:\d+$`, s.base)
	assert.Len(t, s.tokens, 8, "one token per demo user: %v", s.lines)
	for _, line := range s.lines[:len(s.lines)-1] {
		assert.Regexp(t, tokenLine, line, "standard output holds only token lines before the listening line")
	}

	code, body := s.get(t, "/healthz", "")
	assert.Equal(t, 200, code)
	assert.Equal(t, "ok", body["status"])
	code, _ = s.get(t, "/readyz", "")
	assert.Equal(t, 200, code)

	north := s.tokens["Дилерский центр Север/sales_manager"]
	require.NotEmpty(t, north)
	code, body = s.get(t, "/api/v1/vehicles?status=reserved", north)
	require.Equal(t, 200, code, body)
	items := body["items"].([]any)
	assert.Len(t, items, 5)
	vehicle := items[0].(map[string]any)["id"].(string)

	code, body = s.get(t, "/api/v1/sales?status=won", north)
	require.Equal(t, 200, code, body)
	won := body["items"].([]any)
	require.Len(t, won, 2)
	resp, err := s.do("GET", "/api/v1/sales/"+won[0].(map[string]any)["id"].(string)+"/contract.pdf", north)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/pdf", resp.Header.Get("Content-Type"))
	assert.Empty(t, resp.Header.Get("X-Contract-Blanks"), "the demo has every requisite a contract prints")

	code, _ = s.get(t, "/api/v1/vehicles/"+vehicle, s.tokens["Автоцентр Юг/read_only"])
	assert.Equal(t, 404, code, "another dealer's vehicle")
	code, _ = s.get(t, "/api/v1/vehicles", "")
	assert.Equal(t, 401, code)

	assert.Eventually(t, func() bool {
		logs := s.logs.String()
		return strings.Contains(logs, "topic=test_drive.booked") && strings.Contains(logs, "task=relay count=")
	}, 10*time.Second, 20*time.Millisecond, "stack.Run delivers the demo's notices (to the log)")
}

func TestServerEmptyWithBootstrapAdmin(t *testing.T) {
	s := start(t, "-demo=false", "-bootstrap-admin", "Мой автосалон")
	require.Len(t, s.tokens, 1, s.lines)
	admin := s.tokens["Мой автосалон/admin"]
	require.NotEmpty(t, admin, s.lines)
	assert.True(t, strings.HasPrefix(s.lines[0], "bootstrap token: "))
	code, body := s.get(t, "/api/v1/vehicles", admin)
	require.Equal(t, 200, code)
	assert.Empty(t, body["items"])
}

// TestPostgresPoolAsAsked: the backend's pool keeps at most -postgres-max-conns connections, on both drivers.
func TestPostgresPoolAsAsked(t *testing.T) {
	admin := pgtest.Admin(t)
	defer admin.Close()
	for _, driver := range []string{"pq", "pgx"} {
		b, err := openBackend(context.Background(), pgtest.URL(), driver, 3, slog.New(slog.DiscardHandler))
		require.NoError(t, err, driver)
		assert.Equal(t, 3, b.db.(*postgres.DB).SQLX().Stats().MaxOpenConnections, driver)
		b.close()
	}
}

func TestServerOnPostgresSeedsOnce(t *testing.T) {
	admin := pgtest.Admin(t)
	defer admin.Close()
	name := "dealercrm_srv_" + strings.ReplaceAll(crm.NewID().String(), "-", "")[:12]
	_, err := admin.Exec(`CREATE DATABASE ` + name)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	u, err := url.Parse(pgtest.URL())
	require.NoError(t, err)
	u.Path = "/" + name
	dsn := u.String()

	first := start(t, "-postgres", dsn, "-bootstrap-admin", "Автоцентр Юг")
	require.Len(t, first.lines, 10, "8 demo tokens, the bootstrap token of an existing dealer, listening")
	require.Len(t, first.tokens, 8, first.lines)
	token := first.tokens["Дилерский центр Север/admin"]
	code, body := first.get(t, "/api/v1/vehicles?limit=100", token)
	require.Equal(t, 200, code, body)
	assert.Len(t, body["items"], 28, "25 in stock and 3 built from the model directory")
	first.shutdown(t)

	second := start(t, "-postgres", dsn)
	require.Len(t, second.tokens, 8, "fresh tokens for the existing demo users: %v", second.lines)
	assert.NotEqual(t, token, second.tokens["Дилерский центр Север/admin"])
	code, body = second.get(t, "/api/v1/vehicles?limit=100", second.tokens["Дилерский центр Север/admin"])
	require.Equal(t, 200, code, body)
	assert.Len(t, body["items"], 28, "the restart did not seed again")
	code, _ = second.get(t, "/api/v1/vehicles", token)
	assert.Equal(t, 200, code, "the first run's tokens still work")
	db, err := sqlx.Open("postgres", dsn)
	require.NoError(t, err)
	defer db.Close()
	var dealers int
	require.NoError(t, db.Get(&dealers, `SELECT count(*) FROM dealers`))
	assert.Equal(t, 2, dealers)
}

func TestParseConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := parseConfig(nil, env(nil), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8080", c.addr)
	assert.True(t, c.demo)
	assert.Empty(t, c.postgres)

	c, err = parseConfig(nil, env(map[string]string{"DATABASE_URL": "postgres://x"}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "postgres://x", c.postgres)

	c, err = parseConfig([]string{"-postgres", "postgres://y", "-demo=false", "-addr", ":0", "-log-level", "warn", "-log-format", "json"},
		env(map[string]string{"DATABASE_URL": "postgres://x"}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, slog.LevelWarn, c.logLevel)
	assert.Equal(t, "postgres://y", c.postgres, "the flag wins over the environment")
	assert.False(t, c.demo)
	assert.Equal(t, postgres.DefaultMaxConns, c.maxConns, "the library's pool unless asked")

	c, err = parseConfig([]string{"-postgres-max-conns", "3"}, env(nil), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 3, c.maxConns)

	for _, bad := range [][]string{{"-postgres-max-conns", "0"}, {"-log-format", "xml"}, {"-log-level", "loud"}, {"-relay-interval", "0s"}, {"-expiry-interval", "0s"}, {"extra"}, {"-nope"}} {
		_, err := parseConfig(bad, env(nil), io.Discard)
		assert.Error(t, err, bad)
	}
}

func TestServerCORSOrigins(t *testing.T) {
	c, err := parseConfig([]string{"-cors-origins", "http://a.test:3000, http://b.test"}, func(string) string { return "" }, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, []string{"http://a.test:3000", "http://b.test"}, c.corsOrigins)

	s := start(t, "-cors-origins", "http://a.test:3000")
	for origin, want := range map[string]int{"http://a.test:3000": 204, "http://evil.test": 403} {
		req, err := http.NewRequest("OPTIONS", s.base+"/api/v1/vehicles", nil)
		require.NoError(t, err)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, origin)
	}
}
