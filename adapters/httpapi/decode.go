package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// errTooLarge answers a body over the size limit.
func errTooLarge(limit int64) error {
	return &httpError{status: http.StatusRequestEntityTooLarge, code: codeBodyTooLarge, title: "Body too large",
		detail: fmt.Sprintf("the request body exceeds %d bytes", limit)}
}

// errMediaType answers a body of a media type the route does not read.
func errMediaType(want string) error {
	return &httpError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedMediaType,
		title: "Unsupported media type", detail: "send " + want}
}

// readBody reads the whole request body, honouring the size limit installed by the route.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge(mbe.Limit)
		}
		return nil, badRequest("the request body could not be read")
	}
	return b, nil
}

// checkMediaType accepts an absent Content-Type or one of the listed types (and, for JSON, any +json type).
func checkMediaType(r *http.Request, want ...string) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return errMediaType(strings.Join(want, " or "))
	}
	for _, w := range want {
		if mt == w || (w == "application/json" && strings.HasSuffix(mt, "+json")) {
			return nil
		}
	}
	return errMediaType(strings.Join(want, " or "))
}

// decodeJSON reads the body into v (a pointer to a request struct). An empty body reads as {}. Malformed JSON
// is a 400; an unknown field, or a value of the wrong JSON type, is a 422 naming the field; a body over the limit
// is a 413.
func decodeJSON(r *http.Request, v any) error {
	if err := checkMediaType(r, "application/json"); err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	rememberBody(r, v)
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return decodeBody(r, body, v)
}

// decodeJSONBody is decodeJSON that also returns the body read, for a handler that must tell a member sent as
// null from one left out (nullMembers).
func decodeJSONBody(r *http.Request, v any) ([]byte, error) {
	if err := checkMediaType(r, "application/json"); err != nil {
		return nil, err
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	rememberBody(r, v)
	if len(bytes.TrimSpace(body)) == 0 {
		return body, nil
	}
	return body, decodeBody(r, body, v)
}

// nullMembers returns the top-level members of the JSON object body that are null (encoding/json decodes them
// as if absent). A body that is not an object has none.
func nullMembers(body []byte) map[string]bool {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return nil
	}
	out := map[string]bool{}
	for k, v := range members {
		if string(bytes.TrimSpace(v)) == "null" {
			out[k] = true
		}
	}
	return out
}

// decodeBody decodes body into v with the request rules (unmarshalStrict). When the JSON is well-formed but some
// members misfit and r's route collects problems (see pendingProblems), the misfits are recorded there, v gets the
// members that fit, and the route goes on, so that the domain's own validation adds its problems to the same
// answer: one 422 lists every field to fix. The misfits alone are never committed: the unit of work of a request
// with pending problems rolls back (crm.WithCommitCheck).
func decodeBody(r *http.Request, body []byte, v any) error {
	err := unmarshalStrict(body, v)
	pending := pendingOf(r)
	if err == nil || pending == nil || len(crm.FieldsOf(err)) == 0 {
		return err
	}
	raw, ok := rawBody(body)
	if !ok {
		return err
	}
	var p crm.Problems
	fitting, _ := fitOnly(&p, reflect.TypeOf(v).Elem(), raw, "", defaultTextLimit)
	b, mErr := json.Marshal(fitting)
	if mErr != nil || decodeFitting(b, v) != nil {
		return err
	}
	pending.add(crm.FieldsOf(err))
	return nil
}

// unmarshalStrict decodes body into v with the request rules: members named exactly (no case-folding, none
// given twice), none unknown, values of the right type and within their length, text that is valid UTF-8
// without NUL characters or unpaired surrogates, one JSON value. The whole body is checked (scanText,
// checkShape) so that the answer names every misfit field at once, not the first.
func unmarshalStrict(body []byte, v any) error {
	var p crm.Problems
	scanText(&p, body)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	decodeErr := dec.Decode(v)
	if decodeErr == nil {
		if _, err := dec.Token(); err != io.EOF {
			return badRequest("the body holds more than one JSON value")
		}
	}
	raw, wellFormed := rawBody(body)
	if !wellFormed {
		return jsonError(decodeErr)
	}
	shapeErr := misfitsOf(raw, v)
	if shapeErr != nil && len(crm.FieldsOf(shapeErr)) == 0 {
		return shapeErr // not an object
	}
	p.Merge("", shapeErr)
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	if decodeErr != nil {
		return jsonError(decodeErr)
	}
	return nil
}

// decodeFitting decodes a body already cut to what fits v (fitOnly).
func decodeFitting(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// rawBody decodes a well-formed JSON body into generic values (numbers kept as json.Number).
func rawBody(body []byte) (any, bool) {
	var raw any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&raw) != nil {
		return nil, false
	}
	return raw, true
}

// misfitsOf returns the problems of a well-formed body, decoded generically as raw, that does not fit v (nil
// when it fits).
func misfitsOf(raw any, v any) error {
	t := reflect.TypeOf(v).Elem()
	if _, isObject := raw.(map[string]any); !isObject && t.Kind() == reflect.Struct {
		return badRequest("the body must be a JSON object")
	}
	var p crm.Problems
	checkShape(&p, t, raw, "")
	return p.Err("httpapi")
}

// jsonError classifies a decoding error.
func jsonError(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		ce  *crm.Error
	)
	switch {
	case errors.As(err, &syn):
		return badRequest(fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, syn))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return badRequest("malformed JSON: unexpected end of input")
	case errors.As(err, &typ):
		field := jsonPath(typ.Field)
		if field == "" {
			return badRequest("the body must be a JSON object")
		}
		return invalidField(field, "must be "+jsonTypeName(typ.Type.Kind().String()))
	case errors.As(err, &ce):
		return err
	}
	return badRequest("the body does not fit the request")
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	}
	return "of another type"
}

// jsonPath drops from a decoder's field path the names of embedded Go structs ("contactIn.name" → "name"): JSON
// names here are snake_case, so a segment with an upper-case letter is a Go type name.
func jsonPath(path string) string {
	var kept []string
	for _, seg := range strings.Split(path, ".") {
		if strings.ToLower(seg) == seg {
			kept = append(kept, seg)
		}
	}
	return strings.Join(kept, ".")
}
