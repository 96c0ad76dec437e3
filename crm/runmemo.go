package crm

import (
	"context"
	"sync"
)

// RunMemo keeps what a Notifier reads for every message of one relay run and may reuse for the rest of it: a
// run (Relay.RunOnce) is one batch of one dealer's messages, claimed together and sent within about a second
// when the notifier is quick, so that the dealer's settings read for its first message (the notify service's
// mailbox settings, the dealer, the templates) serve the others. RunOnce gives Send a context with a fresh one;
// RunMemoFrom finds it. Outside a run there is none, and a nil RunMemo keeps nothing: Load finds nothing, Store
// does nothing. A change of the settings made during a run is seen from the next run on.
type RunMemo struct {
	mu   sync.Mutex
	vals map[any]any
}

type runMemoKey struct{}

// WithRunMemo returns ctx carrying a fresh RunMemo (Relay.RunOnce gives one to each run's sends).
func WithRunMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, runMemoKey{}, &RunMemo{})
}

// RunMemoFrom returns the relay run's memo that ctx carries, or nil.
func RunMemoFrom(ctx context.Context) *RunMemo {
	m, _ := ctx.Value(runMemoKey{}).(*RunMemo)
	return m
}

// Load returns the value kept under key, if any.
func (m *RunMemo) Load(key any) (any, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.vals[key]
	return v, ok
}

// Store keeps v under key for the rest of the run.
func (m *RunMemo) Store(key, v any) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.vals == nil {
		m.vals = map[any]any{}
	}
	m.vals[key] = v
}
