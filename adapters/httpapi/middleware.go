package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// statusWriter remembers the status and size of what was written.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int64
	etag   [1]string // the ETag header's value (setETag)
	// etagText holds the bytes of the first ETag value set, which etag[0] shares (the writer is part of a
	// requestState, never reused; a later tag of the same request gets bytes of its own).
	etagText [22]byte
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

// requestState is what the handler keeps for one request, made in one allocation: the request's context (its id,
// the user once authenticated, its deadline), the writer that notes the status and size, the writer the mux is
// given, the X-Request-Id header's value, and the bytes of a request id it generates, which the id's string shares
// (unsafe.String): a requestState is never reused, and those bytes are written once, before the string is made.
type requestState struct {
	ctx      requestCtx
	sw       statusWriter
	mw       muxWriter
	idHeader [1]string
	idBytes  [16]byte
}

// serveObserved is the outermost layer: it gives the request an id, a deadline and a recovery from panics, routes
// it (dispatch), and logs one line when it ends (method, path, status, duration, request id, dealer, user).
func (h *Handler) serveObserved(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	st := &requestState{}
	ri := &st.ctx.info
	ri.id = r.Header.Get("X-Request-Id")
	if !validRequestID(ri.id) {
		ri.id = newRequestID(&st.idBytes)
	}
	st.idHeader[0] = ri.id
	w.Header()["X-Request-Id"] = st.idHeader[:] // what Header.Set does, without a slice of its own
	st.ctx.parent = r.Context()
	if h.limits.RequestTimeout > 0 {
		st.ctx.deadline = start.Add(h.limits.RequestTimeout)
	}
	r = r.WithContext(&st.ctx)
	sw := &st.sw
	sw.ResponseWriter = w
	defer func() {
		defer st.ctx.end()
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.logger.LogAttrs(detachedCtx{&st.ctx}, slog.LevelError, "panic", slog.String("request_id", ri.id),
				slog.String("panic", fmt.Sprint(p)), slog.String("stack", string(debug.Stack())))
			if sw.status == 0 {
				writeProblem(sw, r, errors.New("panic"))
			}
		}
		h.logRequest(detachedCtx{&st.ctx}, r, ri, sw, start)
		h.storage.observe(ri.authed, sw.status, h.clock.Now())
	}()
	h.dispatch(sw, r, &st.mw)
}

// logRequest writes the request's line to the logger, unless the logger is off at its level or the line is not
// sampled. ctx carries the request's values but not its cancellation. A handler of NewJSONLogHandler writes the
// line itself (requestLineWriter: the bytes slog's JSON handler writes, without a record). Otherwise the record is
// made here, as Logger.LogAttrs would make it, but with one reading of the clock for both its time and the
// duration, and with the line's source location found once (it is always this function) instead of by unwinding
// the stack per line.
func (h *Handler) logRequest(ctx context.Context, r *http.Request, ri *requestInfo, sw *statusWriter, start time.Time) {
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
	now := time.Now()
	handler, derived := h.requestLog.handler(r.Method, ri)
	if lw, ok := handler.(requestLineWriter); ok && derived {
		line := requestLine{time: now, level: level, path: r.URL.Path, status: status, duration: now.Sub(start),
			bytes: sw.size, id: ri.id}
		if done, _ := lw.writeRequestLine(line); done {
			return
		}
	}
	var buf [8]slog.Attr // on the stack: the line costs its formatting, not a slice of attributes
	attrs := buf[:0]
	if !derived {
		handler = h.logger.Handler()
		attrs = append(attrs, slog.String("method", r.Method))
	}
	attrs = append(attrs,
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Duration("duration", now.Sub(start)),
		slog.Int64("bytes", sw.size),
		slog.String("request_id", ri.id),
	)
	if !derived && ri.authed {
		attrs = append(attrs, slog.String("dealer", ri.scope.Dealer.String()), slog.String("user", ri.scope.Actor.String()))
	}
	pc := logRequestPC.Load()
	if pc == 0 {
		var pcs [1]uintptr
		runtime.Callers(1, pcs[:]) // skip runtime.Callers: this line
		pc = pcs[0]
		logRequestPC.Store(pc)
	}
	rec := slog.NewRecord(now, level, "request", pc)
	rec.AddAttrs(attrs...)
	_ = handler.Handle(ctx, rec)
}

// logRequestPC is the program counter the request log line is attributed to (slog.Record.PC: a handler's
// AddSource shows it), found on first use: a line of logRequest, where Logger.LogAttrs found the line attributed to
// logRequest's call of it by unwinding the stack on every line.
var logRequestPC atomic.Uintptr

// sampled reports whether the request's line is logged: every request, unless Config.LogSuccessfulGETs keeps only
// one in N successful (2xx) GET and HEAD requests.
func (h *Handler) sampled(r *http.Request, status int) bool {
	n := h.cfg.LogSuccessfulGETs
	if n <= 1 || status < 200 || status > 299 || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return true
	}
	return h.logCount.Add(1)%uint64(n) == 1%uint64(n)
}
