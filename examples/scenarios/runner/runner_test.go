package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeEnv is a tiny API for testing the runner itself: things can be created and read, the clock and the caller
// can be asked for, and a "PDF" can be fetched.
type fakeEnv struct {
	mu     sync.Mutex
	clock  crm.Clock
	things map[string]map[string]any
	users  map[string]string // token → user name
	mux    *http.ServeMux
}

func newFakeEnv(clock crm.Clock) (Env, error) {
	e := &fakeEnv{clock: clock, things: map[string]map[string]any{}, users: map[string]string{}, mux: http.NewServeMux()}
	e.mux.HandleFunc("POST /things", e.create)
	e.mux.HandleFunc("GET /things/{id}", e.get)
	e.mux.HandleFunc("GET /clock", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"now": e.clock.Now().Format(time.RFC3339)})
	})
	e.mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		name, ok := e.users[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		if !ok {
			writeJSON(w, 401, map[string]any{"status": 401, "detail": "who are you"})
			return
		}
		writeJSON(w, 200, map[string]any{"user": name})
	})
	e.mux.HandleFunc("GET /file.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.7 fake"))
	})
	e.mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s|%s", r.Header.Get("Content-Type"), buf.String())
	})
	return e, nil
}

func (e *fakeEnv) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.mux.ServeHTTP(w, r) }

func (e *fakeEnv) AddDealer(ctx context.Context, d DealerSpec) (crm.ID, error) {
	return crm.NewID(), nil
}

func (e *fakeEnv) AddUser(ctx context.Context, dealer crm.ID, u UserSpec) (crm.ID, string, error) {
	token := "tok-" + u.Name
	e.users[token] = u.Name
	return crm.NewID(), token, nil
}

func (e *fakeEnv) create(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, 400, map[string]any{"status": 400, "detail": err.Error()})
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	id := fmt.Sprintf("t%d", len(e.things)+1)
	in["id"] = id
	in["created_at"] = e.clock.Now().Format(time.RFC3339)
	in["count"] = 3
	in["tags"] = []string{"new", "shiny"}
	in["price"] = map[string]any{"amount": "1250000.00", "currency": "RUB"}
	e.things[id] = in
	w.Header().Set("ETag", `"1"`)
	writeJSON(w, 201, in)
}

func (e *fakeEnv) get(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, ok := e.things[r.PathValue("id")]
	if !ok {
		writeJSON(w, 404, map[string]any{"status": 404, "detail": "no such thing"})
		return
	}
	writeJSON(w, 200, map[string]any{"items": []any{t}, "next_cursor": nil})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func run(t *testing.T, files map[string]string) (Result, string) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	sc, err := Load(fsys, "s.json")
	require.NoError(t, err)
	var out bytes.Buffer
	r := &Runner{New: newFakeEnv, Out: &out}
	res := r.Run(context.Background(), sc)
	return res, out.String()
}

func TestPassingScenario(t *testing.T) {
	res, out := run(t, map[string]string{"s.json": `{
		"name": "things",
		"clock": "2026-11-27T09:00:00+03:00",
		"users": {"bob": {"role": "admin", "name": "Боб"}},
		"as": "bob",
		"steps": [
			{"name": "create", "request": {"method": "POST", "path": "/things", "body": {"name": "Лада ${today}", "at": "${now+2h}"}},
			 "expect": {"status": 201, "headers": {"ETag": "\"1\""}, "json": {
				"id": "<present>", "name": "Лада 2026-11-27", "at": "2026-11-27T11:00:00+03:00", "missing": "<absent>",
				"count": 3, "tags": "<contains:shiny>", "tags.1": "shiny", "tags.-1": "shiny", "price.amount": "<gt:1000000>",
				"created_at": "<prefix:2026-11-27T06:00>", "price": {"amount": "1250000.00", "currency": "RUB"}}},
			 "save": {"thing": "id", "etag": "header:ETag", "n": "count"}},
			{"name": "read back", "request": {"method": "GET", "path": "/things/${thing}"},
			 "expect": {"status": 200, "json": {"items.0.id": "${thing}", "items.0.count": "${n}", "items": "<len:1>", "next_cursor": "<absent>"}}},
			{"advance": "48h"},
			{"name": "clock moved", "request": {"method": "GET", "path": "/clock"}, "expect": {"json": {"now": "2026-11-29T06:00:00Z"}}},
			{"set_clock": "2027-01-01T00:00:00Z"},
			{"request": {"method": "GET", "path": "/clock"}, "expect": {"json": {"now": "<matches:^2027-01-01T00:00:00Z$>"}}},
			{"name": "who", "request": {"method": "GET", "path": "/whoami"}, "expect": {"json": {"user": "Боб"}}},
			{"name": "anonymous", "as": "anonymous", "request": {"method": "GET", "path": "/whoami"}, "expect": {"status": 401}},
			{"name": "pdf", "request": {"method": "GET", "path": "/file.pdf"}, "expect": {"status": 200, "content_type": "application/pdf", "body_prefix": "%PDF-", "body_contains": "fake"}},
			{"name": "raw body", "request": {"method": "POST", "path": "/echo", "body": "<adf>${thing}</adf>", "headers": {"Content-Type": "application/xml"}},
			 "expect": {"body_contains": ["application/xml|<adf>t1</adf>"]}},
			{"name": "file body", "request": {"method": "POST", "path": "/echo", "body_file": "data/x.xml"}, "expect": {"body_contains": "|<x>t1</x>"}}
		]}`, "data/x.xml": "<x>${thing}</x>"})
	assert.True(t, res.OK(), out)
	assert.Equal(t, 11, res.Passed, out)
	assert.Contains(t, out, "PASS   4 clock moved")
	assert.Contains(t, out, "PASS   3 advance the clock by 48h")
	assert.Contains(t, out, "--- PASS things (11 steps)")
}

