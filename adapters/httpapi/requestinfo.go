package httpapi

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"net/url"
	"unsafe"

	"github.com/dealercrm/dealercrm/crm"
)

// requestInfo is what the outer middleware learns about a request while inner layers handle it: the request id
// given at the start, and the user and dealer once authenticated (for the request log). Once authed, the
// request's context answers crm.ScopeKey with scope (the user's dealer and the user as actor): authenticating a
// request adds no context node and makes no second *http.Request.
type requestInfo struct {
	id     string
	user   crm.User
	scope  crm.Scope
	authed bool
	// rawQuery and query are the request's query parsed once (queryOf): the checks and the handler read it
	// several times.
	rawQuery string
	query    url.Values
}

// requestInfoKey is the context key of a request's *requestInfo (answered by its requestCtx).
type requestInfoKey struct{}

func requestInfoFrom(ctx context.Context) *requestInfo {
	ri, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return ri
}

// requestIDFrom returns the request's id, or "" outside the handler.
func requestIDFrom(ctx context.Context) string {
	if ri := requestInfoFrom(ctx); ri != nil {
		return ri.id
	}
	return ""
}

// queryOf returns r's query parameters (r.URL.Query()), parsed once per request: callers read them and must not
// change them. A request without a query has none (nil).
func queryOf(r *http.Request) url.Values {
	raw := r.URL.RawQuery
	if raw == "" {
		return nil
	}
	ri := requestInfoFrom(r.Context())
	if ri == nil {
		return r.URL.Query()
	}
	if ri.query == nil || ri.rawQuery != raw { // a request cloned with another query (countList) parses its own
		ri.query, ri.rawQuery = r.URL.Query(), raw
	}
	return ri.query
}

// newRequestID writes 16 random hex digits into buf and returns them as a string sharing buf's memory (no
// allocation of its own): buf must not change afterwards, as long as the string may be used (the request's state
// holds it and is never reused). An id names a request in the logs, it guards nothing: it comes from
// math/rand/v2's per-thread generator (a ChaCha8 seeded by the runtime), not from a system call per request.
func newRequestID(buf *[16]byte) string {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], rand.Uint64())
	hex.Encode(buf[:], b[:])
	return unsafe.String(&buf[0], len(buf))
}

// validRequestID accepts a caller's X-Request-Id when it is short printable ASCII without spaces.
func validRequestID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
