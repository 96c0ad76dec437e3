package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/dealercrm/dealercrm/crm"
)

// requestPaths is a request body that knows which of its own JSON members a field path reported by the domain
// stands for: a lead's body says "phone" where the domain validates "contact.phone".
type requestPaths interface {
	requestPath(field string) string
}

// bodyKey keys the request's decodedBody in its context.
type bodyKey struct{}

// decodedBody holds the body a route decoded, so that a 422 can name fields by the request's own paths.
type decodedBody struct{ v any }

// withBodySlot returns r with a slot for the body its route will decode.
func withBodySlot(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), bodyKey{}, &decodedBody{}))
}

// rememberBody records v (a pointer to a request struct) as the body r was decoded into.
func rememberBody(r *http.Request, v any) {
	if b, ok := r.Context().Value(bodyKey{}).(*decodedBody); ok {
		b.v = v
	}
}

// requestFields renames fields by the paths of the body r was decoded into, when that body knows them.
func requestFields(ctx context.Context, fields []crm.FieldError) []crm.FieldError {
	b, ok := ctx.Value(bodyKey{}).(*decodedBody)
	if !ok || b.v == nil {
		return fields
	}
	rp, ok := b.v.(requestPaths)
	if !ok {
		return fields
	}
	out := make([]crm.FieldError, len(fields))
	for i, f := range fields {
		out[i] = crm.FieldError{Field: rp.requestPath(f.Field), Message: f.Message}
	}
	return out
}

// requestPath maps the domain's contact fields to the members a request sets: a bad or missing phone is named
// "phones" when the request gave only that list, else "phone" (e-mails alike).
func (c contactIn) requestPath(field string) string {
	switch field {
	case "phone":
		if c.Phone == "" && len(c.Phones) > 0 {
			return "phones"
		}
	case "email":
		if c.Email == "" && len(c.Emails) > 0 {
			return "emails"
		}
	}
	return field
}

// requestPath maps the lead's "contact." fields to the body's top-level contact members.
func (in leadIn) requestPath(field string) string {
	if rest, ok := strings.CutPrefix(field, "contact."); ok {
		return in.contactIn.requestPath(rest)
	}
	return field
}

// fieldsText is the detail of a 422 whose fields were renamed: "invalid input: phone is required; ...".
func fieldsText(fields []crm.FieldError) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Field + " " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// pendingProblemsKey keys a write request's pendingProblems in its context.
type pendingProblemsKey struct{}

// pendingProblems collects the misfit members of a write request's body while the route goes on to the domain's
// own validation, so that one 422 names every field (see decodeBody and collectProblems).
type pendingProblems struct {
	mu     sync.Mutex
	fields []crm.FieldError
}

// add records fs, each once: a field with the same message recorded again (the body's shape and the route's own
// parsing may both refuse one value) is not repeated, nor a field inside one refused already ("amount.amount"
// after "amount must be an object": the whole was said to be wrong).
func (pp *pendingProblems) add(fs []crm.FieldError) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	for _, f := range fs {
		if !slices.Contains(pp.fields, f) && !slices.ContainsFunc(pp.fields, func(g crm.FieldError) bool { return inside(f.Field, g.Field) }) {
			pp.fields = append(pp.fields, f)
		}
	}
}

// inside reports whether field is a part of outer ("amount.currency" of "amount", "lines[0].kind" of "lines").
func inside(field, outer string) bool {
	rest, ok := strings.CutPrefix(field, outer)
	return ok && rest != "" && (rest[0] == '.' || rest[0] == '[')
}

// has reports whether any problem is pending (false for a request that collects none: pp nil).
func (pp *pendingProblems) has() bool {
	if pp == nil {
		return false
	}
	pp.mu.Lock()
	defer pp.mu.Unlock()
	return len(pp.fields) > 0
}

// err returns the pending problems as one Invalid error (nil when there are none).
func (pp *pendingProblems) err() error {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if len(pp.fields) == 0 {
		return nil
	}
	return crm.Invalid("httpapi", slices.Clone(pp.fields)...)
}

