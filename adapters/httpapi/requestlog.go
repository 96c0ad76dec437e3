package httpapi

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/dealercrm/dealercrm/crm"
)

// requestLogHandlers keeps, per request method and authenticated user, the handler the request log line is
// written with: the logger's handler with the fields that do not change from one request of that user to the next
// (method, dealer, user) added once, through slog.Handler.WithAttrs. A line then formats only the five fields
// of its own (path, status, duration, bytes, request_id), which a slog.Record holds without allocating; a JSON or
// text handler writes the others from bytes it formatted once. The line has the same fields as when every one
// was the record's: slog.Handler's contract makes a handler's attributes and a record's the same output, but
// those of WithAttrs come first (method, dealer, user, path, …).
//
// Lookups take no lock: the map is replaced, never changed, when a handler is added (under mu); past
// maxRequestLogHandlers entries it starts afresh.
type requestLogHandlers struct {
	base slog.Handler
	mu   sync.Mutex
	m    atomic.Pointer[map[requestLogKey]slog.Handler]
}

// requestLogKey names a derived handler: the request's method and, for an authenticated request, its scope.
type requestLogKey struct {
	method string
	scope  crm.Scope
}

// maxRequestLogHandlers is how many derived handlers a requestLogHandlers keeps at most.
const maxRequestLogHandlers = 1024

// handler returns the handler for a request of method by the user of ri (nil ri or !ri.authed: unauthenticated),
// and false when the method is not one of HTTP's own, whose line carries all its fields in the record.
func (c *requestLogHandlers) handler(method string, ri *requestInfo) (slog.Handler, bool) {
	method, ok := standardMethod(method)
	if !ok {
		return nil, false
	}
	k := requestLogKey{method: method}
	if ri != nil && ri.authed {
		k.scope = ri.scope
	}
	if m := c.m.Load(); m != nil {
		if h, ok := (*m)[k]; ok {
			return h, true
		}
	}
	attrs := []slog.Attr{slog.String("method", method)}
	if k.scope != (crm.Scope{}) {
		attrs = append(attrs, slog.String("dealer", k.scope.Dealer.String()), slog.String("user", k.scope.Actor.String()))
	}
	derived := c.base.WithAttrs(attrs)
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	next := make(map[requestLogKey]slog.Handler, 8)
	if old != nil && len(*old) < maxRequestLogHandlers {
		for k, v := range *old {
			next[k] = v
		}
	}
	next[k] = derived
	c.m.Store(&next)
	return derived, true
}

// standardMethod returns method as the constant of net/http that spells it (a string no request owns), and
// whether it is one.
func standardMethod(method string) (string, bool) {
	for _, m := range [...]string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions} {
		if method == m {
			return m, true
		}
	}
	return "", false
}
