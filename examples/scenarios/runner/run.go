package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Runner runs scenarios, each against a fresh Env with its own manual clock, and reports every step on Out.
type Runner struct {
	New     Factory   // makes the system under test
	Out     io.Writer // receives one line per step and a summary per scenario
	Verbose bool      // also print each request and response
	// Parallel is how many scenarios RunAll runs at once (each against its own Env); 0 or 1 runs them one by one.
	// Their reports are printed whole, in the scenarios' order. Scenarios against Envs that share one system (a
	// running server, NewRemoteFactory) are not independent: run those one by one.
	Parallel int
}

// Result is the outcome of one scenario.
type Result struct {
	Scenario string
	File     string
	Passed   int           // steps that passed
	Failed   int           // steps that failed (0 or 1: a scenario stops at its first failure)
	Skipped  int           // steps not run after a failure
	Err      error         // a failure to set the scenario up (no step ran)
	Refused  string        // why the scenario was not run at all (it moves the clock of a server it does not own)
	Elapsed  time.Duration // how long it ran
	Report   string        // what it printed
	Failure  string        // the first failing step's label and message, for reports such as JUnit
}

// OK reports whether the scenario passed (a refused scenario did not fail).
func (r Result) OK() bool { return r.Err == nil && r.Failed == 0 }

// RunAll runs every scenario (Parallel at a time), prints each one's report in order and a final summary, and
// returns the results in the scenarios' order.
func (r *Runner) RunAll(ctx context.Context, scs []*Scenario) []Result {
	results := make([]Result, len(scs))
	workers := max(r.Parallel, 1)
	done := make([]chan struct{}, len(scs))
	for i := range done {
		done[i] = make(chan struct{})
	}
	sem := make(chan struct{}, workers)
	go func() {
		for i, sc := range scs {
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; close(done[i]) }()
				var buf bytes.Buffer
				rr := *r
				rr.Out = &buf
				results[i] = rr.Run(ctx, sc)
				results[i].Report = buf.String()
			}()
		}
	}()
	var failed, refused, steps, stepFails int
	for i := range scs {
		<-done[i]
		res := results[i]
		_, _ = io.WriteString(r.Out, res.Report)
		steps += res.Passed + res.Failed
		stepFails += res.Failed
		switch {
		case res.Refused != "":
			refused++
		case !res.OK():
			failed++
		}
	}
	summary := fmt.Sprintf("\n%d scenarios: %d passed, %d failed", len(scs), len(scs)-failed-refused, failed)
	if refused > 0 {
		summary += fmt.Sprintf(", %d skipped", refused)
	}
	fmt.Fprintf(r.Out, "%s (%d steps run, %d failed)\n", summary, steps, stepFails)
	return results
}

// AllOK reports whether no scenario failed (skipped ones do not fail a run).
func AllOK(results []Result) bool {
	for _, res := range results {
		if res.Refused == "" && !res.OK() {
			return false
		}
	}
	return true
}

// Run runs one scenario: it creates its dealers and users, then runs the steps in order, stopping at the first
// failure (the remaining steps are reported as SKIP).
func (r *Runner) Run(ctx context.Context, sc *Scenario) Result {
	start := time.Now()
	res := Result{Scenario: sc.Name, File: sc.file}
	defer func() { res.Elapsed = time.Since(start) }()
	fmt.Fprintf(r.Out, "=== %s (%s)\n", sc.Name, sc.file)
	st, err := r.setup(ctx, sc)
	if st != nil {
		defer closeEnv(st.env)
	}
	var refusal *refusedError
	switch {
	case errors.As(err, &refusal):
		res.Refused = refusal.reason
		fmt.Fprintf(r.Out, "SKIP  %s\n--- SKIP %s\n", refusal.reason, sc.Name)
		return res
	case err != nil:
		res.Err = err
		res.Failure = "setup: " + err.Error()
		fmt.Fprintf(r.Out, "FAIL  setup: %v\n--- FAIL %s\n", err, sc.Name)
		return res
	}
	for i, step := range sc.Steps {
		label := fmt.Sprintf("%2d %s", i+1, st.label(step))
		if res.Failed > 0 {
			res.Skipped++
			fmt.Fprintf(r.Out, "SKIP  %s\n", label)
			continue
		}
		if problem := st.do(ctx, step); problem != "" {
			res.Failed++
			res.Failure = strings.TrimSpace(label) + ": " + problem
			fmt.Fprintf(r.Out, "FAIL  %s: %s\n", label, problem)
			continue
		}
		res.Passed++
		fmt.Fprintf(r.Out, "PASS  %s\n", label)
	}
	if res.OK() {
		fmt.Fprintf(r.Out, "--- PASS %s (%d steps)\n", sc.Name, res.Passed)
	} else {
		fmt.Fprintf(r.Out, "--- FAIL %s (step %d of %d failed)\n", sc.Name, res.Passed+1, len(sc.Steps))
	}
	return res
}

