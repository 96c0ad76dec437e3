package httpapi

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"
)

// DefaultReadyGrace is the default Config.ReadyGrace.
const DefaultReadyGrace = 5 * time.Second

// readyCheckTimeout bounds one call of Config.Ready.
const readyCheckTimeout = 2 * time.Second

// health remembers when requests last reached the storage and succeeded, and when the storage was last found
// unavailable (a 503), for /readyz. Safe for concurrent use.
type health struct {
	ok, outage atomic.Int64 // unix nanoseconds of the handler's clock; 0: never
}

// observe records the outcome of a request that reached the storage (an authenticated one): a success (below
// 500) or an outage (503). /readyz's own answers and other public routes prove nothing and are not recorded.
func (s *health) observe(authed bool, status int, now time.Time) {
	switch {
	case !authed || status == 0:
	case status == http.StatusServiceUnavailable:
		s.outage.Store(now.UnixNano())
	case status < 500:
		s.ok.Store(now.UnixNano())
	}
}

// serving reports whether a request succeeded within grace before now with no outage since.
func (s *health) serving(now time.Time, grace time.Duration) bool {
	if grace == 0 {
		grace = DefaultReadyGrace
	}
	ok := s.ok.Load()
	return grace > 0 && ok != 0 && ok >= s.outage.Load() && now.UnixNano()-ok < int64(grace)
}

// healthOut is the body of /healthz and /readyz.
type healthOut struct {
	Status string `json:"status"`
}

func (h *Handler) systemRoutes() []route {
	return []route{
		{Method: "GET", Path: "/healthz", ID: "health", Tag: "system", Access: public, Status: 200, Out: healthOut{},
			Summary: "Liveness: 200 while the process runs", handle: h.health},
		{Method: "GET", Path: "/readyz", ID: "ready", Tag: "system", Access: public, Status: 200, Out: healthOut{},
			Summary: "Readiness: 200 when the storage answers, else 503", handle: h.ready},
		{Method: "GET", Path: "/openapi.json", ID: "openapi", Tag: "system", Access: public, Status: 200,
			Summary: "This OpenAPI 3 document", OutType: "application/json", handle: h.serveOpenAPI},
	}
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, healthOut{Status: "ok"})
}

func (h *Handler) ready(w http.ResponseWriter, r *http.Request) error {
	if h.cfg.Ready != nil && !h.storage.serving(h.clock.Now(), h.cfg.ReadyGrace) {
		ctx, cancel := context.WithTimeout(r.Context(), readyCheckTimeout)
		defer cancel()
		if err := h.cfg.Ready(ctx); err != nil {
			h.logger.ErrorContext(r.Context(), "not ready", "error", err.Error())
			return &httpError{status: http.StatusServiceUnavailable, code: codeNotReady, title: "Not ready",
				detail: "a dependency does not answer", header: http.Header{"Retry-After": {"5"}}}
		}
	}
	return writeJSON(w, http.StatusOK, healthOut{Status: "ready"})
}

func (h *Handler) serveOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(h.openapi)
	return nil
}