// pendingOf returns r's pendingProblems, nil when its route does not collect them.
func pendingOf(r *http.Request) *pendingProblems {
	pp, _ := r.Context().Value(pendingProblemsKey{}).(*pendingProblems)
	return pp
}

// collect hands the request's parse problems to the domain's validation, so that one 422 names both (the unit of
// work of a request with pending problems never commits); outside such a request it returns them at once.
func collect(r *http.Request, p *crm.Problems) error {
	err := p.Err("httpapi")
	if err == nil {
		return nil
	}
	if pending := pendingOf(r); pending != nil {
		pending.add(crm.FieldsOf(err))
		return nil
	}
	return err
}

// withPendingProblems returns r collecting its body's misfits, and its units of work refusing to commit while any
// are pending: the request is answered 422 whatever the domain does with the members that fit.
func withPendingProblems(r *http.Request) (*http.Request, *pendingProblems) {
	pp := &pendingProblems{}
	ctx := context.WithValue(r.Context(), pendingProblemsKey{}, pp)
	ctx = crm.WithCommitCheck(ctx, pp.err)
	return r.WithContext(ctx), pp
}

// answerWith merges the pending problems of the body into the route's own error: the body's misfits first, then
// the domain's problems (named by the request's paths) for fields the body did not already misfit. Any other
// outcome of the route (a success not committed, a missing record) gives way to the body's problems.
func (pp *pendingProblems) answerWith(r *http.Request, routeErr error) error {
	pending := pp.err()
	if pending == nil {
		return routeErr
	}
	fields := crm.FieldsOf(pending)
	named := map[string]bool{}
	for _, f := range fields {
		named[f.Field] = true
	}
	if crm.KindOf(routeErr) == crm.KindInvalid {
		for _, f := range requestFields(r.Context(), crm.FieldsOf(routeErr)) {
			if !named[f.Field] && !namesWithin(named, f.Field) && !withinNamed(named, f.Field) {
				fields = append(fields, f)
			}
		}
	}
	if b, ok := r.Context().Value(bodyKey{}).(*decodedBody); ok {
		b.v = nil // the fields are named by the request's paths already
	}
	return crm.Invalid("httpapi", fields...)
}

// holdWriter passes a route's answer through, unless its body had misfits: then the route's answer (a success
// its unit of work did not commit, or a partial problem) is dropped, headers included, for the one 422 that
// answerWith makes. Whether to drop is decided when the route first writes (after it has decoded its body).
type holdWriter struct {
	http.ResponseWriter
	pending *pendingProblems
	decided bool
	drop    bool
	header  http.Header
}

func (w *holdWriter) decide() {
	if !w.decided {
		w.decided, w.drop = true, w.pending.has()
	}
}

func (w *holdWriter) Header() http.Header {
	if w.drop || (!w.decided && w.pending.has()) {
		if w.header == nil {
			w.header = http.Header{}
		}
		return w.header
	}
	return w.ResponseWriter.Header()
}

func (w *holdWriter) WriteHeader(code int) {
	if w.decide(); !w.drop {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *holdWriter) Write(b []byte) (int, error) {
	if w.decide(); w.drop {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *holdWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// withinNamed reports whether field is a part of a field named already: the domain's "amount.currency" of a
// zero amount says nothing the body's "amount is required" did not.
func withinNamed(named map[string]bool, field string) bool {
	for n := range named {
		if inside(field, n) {
			return true
		}
	}
	return false
}

// namesWithin reports whether a field inside field ("amount.amount" inside "amount", "lines[0].kind" inside
// "lines") is named already: the body's more precise path has said what the domain says of the whole.
func namesWithin(named map[string]bool, field string) bool {
	for n := range named {
		if strings.HasPrefix(n, field+".") || strings.HasPrefix(n, field+"[") {
			return true
		}
	}
	return false
}