// closeEnv releases what an Env holds (a database) when it has a Close method.
func closeEnv(env Env) {
	if c, ok := env.(io.Closer); ok {
		_ = c.Close()
	}
}

// refusedError says why a scenario cannot run against its Env at all.
type refusedError struct{ reason string }

func (e *refusedError) Error() string { return e.reason }

// state is one scenario's run: its clock, system, users' tokens and variables.
type state struct {
	r      *Runner
	sc     *Scenario
	clock  *crm.ManualClock
	env    Env
	tokens map[string]string // user alias → token
	vars   vars
}

func (r *Runner) setup(ctx context.Context, sc *Scenario) (*state, error) {
	start, err := sc.start()
	if err != nil {
		return nil, err
	}
	clock := crm.NewManualClock(start)
	env, err := r.New(clock)
	if err != nil {
		return nil, err
	}
	st := &state{r: r, sc: sc, clock: clock, env: env, tokens: map[string]string{},
		vars: vars{saved: map[string]any{}, now: clock.Now, zone: start.Location()}}
	if remote, ok := env.(*RemoteEnv); ok {
		return st, st.setupRemote(ctx, remote)
	}
	dealers := map[string]crm.ID{}
	for _, alias := range sortedKeys(sc.Dealers) {
		spec := sc.Dealers[alias]
		if spec.Name == "" {
			spec.Name = alias
		}
		id, err := env.AddDealer(ctx, spec)
		if err != nil {
			return nil, fmt.Errorf("dealer %q: %w", alias, err)
		}
		dealers[alias] = id
		st.vars.saved["dealer."+alias+".id"] = id.String()
	}
	for _, alias := range sortedKeys(sc.Users) {
		spec := sc.Users[alias]
		if spec.Name == "" {
			spec.Name = alias
		}
		id, token, err := env.AddUser(ctx, dealers[spec.Dealer], spec)
		if err != nil {
			return nil, fmt.Errorf("user %q: %w", alias, err)
		}
		st.tokens[alias] = token
		st.vars.saved["user."+alias+".id"] = id.String()
	}
	return st, nil
}

// label names a step in the report.
func (st *state) label(step Step) string {
	switch {
	case step.Name != "":
		return step.Name
	case step.Advance != "":
		return "advance the clock by " + step.Advance
	case step.SetClock != "":
		return "set the clock to " + step.SetClock
	}
	return step.Request.Method + " " + step.Request.Path
}

// do runs one step and returns what went wrong ("" when it passed).
func (st *state) do(ctx context.Context, step Step) string {
	switch {
	case step.Advance != "":
		d, _ := time.ParseDuration(step.Advance)
		st.clock.Advance(d)
		return ""
	case step.SetClock != "":
		t, _ := time.Parse(time.RFC3339, step.SetClock)
		st.clock.Set(t)
		return ""
	}
	req, reqBody, err := st.request(ctx, step)
	if err != nil {
		return err.Error()
	}
	rec := httptest.NewRecorder()
	st.env.ServeHTTP(rec, req)
	resp := rec.Result()
	body, _ := io.ReadAll(resp.Body)
	if st.r.Verbose {
		st.trace(req, reqBody, resp, body)
	}
	doc, jsonErr := decode(body)
	problems := st.check(step.Expect, resp, body, doc, jsonErr)
	if len(problems) > 0 {
		return strings.Join(problems, "; ")
	}
	for _, name := range sortedKeys(step.Save) {
		from := step.Save[name]
		if h, ok := strings.CutPrefix(from, "header:"); ok {
			v := resp.Header.Get(h)
			if v == "" {
				return fmt.Sprintf("save %s: no %s header", name, h)
			}
			st.vars.saved[name] = v
			continue
		}
		if jsonErr != nil {
			return fmt.Sprintf("save %s: the response is not JSON", name)
		}
		v, found := lookup(doc, from)
		if !found {
			return fmt.Sprintf("save %s: %s is missing in %s", name, from, show(doc))
		}
		st.vars.saved[name] = v
	}
	return ""
}

