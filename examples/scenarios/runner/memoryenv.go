package runner

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
)

// MemoryEnv is the real system in memory: every service over a fresh memory.DB (adapters/stack) behind the real
// JSON API (adapters/httpapi).
type MemoryEnv struct {
	Stack   *stack.Stack
	handler http.Handler
}

// NewMemoryEnv is the Factory of the scenario command: a fresh in-memory stack and API over clock.
func NewMemoryEnv(clock crm.Clock) (Env, error) {
	st := stack.New(memory.New(), clock)
	h, err := httpapi.New(st.HTTPConfig())
	if err != nil {
		return nil, err
	}
	return &MemoryEnv{Stack: st, handler: h}, nil
}

// ServeHTTP serves a request through the API.
func (e *MemoryEnv) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.handler.ServeHTTP(w, r) }

// AddDealer creates the dealer (with sample requisites where d leaves them blank) and seeds its directories.
func (e *MemoryEnv) AddDealer(ctx context.Context, d DealerSpec) (crm.ID, error) {
	nd, err := e.Stack.AddDealer(ctx, d.dealer())
	return nd.ID, err
}

// AddUser creates the user and an API key for it.
func (e *MemoryEnv) AddUser(ctx context.Context, dealer crm.ID, u UserSpec) (crm.ID, string, error) {
	nu, err := e.Stack.AddUser(crm.WithDealer(ctx, dealer), crm.User{Name: u.Name, Role: u.Role})
	if err != nil {
		return crm.ID{}, "", err
	}
	token, err := e.Stack.IssueAPIKey(ctx, nu, "scenario")
	return nu.ID, token, err
}
