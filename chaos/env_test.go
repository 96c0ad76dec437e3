package chaos_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/httpapi/pgidempotency"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
)

// world is a fresh database with one dealer and a sales manager's token.
type world struct {
	t      *testing.T
	url    string      // the database's URL
	admin  *sqlx.DB    // a pool of its own on the same database, for checks and for terminating backends
	token  string      // a sales manager's bearer token
	name   string      // the database's name
	clock  crm.Clock   // the servers' clock
	mu     sync.Mutex  // guards tally
	tally  map[int]int // statuses seen
	errors lines       // what the servers logged at level error
}

// lines keeps what is written to it, line by line. Safe for concurrent use.
type lines struct {
	mu  sync.Mutex
	all []string
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, string(p))
	return len(p), nil
}

// faults returns the logged errors that are not an outage (unreachable database, timeout), at most n.
func (l *lines) faults(n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, s := range l.all {
		if !strings.Contains(s, "cannot be reached") && !strings.Contains(s, "deadline exceeded") && len(out) < n {
			out = append(out, s)
		}
	}
	return out
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	u := pgtest.Create(t)
	db, err := postgres.Open(ctx, u)
	require.NoError(t, err)
	defer db.Close()
	st := stack.New(db, crm.SystemClock{})
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
	require.NoError(t, err)
	user, err := st.AddUser(crm.WithDealer(ctx, d.ID), crm.User{Name: "Менеджер", Role: crm.RoleSalesManager})
	require.NoError(t, err)
	token, err := st.IssueAPIKey(ctx, user, "chaos")
	require.NoError(t, err)
	admin, err := sqlx.Open("postgres", u)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	var name string
	require.NoError(t, admin.Get(&name, `SELECT current_database()`))
	return &world{t: t, url: u, admin: admin, token: token, name: name, clock: crm.SystemClock{}, tally: map[int]int{}}
}

// via returns the database URL with its host replaced by addr (a proxy's).
func (w *world) via(addr string) string {
	u, err := url.Parse(w.url)
	require.NoError(w.t, err)
	u.Host = addr
	return u.String()
}

// handler builds a server's handler over the database at dsn, as examples/server does: the stack and the
// PostgreSQL idempotency store.
func (w *world) handler(dsn string) (http.Handler, *postgres.DB) {
	w.t.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	require.NoError(w.t, err)
	w.t.Cleanup(func() { db.Close() })
	cfg := stack.New(db, w.clock).HTTPConfig()
	cfg.Idempotency = pgidempotency.New(db, 24*time.Hour)
	cfg.Ready = db.Ping
	cfg.Limits.RequestTimeout = 5 * time.Second
	cfg.Logger = slog.New(slog.NewTextHandler(&w.errors, &slog.HandlerOptions{Level: slog.LevelError}))
	h, err := httpapi.New(cfg)
	require.NoError(w.t, err)
	return h, db
}

// terminateAll ends every backend of the database but the admin pool's own, as a database restart or an
// operator's pg_terminate_backend would; it returns how many it ended.
func (w *world) terminateAll() int {
	var n int
	err := w.admin.Get(&n, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend') t`, w.name)
	if err != nil {
		w.t.Logf("terminate: %v", err)
	}
	return n
}

// leadBody is a lead whose name marks it with key, so that the leads of each key can be counted.
func leadBody(key string) string {
	return fmt.Sprintf(`{"name": "Клиент %s", "phone": "+79000000000", "need_type": "car_purchase", "source": "website"}`, key)
}

// answer is what a client saw.
type answer struct {
	status     int
	code       string // problem code, when a problem
	retryAfter string
	replayed   bool
	id         string // the created record's id, when 201
}

// send posts a lead with key to h (an in-process handler) or, when h is nil, to base over HTTP.
func (w *world) send(do func(*http.Request) (*http.Response, error), base, key string) answer {
	r, err := http.NewRequest("POST", base+"/api/v1/leads", strings.NewReader(leadBody(key)))
	require.NoError(w.t, err)
	r.Header.Set("Authorization", "Bearer "+w.token)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(httpapi.IdempotencyHeader, key)
	res, err := do(r)
	if err != nil {
		return answer{status: 0, code: err.Error()}
	}
	defer res.Body.Close()
	var body struct {
		Code string `json:"code"`
		ID   string `json:"id"`
	}
	_ = json.NewDecoder(res.Body).Decode(&body)
	a := answer{status: res.StatusCode, code: body.Code, retryAfter: res.Header.Get("Retry-After"),
		replayed: res.Header.Get("Idempotent-Replayed") == "true"}
	if res.StatusCode == http.StatusCreated {
		a.id = body.ID
	}
	w.mu.Lock()
	w.tally[a.status]++
	w.mu.Unlock()
	return a
}

// count returns how many answers had a status for which keep is true.
func (w *world) count(keep func(status int) bool) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for s, c := range w.tally {
		if keep(s) {
			n += c
		}
	}
	return n
}
