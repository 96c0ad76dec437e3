package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CORS says which browser origins other than the API's own may call it. The zero value allows none: a browser
// page served from another origin cannot read any answer.
type CORS struct {
	// AllowedOrigins are exact origins ("https://crm.example.com", "http://127.0.0.1:5173"); "*" allows any origin
	// (and then credentials are never allowed).
	AllowedOrigins []string
	// AllowCredentials lets browsers send cookies and TLS client certificates (bearer tokens do not need it).
	// New refuses it together with "*".
	AllowCredentials bool
	// MaxAge is how long a browser may keep a preflight's answer; default 10 minutes.
	MaxAge time.Duration
}

// corsRequestHeaders are the request headers a cross-origin caller may send.
var corsRequestHeaders = []string{"Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-Id"}

// corsExposedHeaders are the response headers a cross-origin page may read besides the safelisted ones.
var corsExposedHeaders = []string{"ETag", "Location", "Idempotent-Replayed", "X-Request-Id", "Retry-After"}

// cors is the checked form of a CORS configuration.
type cors struct {
	any         bool
	origins     map[string]bool
	credentials bool
	maxAge      string
}

// newCORS checks c: origins must be scheme://host[:port] or "*", and credentials never go with "*".
func newCORS(c CORS) (*cors, error) {
	out := &cors{origins: map[string]bool{}, credentials: c.AllowCredentials}
	for _, o := range c.AllowedOrigins {
		o = strings.TrimSpace(o)
		switch {
		case o == "":
		case o == "*":
			out.any = true
		case !validOrigin(o):
			return nil, errors.New("httpapi.New: CORS origin " + strconv.Quote(o) + " is not scheme://host[:port]")
		default:
			out.origins[strings.ToLower(o)] = true
		}
	}
	if out.any && out.credentials {
		return nil, errors.New("httpapi.New: CORS credentials are never allowed with the wildcard origin \"*\"")
	}
	maxAge := c.MaxAge
	if maxAge <= 0 {
		maxAge = 10 * time.Minute
	}
	out.maxAge = strconv.Itoa(int(maxAge / time.Second))
	return out, nil
}

// validOrigin reports whether o looks like a serialized origin: http(s)://host[:port], no path.
func validOrigin(o string) bool {
	scheme, rest, ok := strings.Cut(o, "://")
	if !ok || (scheme != "http" && scheme != "https") || rest == "" {
		return false
	}
	return !strings.ContainsAny(rest, "/?#@ ")
}

// enabled reports whether any origin is allowed.
func (c *cors) enabled() bool { return c.any || len(c.origins) > 0 }

// allowOrigin returns the Access-Control-Allow-Origin value for origin, or "" when it is refused.
func (c *cors) allowOrigin(origin string) string {
	switch {
	case origin == "":
		return ""
	case c.origins[strings.ToLower(origin)]:
		return origin
	case c.any:
		return "*"
	}
	return ""
}

// decorate adds the CORS headers of an actual (non-preflight) request from an allowed origin.
func (c *cors) decorate(w http.ResponseWriter, r *http.Request) {
	if !c.enabled() {
		return
	}
	w.Header().Add("Vary", "Origin")
	allowed := c.allowOrigin(r.Header.Get("Origin"))
	if allowed == "" {
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", allowed)
	w.Header().Set("Access-Control-Expose-Headers", strings.Join(corsExposedHeaders, ", "))
	if c.credentials && allowed != "*" {
		w.Header().Set("Access-Control-Allow-Credentials", "true")
	}
}

// isPreflight reports whether r is a CORS preflight request.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" &&
		r.Header.Get("Access-Control-Request-Method") != ""
}

// servePreflight answers a preflight: 204 with the methods the path serves and the headers the API reads when
// the origin is allowed; a 403 problem when it is not; a 404 problem for a path no route serves.
func (h *Handler) servePreflight(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
	methods := h.methodsOf(r)
	if len(methods) == 0 {
		writeProblem(w, r, &httpError{status: http.StatusNotFound, code: codeNoRoute, title: "Not found",
			detail: "no route serves " + r.URL.Path})
		return
	}
	origin := r.Header.Get("Origin")
	allowed := h.cors.allowOrigin(origin)
	if allowed == "" {
		writeProblem(w, r, &httpError{status: http.StatusForbidden, code: codeOriginNotAllowed,
			title: "Origin not allowed", detail: "cross-origin requests from " + origin + " are not allowed"})
		return
	}
	hd := w.Header()
	hd.Set("Access-Control-Allow-Origin", allowed)
	hd.Set("Access-Control-Allow-Methods", strings.Join(methods, ", "))
	hd.Set("Access-Control-Allow-Headers", strings.Join(corsRequestHeaders, ", "))
	hd.Set("Access-Control-Max-Age", h.cors.maxAge)
	if h.cors.credentials && allowed != "*" {
		hd.Set("Access-Control-Allow-Credentials", "true")
	}
	w.WriteHeader(http.StatusNoContent)
}

// methodsOf returns the methods the route table serves on r's path (with HEAD beside GET), sorted; none when no
// route matches the path.
func (h *Handler) methodsOf(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := h.mux.Handler(probe); pattern != "" && strings.HasPrefix(pattern, m+" ") {
			out = append(out, m)
			if m == http.MethodGet {
				out = append(out, http.MethodHead)
			}
		}
	}
	slices.Sort(out)
	return out
}
