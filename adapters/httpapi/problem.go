package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/playbooks"
)

// ProblemContentType is the media type of every error body (RFC 9457).
const ProblemContentType = "application/problem+json"

// problemTypeBase prefixes every problem type: "urn:dealercrm:problem:not-found". A URN identifies the kind of
// problem without pretending there is a page to fetch.
const problemTypeBase = "urn:dealercrm:problem:"

// Problem is an RFC 9457 problem details body. Code is the stable machine-readable code (one of ProblemCodes);
// Errors lists the offending fields of invalid input.
type Problem struct {
	Type      string           `json:"type"`
	Title     string           `json:"title"`
	Status    int              `json:"status"`
	Code      crm.Code         `json:"code"`
	Detail    string           `json:"detail,omitempty"`
	Errors    []crm.FieldError `json:"errors,omitempty"`
	RequestID string           `json:"request_id,omitempty"`
	// The members of code playbook_step_open (playbooks.StepOpenError): the required step that is still open.
	Step       string  `json:"step,omitempty" doc:"with code playbook_step_open: the key of the required playbook step still open"`
	StepTitle  string  `json:"step_title,omitempty" doc:"with code playbook_step_open: the step's task subject"`
	ActivityID *crm.ID `json:"activity_id,omitempty" doc:"with code playbook_step_open: the open task to complete or cancel; absent when the step is of a stage the move skips and has no task"`
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
	crm.KindUnavailable:     {http.StatusServiceUnavailable, "unavailable", "Service unavailable"},
	crm.KindInternal:        {http.StatusInternalServerError, "internal", "Internal error"},
}

// retryAfterSeconds is the Retry-After of every 503 that names none of its own: an outage of the database, a
// request that timed out.
const retryAfterSeconds = "2"

// problemFor turns err into a problem, reading kind, code, message and fields from the error values
// (errors.As), never from Error() text. Kernel errors keep their message (crm promises it is safe to show) but
// lose their operation names and any foreign cause below them (driver text); anything unclassified is an
// internal error whose text is never shown.
func problemFor(err error) Problem {
	var he *httpError
	if errors.As(err, &he) {
		return he.problem()
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return Problem{Type: problemTypeBase + "timeout", Title: "Request timed out", Status: http.StatusServiceUnavailable,
			Code: codeTimeout, Detail: "the request took longer than the server allows"}
	case errors.Is(err, context.Canceled):
		return Problem{Type: problemTypeBase + "canceled", Title: "Request canceled", Status: http.StatusServiceUnavailable,
			Code: codeCanceled}
	}
	kind := crm.KindOf(err)
	k := kindProblem[kind]
	p := Problem{Type: problemTypeBase + k.slug, Title: k.title, Status: k.status, Code: crm.CodeOf(err)}
	if kind == crm.KindInternal {
		p.Code = crm.CodeInternal
		p.Detail = "the server failed to handle the request; the request id identifies it in the logs"
		return p
	}
	p.Detail = crm.MessageOf(err)
	if kind == crm.KindInvalid || kind == crm.KindConflict && p.Code == crm.CodeDuplicate {
		p.Errors = crm.FieldsOf(err) // a duplicate names the field holding the taken value (crm.DuplicateField)
	}
	addMembers(&p, err)
	return p
}

// addMembers adds the members some codes carry beside detail, read from the domain's typed errors (errors.As).
func addMembers(p *Problem, err error) {
	var open *playbooks.StepOpenError
	if errors.As(err, &open) {
		p.Step, p.StepTitle = open.Key, open.Title
		if id := open.ActivityID; id != (crm.ID{}) { // a skipped stage's step has no task
			p.ActivityID = &id
		}
	}
}

// httpError is an error of the HTTP layer itself (malformed JSON, a missing header, a body too large) that has
// no kernel kind of its own.
type httpError struct {
	status int
	code   crm.Code // one of httpCodes, or a kernel code (unauthenticated)
	title  string
	detail string
	fields []crm.FieldError
	header http.Header // extra response headers (WWW-Authenticate, Allow, Retry-After)
}

func (e *httpError) Error() string { return e.title + ": " + e.detail }

func (e *httpError) problem() Problem {
	return Problem{Type: problemTypeBase + strings.ReplaceAll(string(e.code), "_", "-"), Title: e.title, Status: e.status,
		Code: e.code, Detail: e.detail, Errors: e.fields}
}

// badRequest is a 400: the request cannot be read at all (malformed JSON, a bad header syntax).
func badRequest(detail string) error {
	return &httpError{status: http.StatusBadRequest, code: codeMalformedRequest, title: "Malformed request", detail: detail}
}

// invalidField is a 422 naming one field (a body field, a query parameter or a header).
func invalidField(field, message string) error {
	return crm.Invalid("httpapi", crm.FieldError{Field: field, Message: message})
}

// writeProblem writes err as a problem+json response and returns the status written.
func writeProblem(w http.ResponseWriter, r *http.Request, err error) int {
	p := problemFor(err)
	if fields := requestFields(r.Context(), p.Errors); !slices.Equal(fields, p.Errors) {
		p.Errors, p.Detail = fields, fieldsText(fields)
	}
	p.RequestID = requestIDFrom(r.Context())
	var he *httpError
	if errors.As(err, &he) {
		for k, vs := range he.header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
	}
	if p.Status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retryAfterSeconds)
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