func TestFailingStepIsReportedAndTheRestSkipped(t *testing.T) {
	res, out := run(t, map[string]string{"s.json": `{
		"name": "broken",
		"as": "admin",
		"steps": [
			{"name": "missing thing", "request": {"method": "GET", "path": "/things/nope"}, "expect": {"status": 200, "json": {"items.0.id": "<present>"}}},
			{"name": "never runs", "request": {"method": "GET", "path": "/clock"}, "expect": {"status": 200}}
		]}`})
	assert.False(t, res.OK())
	assert.Equal(t, 1, res.Failed)
	assert.Equal(t, 1, res.Skipped)
	assert.Contains(t, out, `FAIL   1 missing thing: status 404, want 200 (no such thing); json items.0.id: missing, want <present>`)
	assert.Contains(t, out, "SKIP   2 never runs")
	assert.Contains(t, out, "--- FAIL broken (step 1 of 2 failed)")
}

func TestValueMismatchesAreNamed(t *testing.T) {
	res, out := run(t, map[string]string{"s.json": `{
		"steps": [
			{"name": "create", "as": "admin", "request": {"method": "POST", "path": "/things", "body": {"name": "a"}},
			 "expect": {"status": 201, "content_type": "text/html", "headers": {"ETag": "<absent>"}, "body_contains": "zzz", "body_prefix": "%PDF",
				"json": {"name": "b", "count": "<lt:2>", "tags": "<len:5>", "id": "<absent>", "nope": "<not:x>"}}}
		]}`})
	assert.False(t, res.OK())
	for _, want := range []string{
		`content type "application/json", want "text/html"`,
		`header ETag: got "\"1\"", want <absent>`,
		`body does not contain "zzz"`,
		`body starts with "{\"co", want "%PDF"`,
		`json count: got 3, want a number lt 2`,
		`json id: got "t1", want <absent>`,
		`json name: got "a", want "b"`,
		`json nope: missing, want <not:x>`,
		`json tags: got ["new","shiny"] (length 2), want length 5`,
	} {
		assert.Contains(t, out, want)
	}
}

func TestUnknownVariableFailsTheStep(t *testing.T) {
	res, out := run(t, map[string]string{"s.json": `{"steps": [{"request": {"method": "GET", "path": "/things/${nope}"}}]}`})
	assert.False(t, res.OK())
	assert.Contains(t, out, "unknown variable ${nope}")
}

func TestRunAllSummarises(t *testing.T) {
	fsys := fstest.MapFS{
		"a/ok.json":  {Data: []byte(`{"name": "ok", "steps": [{"request": {"method": "GET", "path": "/clock"}, "expect": {"status": 200}}]}`)},
		"a/bad.json": {Data: []byte(`{"name": "bad", "steps": [{"request": {"method": "GET", "path": "/clock"}, "expect": {"status": 201}}]}`)},
	}
	scs, err := LoadDir(fsys, "a")
	require.NoError(t, err)
	require.Len(t, scs, 2)
	assert.Equal(t, "bad", scs[0].Name, "files run in name order")
	var out bytes.Buffer
	results := (&Runner{New: newFakeEnv, Out: &out}).RunAll(context.Background(), scs)
	assert.False(t, AllOK(results))
	assert.Contains(t, out.String(), "2 scenarios: 1 passed, 1 failed (2 steps run, 1 failed)")
}

