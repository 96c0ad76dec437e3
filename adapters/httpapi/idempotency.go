package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
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

// fingerprint identifies a request for the idempotency check: method, path with query, and body.
func fingerprint(r *http.Request, body []byte) string {
	h := sha256.New()
	io.WriteString(h, r.Method+" "+r.URL.RequestURI()+"\n")
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
			writeProblem(w, r, &httpError{status: http.StatusConflict, code: codeIdempotencyInProgress,
				title: "Request in progress", detail: "a request with this Idempotency-Key is still being handled",
				header: http.Header{"Retry-After": {"1"}}})
			return
		case <-time.After(wait):
		}
	}
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
