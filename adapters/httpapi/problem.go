package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// ProblemContentType is the media type of every error body (RFC 9457).
const ProblemContentType = "application/problem+json"

// problemTypeBase prefixes every problem type: "urn:dealercrm:problem:not-found". A URN identifies the kind of
// problem without pretending there is a page to fetch.
const problemTypeBase = "urn:dealercrm:problem:"

// Problem is an RFC 9457 problem details body. Errors lists the offending fields of invalid input.
type Problem struct {
	Type      string           `json:"type"`
	Title     string           `json:"title"`
	Status    int              `json:"status"`
	Detail    string           `json:"detail,omitempty"`
	Errors    []crm.FieldError `json:"errors,omitempty"`
	RequestID string           `json:"request_id,omitempty"`
}

// kindProblem is the one table mapping the kernel's error kinds to HTTP: status, problem type and title.
var kindProblem = map[crm.Kind]struct {
	status int
	slug   string
	title  string
}{
	crm.KindInvalid:         {http.StatusUnprocessableEntity, "invalid", "Invalid input"},
	crm.KindNotFound:        {http.StatusNotFound, "not-found", "Not found"},
	crm.KindConflict:        {http.StatusConflict, "conflict", "Conflict"},
	crm.KindStaleVersion:    {http.StatusPreconditionFailed, "stale-version", "Stale version"},
	crm.KindForbidden:       {http.StatusForbidden, "forbidden", "Forbidden"},
	crm.KindUnauthenticated: {http.StatusUnauthorized, "unauthenticated", "Unauthenticated"},
	crm.KindInternal:        {http.StatusInternalServerError, "internal", "Internal error"},
}

// problemFor turns err into a problem. Kernel errors keep their message (crm promises it is safe to show) but
// lose any foreign cause below them (driver text); anything unclassified is an internal error whose text is
// never shown.
func problemFor(err error) Problem {
	var he *httpError
	if errors.As(err, &he) {
		return he.problem()
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return Problem{Type: problemTypeBase + "timeout", Title: "Request timed out", Status: http.StatusServiceUnavailable,
			Detail: "the request took longer than the server allows"}
	case errors.Is(err, context.Canceled):
		return Problem{Type: problemTypeBase + "canceled", Title: "Request canceled", Status: http.StatusServiceUnavailable}
	}
	kind := crm.KindOf(err)
	k := kindProblem[kind]
	p := Problem{Type: problemTypeBase + k.slug, Title: k.title, Status: k.status}
	if kind == crm.KindInternal {
		p.Detail = "the server failed to handle the request; the request id identifies it in the logs"
		return p
	}
	p.Detail = safeText(err)
	if kind == crm.KindInvalid {
		p.Errors = crm.FieldsOf(err)
	}
	return p
}

// safeText returns err's text for a caller: without the foreign cause (if any) below the innermost kernel
// error, and without the Go operation names errors are prefixed with ("leads.Service.BookTestDrive: ").
func safeText(err error) string {
	s := err.Error()
	var inner *crm.Error
	for e := err; e != nil; e = errors.Unwrap(e) {
		if ce, ok := e.(*crm.Error); ok {
			inner = ce
		}
	}
	if inner != nil && inner.Err != nil {
		s = strings.TrimSuffix(s, ": "+inner.Err.Error())
	}
	var kept []string
	for _, seg := range strings.Split(s, ": ") {
		if opName.MatchString(seg) || (len(kept) > 0 && kept[len(kept)-1] == seg) {
			continue
		}
		kept = append(kept, seg)
	}
	return strings.Join(kept, ": ")
}

// opName matches an operation name as errors carry it: "leads", "memory.vehicles.Create".
var opName = regexp.MustCompile(`^[a-z][a-z0-9]*(\.[A-Za-z][A-Za-z0-9_]*)*$`)

// httpError is an error of the HTTP layer itself (malformed JSON, a missing header, a body too large) that has
// no kernel kind of its own.
type httpError struct {
	status int
	slug   string
	title  string
	detail string
	fields []crm.FieldError
	header http.Header // extra response headers (WWW-Authenticate, Allow, Retry-After)
}

func (e *httpError) Error() string { return e.title + ": " + e.detail }

func (e *httpError) problem() Problem {
	return Problem{Type: problemTypeBase + e.slug, Title: e.title, Status: e.status, Detail: e.detail, Errors: e.fields}
}

// badRequest is a 400: the request cannot be read at all (malformed JSON, a bad header syntax).
func badRequest(detail string) error {
	return &httpError{status: http.StatusBadRequest, slug: "malformed-request", title: "Malformed request", detail: detail}
}

// invalidField is a 422 naming one field (a body field, a query parameter or a header).
func invalidField(field, message string) error {
	return crm.Invalid("httpapi", crm.FieldError{Field: field, Message: message})
}

// writeProblem writes err as a problem+json response and returns the status written.
func writeProblem(w http.ResponseWriter, r *http.Request, err error) int {
	p := problemFor(err)
	p.RequestID = requestIDFrom(r.Context())
	var he *httpError
	if errors.As(err, &he) {
		for k, vs := range he.header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
	}
	if p.Status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="dealercrm"`)
	}
	body, _ := json.Marshal(p)
	h := w.Header()
	h.Set("Content-Type", ProblemContentType)
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(body, '\n'))
	return p.Status
}
