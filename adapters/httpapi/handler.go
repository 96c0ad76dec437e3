package httpapi

import (
	"context"
	"errors"
	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/plans"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/notify"
	"github.com/dealercrm/dealercrm/playbooks"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/dealercrm/dealercrm/timeline"
)

// Config is what the handler serves and how. Every service is optional: the routes of a missing one are neither
// served nor documented. Kernel (or Auth) is required.
type Config struct {
	// Kernel is the kernel's unit of work: customers, documents, /me, users and API keys (and, for the default
	// Authenticator, the keys' lookup).
	Kernel crm.UnitOfWork[crm.Stores]
	// Catalog serves /api/v1/vehicles, /reserved-vehicles, /parts and /services.
	Catalog *catalog.Service
	// Leads serves /api/v1/leads, /need-types, /lead-stages, /test-drives and the ADF import.
	Leads *leads.Service
	// Sales serves /api/v1/sales, /sales-stages, /orders and lead conversion.
	Sales *sales.Service
	// CustomerVehicles serves /api/v1/customer-vehicles.
	CustomerVehicles *aftersales.Service
	// Customers serves /api/v1/customers (create, edit, find by phone or e-mail, merge).
	Customers *customers.Service
	// Activities serves /api/v1/activities (list, create, change, complete).
	Activities *activities.Service
	// Playbooks serves /api/v1/playbooks (every stage's) and /api/v1/playbooks/{stage_id} (the steps of a lead
	// stage or sales stage).
	Playbooks *playbooks.Service
	// Timeline serves /api/v1/customers/{id}/timeline.
	Timeline *timeline.Service
	// Plans serves /api/v1/sales-plans (list, create, change, revisions, progress).
	Plans *plans.Service
	// Analytics serves /api/v1/analytics/* (funnel, conversion, stage times, results, summary, lead response).
	Analytics *analytics.Service
	// Credit serves /api/v1/credit/calculate, /credit-programs and /credit-applications.
	Credit *credit.Service
	// Appraisal serves /api/v1/appraisals (sheets, checklist, states, files) and /api/v1/appraisal-template.
	Appraisal *appraisal.Service
	// Notify serves /api/v1/mailbox (admin only), /api/v1/templates, /api/v1/campaigns and the unsubscribe link.
	Notify *notify.Service
	// Contracts renders purchase contracts of sales (contract.pdf, contract.html) and stores them as documents.
	Contracts Contracts
	// Auth resolves bearer tokens; default: NewKeyAuthenticator(Kernel) behind a CachingAuthenticator that
	// remembers a token's user for AuthCacheTTL.
	Auth Authenticator
	// AuthCacheTTL is how long the default Auth remembers a token's user: 0 takes DefaultAuthCacheTTL, a negative
	// value reads the key on every request. A key revoked through this handler, or by a crm.Team that notes in
	// Revocations, stops working at once; one revoked by another process (or a Team noting in no record or
	// another one), or a user's changed role, takes effect within the TTL. Ignored when Auth is set.
	AuthCacheTTL time.Duration
	// Revocations is the deployment's record of revoked API keys (stack.Stack.Revocations): the handler's own
	// crm.Team notes the keys it revokes in it, and the default Auth follows it
	// (CachingAuthenticator.FollowRevocations), so that a key revoked through the embedder's crm.Team given the
	// same record (crm.WithRevocations) is refused at once. nil: none; revocations through the handler still
	// take effect at once, others within AuthCacheTTL. A custom Auth is not given it: a CachingAuthenticator the
	// embedder sets as Auth follows the record when told (FollowRevocations).
	Revocations *crm.Revocations
	// Logger receives one line per request and every internal error; default: discard. A request's line, message
	// "request" at level INFO (ERROR for a 5xx), has the fields method, dealer and user (when authenticated), path,
	// status, duration, bytes and request_id; the first three are added to the logger's handler once per method
	// and user (slog.Handler.WithAttrs, the derived handlers kept), so a line formats only the others. Through a
	// handler of NewJSONLogHandler or NewTextLogHandler (slog's JSON or text lines, byte for byte) the API formats
	// its request lines itself, at a fraction of slog's cost.
	Logger *slog.Logger
	// Clock dates idempotency records; default: crm.SystemClock.
	Clock crm.Clock
	// Idempotency keeps the first response per Idempotency-Key; default: a MemoryIdempotencyStore (24 h).
	Idempotency IdempotencyStore
	// Ready is what /readyz checks (a database ping, say); nil: always ready. It is not asked while requests
	// that reach the storage succeed (see ReadyGrace), so that a check starved under load does not make a
	// serving process look dead.
	Ready func(ctx context.Context) error
	// ReadyGrace is how long after an authenticated request answered below 500 /readyz answers ready without
	// asking Ready (unless the storage was found unavailable since); 0 takes DefaultReadyGrace, a negative
	// value asks Ready every time.
	ReadyGrace time.Duration
	// LogSuccessfulGETs samples the request log: when above 1, only one in LogSuccessfulGETs GET and HEAD requests
	// answered 2xx is logged (the first, then every Nth); writes, errors and every other status are always logged.
	// 0 or 1 logs every request.
	LogSuccessfulGETs int
	// Limits bounds requests; zero fields take their defaults.
	Limits Limits
	// CORS lists the browser origins allowed to call the API from pages of their own; none by default.
	CORS CORS
}

