package httpapi

import (
	"context"
	"net/http"
	"strings"

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