// request builds the step's HTTP request with variables expanded and the user's token.
func (st *state) request(ctx context.Context, step Step) (*http.Request, []byte, error) {
	rq := step.Request
	p, err := st.vars.expand(rq.Path)
	if err != nil {
		return nil, nil, err
	}
	var body []byte
	contentType := ""
	switch {
	case rq.BodyFile != "":
		b, err := st.sc.read(rq.BodyFile)
		if err != nil {
			return nil, nil, fmt.Errorf("body_file: %w", err)
		}
		s, err := st.vars.expand(string(b))
		if err != nil {
			return nil, nil, err
		}
		body = []byte(s)
	case len(rq.Body) > 0:
		v, err := decode(rq.Body)
		if err != nil {
			return nil, nil, fmt.Errorf("body: %w", err)
		}
		if s, ok := v.(string); ok {
			s, err = st.vars.expand(s)
			if err != nil {
				return nil, nil, err
			}
			body = []byte(s)
			break
		}
		if v, err = st.vars.expandValue(v); err != nil {
			return nil, nil, err
		}
		if body, err = json.Marshal(v); err != nil {
			return nil, nil, err
		}
		contentType = "application/json"
	}
	req := httptest.NewRequestWithContext(ctx, rq.Method, p, bytes.NewReader(body))
	if body == nil {
		req = httptest.NewRequestWithContext(ctx, rq.Method, p, nil)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	as := step.As
	if as == "" {
		as = st.sc.As
	}
	if as != "" && as != Anonymous {
		req.Header.Set("Authorization", "Bearer "+st.tokens[as])
	}
	for _, k := range sortedKeys(rq.Headers) {
		v, err := st.vars.expand(rq.Headers[k])
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set(k, v)
	}
	return req, body, nil
}

// check compares the response with the expectations and lists every difference.
func (st *state) check(ex Expect, resp *http.Response, body []byte, doc any, jsonErr error) []string {
	var out []string
	if ex.Status != 0 && resp.StatusCode != ex.Status {
		msg := fmt.Sprintf("status %d, want %d", resp.StatusCode, ex.Status)
		if jsonErr == nil {
			if d, ok := lookup(doc, "detail"); ok {
				msg += fmt.Sprintf(" (%s)", text(d))
			}
			if fe, ok := lookup(doc, "errors"); ok {
				msg += " " + show(fe)
			}
		}
		out = append(out, msg)
	}
	if ex.ContentType != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), ex.ContentType) {
		out = append(out, fmt.Sprintf("content type %q, want %q", resp.Header.Get("Content-Type"), ex.ContentType))
	}
	for _, h := range sortedKeys(ex.Headers) {
		want, err := st.vars.expand(ex.Headers[h])
		if err != nil {
			out = append(out, err.Error())
			continue
		}
		m, err := parseStringMatcher(want)
		if err != nil {
			out = append(out, fmt.Sprintf("header %s: %v", h, err))
			continue
		}
		got, found := resp.Header.Get(h), len(resp.Header.Values(h)) > 0
		var v any
		if found {
			v = got
		}
		if p := m.check(v, found); p != "" {
			out = append(out, fmt.Sprintf("header %s: %s", h, p))
		}
	}
	if ex.BodyPrefix != "" && !bytes.HasPrefix(body, []byte(ex.BodyPrefix)) {
		out = append(out, fmt.Sprintf("body starts with %q, want %q", body[:min(len(body), len(ex.BodyPrefix))], ex.BodyPrefix))
	}
	for _, s := range ex.BodyContains {
		want, err := st.vars.expand(s)
		if err != nil {
			out = append(out, err.Error())
			continue
		}
		if !bytes.Contains(body, []byte(want)) {
			out = append(out, fmt.Sprintf("body does not contain %q", want))
		}
	}
	if len(ex.PDFContains) > 0 {
		out = append(out, checkPDFText(st, body, ex.PDFContains)...)
	}
	if len(ex.JSON) > 0 && jsonErr != nil {
		return append(out, fmt.Sprintf("the response is not JSON (%s)", resp.Header.Get("Content-Type")))
	}
	for _, p := range sortedKeys(ex.JSON) {
		m, err := st.expected(ex.JSON[p])
		if err != nil {
			out = append(out, fmt.Sprintf("json %s: %v", p, err))
			continue
		}
		v, found := lookup(doc, p)
		if problem := m.check(v, found); problem != "" {
			out = append(out, fmt.Sprintf("json %s: %s", p, problem))
		}
	}
	return out
}

// expected reads an expected value with variables expanded.
func (st *state) expected(raw json.RawMessage) (matcher, error) {
	v, err := decode(raw)
	if err != nil {
		return matcher{}, err
	}
	if v, err = st.vars.expandValue(v); err != nil {
		return matcher{}, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return matcher{}, err
	}
	return parseMatcher(b)
}

// trace prints a request and its response (verbose mode).
func (st *state) trace(req *http.Request, reqBody []byte, resp *http.Response, body []byte) {
	fmt.Fprintf(st.r.Out, "      > %s %s\n", req.Method, req.URL.RequestURI())
	if len(reqBody) > 0 {
		fmt.Fprintf(st.r.Out, "      > %s\n", shorten(string(reqBody), 400))
	}
	fmt.Fprintf(st.r.Out, "      < %d %s\n", resp.StatusCode, resp.Header.Get("Content-Type"))
	if len(body) > 0 {
		if ct := resp.Header.Get("Content-Type"); strings.Contains(ct, "json") || strings.HasPrefix(ct, "text/") || strings.Contains(ct, "xml") {
			fmt.Fprintf(st.r.Out, "      < %s\n", shorten(string(body), 600))
		} else {
			fmt.Fprintf(st.r.Out, "      < (%d bytes)\n", len(body))
		}
	}
}

func shorten(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