// Limits bounds what one request may ask for.
type Limits struct {
	MaxBodyBytes    int64         // request body; default 1 MiB (over: 413)
	MaxUploadBytes  int64         // request body of a file upload (multipart); default 21 MiB (over: 413)
	RequestTimeout  time.Duration // deadline of a request's context; default 30 s (over: 503)
	DefaultPageSize int           // list page size when ?limit= is absent; default 50
	MaxPageSize     int           // largest ?limit=; default 200 (over: 422 naming limit)
	// CountCap is how many items a list's ?count=true counts at most (default 1000); beyond it the answer's total
	// is the cap, marked total_estimated. Counting reads up to CountCap/MaxPageSize pages.
	CountCap int
}

func (l Limits) withDefaults() Limits {
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = 1 << 20
	}
	if l.MaxUploadBytes <= 0 {
		l.MaxUploadBytes = appraisal.MaxFileSize + 1<<20 // the largest attachment and the multipart framing
	}
	if l.RequestTimeout <= 0 {
		l.RequestTimeout = 30 * time.Second
	}
	if l.MaxPageSize <= 0 {
		l.MaxPageSize = 200
	}
	if l.DefaultPageSize <= 0 {
		l.DefaultPageSize = 50
	}
	l.DefaultPageSize = min(l.DefaultPageSize, l.MaxPageSize)
	if l.CountCap <= 0 {
		l.CountCap = 1000
	}
	return l
}

// Handler is the JSON REST API. It serves absolute paths (/api/v1/..., /healthz, /readyz, /openapi.json); mount
// it at the root of a server, or under a prefix with http.StripPrefix.
type Handler struct {
	cfg     Config
	auth    Authenticator
	logger  *slog.Logger
	clock   crm.Clock
	idem    IdempotencyStore
	limits  Limits
	mux     *http.ServeMux
	routes  []route
	openapi []byte
	cors    *cors
	team    *crm.Team // nil without Config.Kernel
	storage health
	// logCount counts the successful GETs seen, for Config.LogSuccessfulGETs.
	logCount atomic.Uint64
	// requestLog keeps the handlers the request log lines are written with (requestLogHandlers).
	requestLog requestLogHandlers
}

// New returns the handler for cfg. It fails when neither Auth nor Kernel is given.
func New(cfg Config) (*Handler, error) {
	cfg.Contracts = cfg.Contracts.cached()
	h := &Handler{cfg: cfg, auth: cfg.Auth, logger: cfg.Logger, clock: cfg.Clock, idem: cfg.Idempotency,
		limits: cfg.Limits.withDefaults(), mux: http.NewServeMux()}
	if h.clock == nil {
		h.clock = crm.SystemClock{}
	}
	if h.auth == nil {
		if cfg.Kernel == nil {
			return nil, errors.New("httpapi.New: Config.Auth or Config.Kernel is required")
		}
		h.auth = NewKeyAuthenticator(cfg.Kernel).WithClock(h.clock)
		switch ttl := cfg.AuthCacheTTL; {
		case ttl == 0:
			h.auth = NewCachingAuthenticator(h.auth, DefaultAuthCacheTTL, h.clock).FollowRevocations(cfg.Revocations)
		case ttl > 0:
			h.auth = NewCachingAuthenticator(h.auth, ttl, h.clock).FollowRevocations(cfg.Revocations)
		}
	}
	if h.logger == nil {
		h.logger = slog.New(slog.DiscardHandler)
	}
	h.requestLog = newRequestLogHandlers(h.logger.Handler())
	if h.idem == nil {
		h.idem = NewMemoryIdempotencyStore(DefaultIdempotencyTTL)
	}
	c, err := newCORS(cfg.CORS)
	if err != nil {
		return nil, err
	}
	h.cors = c
	if cfg.Kernel != nil {
		h.team = crm.NewTeam(cfg.Kernel, h.clock, crm.WithRevocations(cfg.Revocations))
	}
	h.routes = h.routeTable()
	for _, rt := range h.routes {
		h.mux.Handle(rt.Method+" "+rt.Path, h.serveRoute(rt))
	}
	doc, err := h.openAPIJSON()
	if err != nil {
		return nil, err
	}
	h.openapi = doc
	return h, nil
}

