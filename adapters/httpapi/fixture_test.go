package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/crm"
)

// epoch is the start of every test clock: a Friday morning in Moscow working hours.
var epoch = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

var allRoles = []crm.Role{crm.RoleAdmin, crm.RoleSalesManager, crm.RoleServiceAdvisor, crm.RoleReadOnly}

// dealerFixture is one dealer of a fixture with a user and a token per role.
type dealerFixture struct {
	ctx    context.Context
	dealer crm.Dealer
	users  map[crm.Role]crm.User
	tokens map[crm.Role]string
}

// token returns the token of the dealer's user of role r.
func (d dealerFixture) token(r crm.Role) string { return d.tokens[r] }

// backend is a storage adapter: memory.DB or postgres.DB.
type backend = crm.Transactor

// fixture is a handler over a fresh database with two dealers ("A" and "B").
type fixture struct {
	t     testing.TB
	db    backend
	clock *crm.ManualClock
	h     *Handler
	a, b  dealerFixture
	logs  *syncBuffer
	// skipDocCheck turns off checking requests and responses against the OpenAPI document.
	skipDocCheck bool
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of request logs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newFixture returns a fixture over a fresh in-memory database.
func newFixture(t testing.TB, tweak ...func(*Config)) *fixture {
	t.Helper()
	return newFixtureOn(t, memory.New(), tweak...)
}

// onBothAdapters runs test against a fixture over memory and over PostgreSQL (skipped without a server, unless
// CI=true).
func onBothAdapters(t *testing.T, test func(t *testing.T, f *fixture)) {
	t.Run("memory", func(t *testing.T) { test(t, newFixture(t)) })
	t.Run("postgres", func(t *testing.T) {
		if testing.Short() {
			t.Skip("-short")
		}
		test(t, newFixtureOn(t, pgtest.Open(t)))
	})
}

func newFixtureOn(t testing.TB, db backend, tweak ...func(*Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, db: db, clock: crm.NewManualClock(epoch), logs: &syncBuffer{}}
	cfg := f.config()
	for _, tw := range tweak {
		tw(&cfg)
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	f.a = f.newDealer("Дилерский центр Север")
	f.b = f.newDealer("Дилерский центр Юг")
	return f
}

func (f *fixture) newDealer(name string) dealerFixture {
	f.t.Helper()
	d, err := crm.NewDealer(crm.Dealer{Name: name, LegalName: "ООО «" + name + "»", Currency: "RUB", TaxID: "7701234567", TaxRegCode: "770101001",
		RegNumber: "1027700000000", Address: crm.Address{City: "Москва", Street: "ул. Тверская, 1", PostalCode: "125009"},
		Bank: crm.BankAccount{BankName: "ПАО Сбербанк", BIC: "044525225", Account: "40702810900000000001",
			CorrespondentAcct: "30101810400000000225"}}, epoch)
	if err != nil {
		f.t.Fatal(err)
	}
	df := dealerFixture{dealer: d, users: map[crm.Role]crm.User{}, tokens: map[crm.Role]string{}}
	err = crm.NewUnit[crm.Stores](f.db, nil).Update(context.Background(), func(ctx context.Context, s crm.Stores) error {
		if err := s.Dealers().Create(ctx, &d); err != nil {
			return err
		}
		ctx = crm.WithDealer(ctx, d.ID)
		for _, role := range allRoles {
			u, err := crm.NewUser(d.ID, crm.User{Name: string(role) + " of " + name, Role: role}, epoch)
			if err != nil {
				return err
			}
			if err := s.Users().Create(ctx, &u); err != nil {
				return err
			}
			k, token, err := crm.NewAPIKey(u, "test", epoch)
			if err != nil {
				return err
			}
			if err := s.APIKeys().Create(ctx, &k); err != nil {
				return err
			}
			df.users[role], df.tokens[role] = u, token
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	df.dealer = d
	df.ctx = crm.WithActor(crm.WithDealer(context.Background(), d.ID), df.users[crm.RoleAdmin].ID)
	f.seed(df)
	return df
}

// response is what a test request got back.
type response struct {
	t      testing.TB
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map.
func (r *response) JSON() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		r.t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// Str returns a top-level string member of a JSON body.
func (r *response) Str(key string) string {
	r.t.Helper()
	s, _ := r.JSON()[key].(string)
	return s
}

// Items returns the items of a list body.
func (r *response) Items() []map[string]any {
	r.t.Helper()
	raw, ok := r.JSON()["items"].([]any)
	if !ok {
		r.t.Fatalf("no items in %s", r.Body)
	}
	out := make([]map[string]any, len(raw))
	for i, it := range raw {
		out[i], _ = it.(map[string]any)
	}
	return out
}

// Fields returns the field names of a problem's errors.
func (r *response) Fields() []string {
	r.t.Helper()
	var p Problem
	_ = json.Unmarshal(r.Body, &p)
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// req describes a test request.
type req struct {
	method, path, token string
	body                any // string or []byte as is, anything else as JSON
	header              map[string]string
}

// do serves one request in process.
func (f *fixture) do(q req) *response {
	f.t.Helper()
	var body io.Reader
	switch b := q.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		body = bytes.NewReader(j)
	}
	r := httptest.NewRequest(q.method, q.path, body)
	if q.token != "" {
		r.Header.Set("Authorization", "Bearer "+q.token)
	}
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range q.header {
		r.Header.Set(k, v)
	}
	var sent []byte
	if body != nil {
		sent, _ = io.ReadAll(body)
		r.Body = io.NopCloser(bytes.NewReader(sent))
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	res := &response{t: f.t, Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
	if !f.skipDocCheck {
		docCheck.check(f.t, f.h, r, sent, res)
	}
	checkInstants(f.t, res)
	return res
}

var (
	looksLikeInstant = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d`)
	fixedInstant     = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)
)

// checkInstants fails the test when a JSON answer holds an instant in any form but the one fixed format
// (stampLayout: UTC, six fraction digits), wherever it is in the body.
func checkInstants(t testing.TB, res *response) {
	t.Helper()
	if !strings.Contains(res.Header.Get("Content-Type"), "json") || len(res.Body) == 0 {
		return
	}
	var v any
	if json.Unmarshal(res.Body, &v) != nil {
		return
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if !strings.HasSuffix(k, "_raw") { // text echoed as received, not an instant of ours
					walk(path+"."+k, e)
				}
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", e)
			}
		case string:
			if looksLikeInstant.MatchString(x) && !fixedInstant.MatchString(x) {
				t.Errorf("%s: instant %q is not in the fixed format %s", path, x, stampLayout)
			}
		}
	}
	walk("", v)
}

// must serves a request and fails the test unless it answers status.
func (f *fixture) must(status int, q req) *response {
	f.t.Helper()
	res := f.do(q)
	if res.Status != status {
		f.t.Fatalf("%s %s: status %d, want %d\n%s", q.method, q.path, res.Status, status, res.Body)
	}
	return res
}

func get(path, token string) req { return req{method: "GET", path: path, token: token} }

func post(path, token string, body any) req {
	return req{method: "POST", path: path, token: token, body: body}
}

func patch(path, token string, body any) req {
	return req{method: "PATCH", path: path, token: token, body: body}
}

// with returns q with a header set.
func (q req) with(k, v string) req {
	h := map[string]string{}
	for a, b := range q.header {
		h[a] = b
	}
	h[k] = v
	q.header = h
	return q
}

// testLogger returns a logger writing JSON lines into buf.
func testLogger(buf *syncBuffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(buf, nil))
}
