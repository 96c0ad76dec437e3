package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// statusWriter remembers the status and size of what was written.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// serveObserved is the outermost layer: it gives the request an id, a deadline and a recovery from panics, and
// logs one line when it ends (method, path, status, duration, request id, dealer, user).
func (h *Handler) serveObserved(w http.ResponseWriter, r *http.Request, next http.Handler) {
	start := time.Now()
	ri := &requestInfo{id: r.Header.Get("X-Request-Id")}
	if !validRequestID(ri.id) {
		ri.id = newRequestID()
	}
	w.Header().Set("X-Request-Id", ri.id)
	ctx := withRequestInfo(r.Context(), ri)
	if h.limits.RequestTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.limits.RequestTimeout)
		defer cancel()
	}
	r = r.WithContext(ctx)
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.logger.LogAttrs(ctx, slog.LevelError, "panic", slog.String("request_id", ri.id),
				slog.String("panic", fmt.Sprint(p)), slog.String("stack", string(debug.Stack())))
			if sw.status == 0 {
				writeProblem(sw, r, errors.New("panic"))
			}
		}
		h.logRequest(ctx, r, ri, sw, time.Since(start))
		h.storage.observe(ri.authed, sw.status, h.clock.Now())
	}()
	next.ServeHTTP(sw, r)
}

func (h *Handler) logRequest(ctx context.Context, r *http.Request, ri *requestInfo, sw *statusWriter, d time.Duration) {
	status := sw.status
	if status == 0 {
		status = http.StatusOK
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	if !h.logger.Enabled(ctx, level) || !h.sampled(r, status) {
		return
	}
	var buf [8]slog.Attr // on the stack: the line costs its formatting, not a slice of attributes
	attrs := append(buf[:0],
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Duration("duration", d),
		slog.Int64("bytes", sw.size),
		slog.String("request_id", ri.id),
	)
	if ri.authed {
		attrs = append(attrs, slog.String("dealer", ri.user.DealerID.String()), slog.String("user", ri.user.ID.String()))
	}
	h.logger.LogAttrs(context.WithoutCancel(ctx), level, "request", attrs...)
}

// sampled reports whether the request's line is logged: every request, unless Config.LogSuccessfulGETs keeps only
// one in N successful (2xx) GET and HEAD requests.
func (h *Handler) sampled(r *http.Request, status int) bool {
	n := h.cfg.LogSuccessfulGETs
	if n <= 1 || status < 200 || status > 299 || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return true
	}
	return h.logCount.Add(1)%uint64(n) == 1%uint64(n)
}
