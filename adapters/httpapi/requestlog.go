package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/internal/boundedmap"
)

// requestLogHandlers keeps, per request method and authenticated user, the handler the request log line is
// written with: the logger's handler with the fields that do not change from one request of that user to the next
// (method, dealer, user) added once, through slog.Handler.WithAttrs. A line then formats only the five fields
// of its own (path, status, duration, bytes, request_id), which a slog.Record holds without allocating; a JSON or
// text handler writes the others from bytes it formatted once. The line has the same fields as when every one
// was the record's: slog.Handler's contract makes a handler's attributes and a record's the same output, but
// those of WithAttrs come first (method, dealer, user, path, …).
//
// The map is a boundedmap.Sync (a lookup is a map read under a lock held for no longer) of at most
// maxRequestLogHandlers entries: when full it makes room, as the token cache does, so that a miss costs one
// WithAttrs and one insert however many users a process serves.
type requestLogHandlers struct {
	base slog.Handler
	m    *boundedmap.Sync[requestLogKey, slog.Handler]
}

// newRequestLogHandlers returns the derived handlers of base, none yet.
func newRequestLogHandlers(base slog.Handler) requestLogHandlers {
	return requestLogHandlers{base: base, m: boundedmap.NewSync[requestLogKey, slog.Handler](maxRequestLogHandlers, nil)}
}

// requestLogKey names a derived handler: the request's method and, for an authenticated request, its scope.
type requestLogKey struct {
	method string
	scope  crm.Scope
}

// maxRequestLogHandlers is how many derived handlers a requestLogHandlers keeps at most.
const maxRequestLogHandlers = 4096

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
	if h, ok := c.m.Get(k); ok {
		return h, true
	}
	attrs := []slog.Attr{slog.String("method", method)}
	if k.scope != (crm.Scope{}) {
		attrs = append(attrs, slog.String("dealer", k.scope.Dealer.String()), slog.String("user", k.scope.Actor.String()))
	}
	h := c.base.WithAttrs(attrs)
	c.m.Put(k, h)
	return h, true
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
