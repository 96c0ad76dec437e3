package httpapi

import (
	"net/http"
)

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
	if h.cfg.Ready != nil {
		if err := h.cfg.Ready(r.Context()); err != nil {
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