// ServeHTTP serves one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.serveObserved(w, r)
}

// Routes lists the routes served, as "METHOD /path" in the order of the OpenAPI document (for start-up logs).
func (h *Handler) Routes() []string {
	out := make([]string, len(h.routes))
	for i, rt := range h.routes {
		out[i] = rt.Method + " " + rt.Path
	}
	return out
}

// OpenAPI returns the OpenAPI 3 document served at /openapi.json.
func (h *Handler) OpenAPI() []byte { return append([]byte(nil), h.openapi...) }

// dispatch answers CORS preflights and routes everything else through the mux, which matches the request once:
// a route's handler takes the writer over (routedWriter), and whatever the mux answers by itself (404, 405, a
// redirect to the cleaned path) is caught by the muxWriter and becomes a problem.
func (h *Handler) dispatch(w http.ResponseWriter, r *http.Request, mw *muxWriter) {
	if isPreflight(r) {
		h.servePreflight(w, r)
		return
	}
	h.cors.decorate(w, r)
	mw.ResponseWriter = w
	h.mux.ServeHTTP(mw, r)
	if mw.routed {
		return
	}
	switch mw.status {
	case http.StatusNotFound:
		writeProblem(w, r, &httpError{status: http.StatusNotFound, code: codeNoRoute, title: "Not found",
			detail: "no route serves " + r.URL.Path})
	case http.StatusMethodNotAllowed:
		writeProblem(w, r, &httpError{status: http.StatusMethodNotAllowed, code: codeMethodNotAllowed,
			title: "Method not allowed", detail: r.Method + " is not served on " + r.URL.Path,
			header: http.Header{"Allow": mw.header.Values("Allow")}})
	default: // a redirect to the cleaned path
		for k, v := range mw.header {
			w.Header()[k] = v
		}
		w.WriteHeader(mw.status)
	}
}

// muxWriter is the writer the mux gets: until a route takes it over (routedWriter), it keeps the status and headers of
// the mux's own answers and drops their bodies.
type muxWriter struct {
	http.ResponseWriter
	routed bool
	header http.Header
	status int
}

// routedWriter returns the writer a matched route writes to: the one under w when w is a muxWriter, which from then on
// is out of the way.
func routedWriter(w http.ResponseWriter) http.ResponseWriter {
	if mw, ok := w.(*muxWriter); ok {
		mw.routed = true
		return mw.ResponseWriter
	}
	return w
}

func (c *muxWriter) Header() http.Header {
	if c.header == nil {
		c.header = http.Header{}
	}
	return c.header
}
func (c *muxWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return len(b), nil
}
func (c *muxWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

// serveRoute wraps a route: authentication and the dealer scope, the role check, the body limit, idempotency of
// writes, and errors as problems.
func (h *Handler) serveRoute(rt route) http.Handler {
	run := func(w http.ResponseWriter, r *http.Request) {
		if rt.Body != nil || rt.OptionalBody {
			r = withBodySlot(r) // where the decoded body is remembered, to name a problem's fields by its paths
		}
		if err := checkQuery(r, rt.Query); err != nil {
			h.fail(w, r, err)
			return
		}
		handle := rt.handle
		if rt.isList() {
			count, err := wantsCount(r)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if count {
				handle = func(w http.ResponseWriter, r *http.Request) error { return h.serveCounted(w, r, rt) }
			}
		}
		if rt.Body != nil && rt.BodyType == "" {
			var pending *pendingProblems
			r, pending = withPendingProblems(r)
			err := handle(&holdWriter{ResponseWriter: w, pending: pending}, r)
			if err = pending.answerWith(r, err); err != nil {
				h.fail(w, r, err)
			}
			return
		}
		if err := handle(w, r); err != nil {
			h.fail(w, r, err)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w = routedWriter(w)
		if rt.Access == public {
			run(w, r)
			return
		}
		ctx, user, err := h.authenticate(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if !allows(rt.Access, user.Role) {
			h.fail(w, r, crm.Forbidden("httpapi", "role %s may not %s %s", user.Role, r.Method, rt.Path))
			return
		}
		if ctx != r.Context() {
			r = r.WithContext(ctx)
		}
		if r.Body != nil && r.Body != http.NoBody {
			limit := h.limits.MaxBodyBytes
			if rt.BodyType == multipartBody {
				limit = h.limits.MaxUploadBytes
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			run(w, r)
			return
		}
		h.serveIdempotent(w, r, user, run)
	})
}

// fail writes err as a problem, logging internal errors with their real text (never sent to the caller).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := writeProblem(w, r, err)
	if status >= 500 {
		h.logger.LogAttrs(r.Context(), slog.LevelError, "request failed", slog.String("request_id", requestIDFrom(r.Context())),
			slog.String("error", err.Error()))
	}
}
