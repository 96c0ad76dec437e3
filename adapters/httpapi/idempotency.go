package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// IdempotencyHeader is the request header that makes a write safe to retry.
const IdempotencyHeader = "Idempotency-Key"

// replayedHeaders are the response headers kept with a stored response.
var replayedHeaders = []string{"Content-Type", "Location", "ETag", "Content-Disposition"}

// recorder passes a response through while keeping a copy for the idempotency store.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// fingerprint identifies a request for the idempotency check: method, path with query, the If-Match
// precondition and body. A retry that corrects its If-Match is another request: the answer to the first (a 412,
// say) is not replayed to it.
func fingerprint(r *http.Request, body []byte) string {
	h := sha256.New()
	io.WriteString(h, r.Method+" "+r.URL.RequestURI()+"\n")
	if m := r.Header.Values("If-Match"); len(m) > 0 {
		io.WriteString(h, "If-Match: "+strings.Join(m, ", ")+"\n")
	}
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// validIdempotencyKey accepts 1 to 255 printable ASCII characters.
func validIdempotencyKey(k string) bool {
	if len(k) == 0 || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < ' ' || k[i] > '~' {
			return false
		}
	}
	return true
}

// serveIdempotent runs next at most once per Idempotency-Key of this user: the first response (status below 500)
// is stored and replayed byte for byte; the key with another request is a 422; a duplicate that arrives while the
// first still runs waits for it (until the request's deadline, then 409). Requests without the header run as they
// are.
func (h *Handler) serveIdempotent(w http.ResponseWriter, r *http.Request, user crm.User, next func(http.ResponseWriter, *http.Request)) {
	key := r.Header.Get(IdempotencyHeader)
	if key == "" {
		next(w, r)
		return
	}
	if !validIdempotencyKey(key) {
		writeProblem(w, r, invalidField(IdempotencyHeader, "must be 1 to 255 printable ASCII characters"))
		return
	}
	body, err := readBody(r)
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	fp := fingerprint(r, body)
	k := IdempotencyKey{DealerID: user.DealerID, UserID: user.ID, Key: key}
	if a, ok := h.idem.(AtomicIdempotencyStore); ok {
		h.serveAtomic(w, r, a, k, fp, body, next)
		return
	}
	ctx := r.Context()
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		rec, claimed, err := h.idem.Begin(ctx, k, fp, h.clock.Now())
		switch {
		case err != nil:
			writeProblem(w, r, err)
			return
		case claimed:
			h.runClaimed(w, r, k, next)
			return
		case rec.Fingerprint != fp:
			writeProblem(w, r, invalidField(IdempotencyHeader, "was already used for a different request"))
			return
		case !rec.Pending:
			replay(w, rec.Response)
			return
		}
		select {
		case <-ctx.Done():
			writeProblem(w, r, errInProgress)
			return
		case <-time.After(wait):
		}
	}
}

// errInProgress answers a request whose key another request still holds.
var errInProgress = &httpError{status: http.StatusConflict, code: codeIdempotencyInProgress,
	title: "Request in progress", detail: "a request with this Idempotency-Key is still being handled",
	header: http.Header{"Retry-After": {"1"}}}

// serveAtomic runs next under k with a store that keeps the answer in the transaction of the request's writes:
// the response is held back until that transaction commits, so a client never sees an answer the store does not
// hold (a failed commit is answered as such, and a retry with the key runs afresh or replays).
//
// The store may run serve more than once (when the connection died under it before anything committed), so each
// run gets the body afresh and a fresh buffer.
func (h *Handler) serveAtomic(w http.ResponseWriter, r *http.Request, a AtomicIdempotencyStore, k IdempotencyKey, fp string,
	body []byte, next func(http.ResponseWriter, *http.Request)) {
	var buf *bufferedResponse
	rec, claimed, err := a.Atomic(r.Context(), k, fp, h.clock.Now(), func(ctx context.Context) (StoredResponse, bool) {
		r.Body = io.NopCloser(bytes.NewReader(body))
		buf = &bufferedResponse{header: http.Header{}}
		for name, v := range w.Header() { // what the middleware set already (request id, CORS)
			buf.header[name] = append([]string(nil), v...)
		}
		next(buf, r.WithContext(ctx))
		return buf.stored(), buf.code() < 500
	})
	switch {
	case err != nil:
		h.fail(w, r, err)
	case claimed:
		buf.flush(w)
	case rec.Fingerprint != fp:
		writeProblem(w, r, invalidField(IdempotencyHeader, "was already used for a different request"))
	case rec.Pending:
		writeProblem(w, r, errInProgress)
	default:
		replay(w, rec.Response)
	}
}

// bufferedResponse holds a response until the transaction it answers has committed.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

// code is the status written, 200 when none was.
func (b *bufferedResponse) code() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}

// stored is the response as the idempotency store keeps it.
func (b *bufferedResponse) stored() StoredResponse {
	resp := StoredResponse{Status: b.code(), Header: http.Header{}, Body: b.body.Bytes()}
	for _, name := range replayedHeaders {
		if v := b.header.Values(name); len(v) > 0 {
			resp.Header[http.CanonicalHeaderKey(name)] = v
		}
	}
	return resp
}

// flush sends the held response to w.
func (b *bufferedResponse) flush(w http.ResponseWriter) {
	for name, v := range b.header {
		w.Header()[name] = v
	}
	w.WriteHeader(b.code())
	_, _ = w.Write(b.body.Bytes())
}

// runClaimed runs the request that claimed k and stores its response; a server error or a panic releases the
// claim so that a retry runs again.
func (h *Handler) runClaimed(w http.ResponseWriter, r *http.Request, k IdempotencyKey, next func(http.ResponseWriter, *http.Request)) {
	ctx := context.WithoutCancel(r.Context())
	rec := &recorder{ResponseWriter: w}
	finished := false
	defer func() {
		if !finished {
			_ = h.idem.Release(ctx, k)
		}
	}()
	next(rec, r)
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	if status >= 500 {
		return
	}
	stored := StoredResponse{Status: status, Header: http.Header{}, Body: rec.body.Bytes()}
	for _, name := range replayedHeaders {
		if v := w.Header().Values(name); len(v) > 0 {
			stored.Header[http.CanonicalHeaderKey(name)] = v
		}
	}
	if err := h.idem.Complete(ctx, k, stored); err != nil {
		h.logger.ErrorContext(ctx, "idempotency store", "error", err.Error(), "request_id", requestIDFrom(ctx))
		return
	}
	finished = true
}

// replay writes a stored response.
func replay(w http.ResponseWriter, resp StoredResponse) {
	for name, v := range resp.Header {
		w.Header()[name] = append([]string(nil), v...)
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}