func TestLoadRefusesMistakes(t *testing.T) {
	for name, body := range map[string]string{
		"unknown field":     `{"steps": [{"request": {"method": "GET", "path": "/x"}, "expct": {}}]}`,
		"no steps":          `{"name": "x"}`,
		"two actions":       `{"steps": [{"advance": "1h", "set_clock": "2026-01-01T00:00:00Z"}]}`,
		"bad duration":      `{"steps": [{"advance": "two days"}]}`,
		"bad clock":         `{"clock": "tomorrow", "steps": [{"advance": "1h"}]}`,
		"unknown user":      `{"steps": [{"as": "ghost", "request": {"method": "GET", "path": "/x"}}]}`,
		"unknown dealer":    `{"users": {"u": {"dealer": "nowhere", "role": "admin"}}, "steps": [{"advance": "1h"}]}`,
		"bad role":          `{"users": {"u": {"role": "boss"}}, "steps": [{"advance": "1h"}]}`,
		"reserved alias":    `{"users": {"anonymous": {"role": "admin"}}, "steps": [{"advance": "1h"}]}`,
		"bad matcher":       `{"steps": [{"request": {"method": "GET", "path": "/x"}, "expect": {"json": {"a": "<len:many>"}}}]}`,
		"no method":         `{"steps": [{"request": {"path": "/x"}}]}`,
		"body and its file": `{"steps": [{"request": {"method": "POST", "path": "/x", "body": {}, "body_file": "f"}}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"s.json": {Data: []byte(body)}}, "s.json")
			assert.Error(t, err)
		})
	}
}

func TestMatchers(t *testing.T) {
	for _, tc := range []struct {
		want  string
		got   string // JSON; "" means the path is missing
		match bool
	}{
		{`"reserved"`, `"reserved"`, true},
		{`"reserved"`, `"in_stock"`, false},
		{`70`, `70`, true},
		{`70`, `70.0`, true},
		{`"70"`, `70`, true},
		{`70`, `"70"`, true},
		{`true`, `true`, true},
		{`true`, `false`, false},
		{`null`, `null`, true},
		{`"<present>"`, `null`, true},
		{`"<present>"`, ``, false},
		{`"<absent>"`, ``, true},
		{`"<absent>"`, `null`, true},
		{`"<absent>"`, `""`, false},
		{`"<contains:ДКП>"`, `"Договор ДКП-1"`, true},
		{`"<contains:a>"`, `["a","b"]`, true},
		{`"<contains:c>"`, `["a","b"]`, false},
		{`"<prefix:dcrm_>"`, `"dcrm_abc"`, true},
		{`"<matches:^[0-9a-f-]{36}$>"`, `"0b8e1e8a-52b7-4c8e-9f1a-0d6f0e9a1b2c"`, true},
		{`"<not:sold>"`, `"reserved"`, true},
		{`"<not:sold>"`, `"sold"`, false},
		{`"<len:0>"`, `[]`, true},
		{`"<len:2>"`, `{"a":1,"b":2}`, true},
		{`"<len:4>"`, `"Лада"`, true},
		{`"<ge:70>"`, `70`, true},
		{`"<gt:70>"`, `70`, false},
		{`"<le:100>"`, `"99.99"`, true},
		{`"<lt:1>"`, `"x"`, false},
		{`{"amount":"1.50","currency":"RUB"}`, `{"currency":"RUB","amount":"1.50"}`, true},
		{`{"amount":"1.50","currency":"RUB"}`, `{"currency":"RUB","amount":"1.5"}`, false}, // strings are exact
		{`[1,2]`, `[1,2,3]`, false},
		{`"<unknown>"`, `"<unknown>"`, true},
	} {
		t.Run(tc.want+" vs "+tc.got, func(t *testing.T) {
			m, err := parseMatcher(json.RawMessage(tc.want))
			require.NoError(t, err)
			var v any
			found := tc.got != ""
			if found {
				v, err = decode([]byte(tc.got))
				require.NoError(t, err)
			}
			problem := m.check(v, found)
			assert.Equal(t, tc.match, problem == "", problem)
		})
	}
}

func TestLookup(t *testing.T) {
	doc, err := decode([]byte(`{"items":[{"id":"a"},{"id":"b"}],"customer_vehicle":{"id":"cv"},"n":null}`))
	require.NoError(t, err)
	for path, want := range map[string]any{"items.0.id": "a", "items.-1.id": "b", "customer_vehicle.id": "cv"} {
		v, ok := lookup(doc, path)
		assert.True(t, ok, path)
		assert.Equal(t, want, v, path)
	}
	for _, path := range []string{"items.2.id", "items.x", "customer_vehicle.id.more", "nope"} {
		_, ok := lookup(doc, path)
		assert.False(t, ok, path)
	}
	v, ok := lookup(doc, "n")
	assert.True(t, ok)
	assert.Nil(t, v)
	whole, ok := lookup(doc, "")
	assert.True(t, ok)
	assert.Equal(t, doc, whole)
}

func TestDefaultUsersBelongToTheFirstDealer(t *testing.T) {
	sc, err := Load(fstest.MapFS{"s.json": {Data: []byte(`{"dealers": {"zeta": {}, "alpha": {}}, "steps": [{"advance": "1h"}]}`)}}, "s.json")
	require.NoError(t, err)
	assert.Len(t, sc.Users, 4)
	for _, u := range sc.Users {
		assert.Equal(t, "alpha", u.Dealer)
	}
	for _, u := range DefaultUsers {
		assert.Empty(t, u.Dealer, "the package's defaults are not changed")
	}
}
