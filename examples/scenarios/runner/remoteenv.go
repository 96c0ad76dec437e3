package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/dealercrm/dealercrm/crm"
)

// RemoteEnv is a running server the runner does not own (go run ./examples/server, a staging system): requests
// go to it over HTTP, the scenario's users are given by their tokens (from the environment, see TokenVar), and
// its dealers are the ones those tokens belong to. Its clock cannot be moved, so a scenario with advance or
// set_clock steps is skipped, saying so; times in requests are read against the server's real clock. Scenarios
// against one server share its data: run them one by one.
type RemoteEnv struct {
	base  *url.URL
	token func(alias string) string
	proxy *httputil.ReverseProxy
}

// TokenVar is the environment variable that holds the token of the scenario user alias against a running server:
// DEALERCRM_TOKEN_ and the alias in upper case, other characters than letters and digits as underscores
// (user "anna" → DEALERCRM_TOKEN_ANNA).
func TokenVar(alias string) string {
	return "DEALERCRM_TOKEN_" + strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToUpper(r)
		}
		return '_'
	}, alias)
}

// NewRemoteFactory returns the Factory of scenarios against the server at base (http://host:port), taking each
// user's token from token(alias) — os.Getenv(TokenVar(alias)) in the command.
func NewRemoteFactory(base string, token func(alias string) string) (Factory, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("-base %q is not an http(s)://host[:port] URL", base)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.Transport = &http.Transport{Proxy: nil, ResponseHeaderTimeout: 60 * time.Second}
	proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "the server at %s does not answer: %v", u, err)
	}
	env := &RemoteEnv{base: u, token: token, proxy: proxy}
	return func(crm.Clock) (Env, error) { return env, nil }, nil
}

// ServeHTTP sends the request to the server and copies its answer.
func (e *RemoteEnv) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.proxy.ServeHTTP(w, r) }

// errNotOnServer: a running server's dealers and users are not created by the runner.
var errNotOnServer = errors.New("a running server's dealers and users are not created by the scenario runner: give the users' tokens")

// AddDealer is refused: the scenario's dealers are those of its users' tokens.
func (e *RemoteEnv) AddDealer(context.Context, DealerSpec) (crm.ID, error) {
	return crm.ID{}, errNotOnServer
}

// AddUser is refused: the scenario's users are given by their tokens.
func (e *RemoteEnv) AddUser(context.Context, crm.ID, UserSpec) (crm.ID, string, error) {
	return crm.ID{}, "", errNotOnServer
}

// me asks the server who token is: GET /api/v1/me.
func (e *RemoteEnv) me(ctx context.Context, token string) (user, dealer string, role crm.Role, err error) {
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return "", "", "", fmt.Errorf("GET /api/v1/me answered %d: %s", rec.Code, shorten(rec.Body.String(), 200))
	}
	var me struct {
		User   struct{ ID string } `json:"user"`
		Role   crm.Role            `json:"role"`
		Dealer struct{ ID string } `json:"dealer"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &me); err != nil {
		return "", "", "", fmt.Errorf("GET /api/v1/me: %w", err)
	}
	return me.User.ID, me.Dealer.ID, me.Role, nil
}

// setupRemote prepares a scenario against a running server: it refuses one that moves the clock, takes each
// user's token from the environment and learns the user's and dealer's IDs from /api/v1/me.
func (st *state) setupRemote(ctx context.Context, e *RemoteEnv) error {
	for i, step := range st.sc.Steps {
		if step.Advance != "" || step.SetClock != "" {
			return &refusedError{reason: fmt.Sprintf("step %d moves the clock (%s), which a running server's cannot: "+
				"run this scenario in memory or with -postgres", i+1, strings.TrimSpace(st.label(step)))}
		}
	}
	st.vars.now = func() time.Time { return time.Now().In(st.vars.zone) }
	for _, alias := range sortedKeys(st.sc.Users) {
		spec := st.sc.Users[alias]
		token := e.token(alias)
		if token == "" {
			return fmt.Errorf("user %q: set %s to the token of a %s user of the server", alias, TokenVar(alias), spec.Role)
		}
		user, dealer, role, err := e.me(ctx, token)
		if err != nil {
			return fmt.Errorf("user %q (%s): %w", alias, TokenVar(alias), err)
		}
		if role != spec.Role {
			return fmt.Errorf("user %q (%s): the token's user is %s, the scenario wants %s", alias, TokenVar(alias), role, spec.Role)
		}
		st.tokens[alias] = token
		st.vars.saved["user."+alias+".id"] = user
		if spec.Dealer != "" {
			key := "dealer." + spec.Dealer + ".id"
			if had, ok := st.vars.saved[key]; ok && had != dealer {
				return fmt.Errorf("users of dealer %q have tokens of two dealers (%s and %s)", spec.Dealer, had, dealer)
			}
			st.vars.saved[key] = dealer
		}
	}
	return nil
}
