package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
)

// readPatch reads a JSON merge patch (RFC 7396) body: an object whose members replace those of the record's
// input form (objects merge member by member), null removing one.
func readPatch(r *http.Request) (map[string]any, error) {
	if err := checkMediaType(r, "application/json", "application/merge-patch+json"); err != nil {
		return nil, err
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	v, err := decodeAny(body)
	if err != nil {
		return nil, err
	}
	var p crm.Problems
	scanText(&p, body)
	if err := p.Err("httpapi"); err != nil {
		return nil, err
	}
	patch, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest("the body must be a JSON object")
	}
	return patch, nil
}

func decodeAny(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("the body holds more than one JSON value")
	}
	return v, nil
}

// applyPatch merges patch onto current (a request struct filled from the record) and decodes the result into
// out with the request rules (unknown fields refused, named). replaces lists, for a top-level patched member,
// the members it supersedes (a new "name" drops "first_name", ...) unless the patch sets those too.
func applyPatch(r *http.Request, current any, patch map[string]any, replaces map[string][]string, out any) error {
	b, err := json.Marshal(current)
	if err != nil {
		return err
	}
	base, err := decodeAny(b)
	if err != nil {
		return err
	}
	target, _ := base.(map[string]any)
	for k := range patch {
		for _, dropped := range replaces[k] {
			if _, set := patch[dropped]; !set {
				delete(target, dropped)
			}
		}
	}
	merged := mergePatch(target, patch)
	if b, err = json.Marshal(merged); err != nil {
		return err
	}
	return decodeBody(r, b, out)
}

// mergePatch applies an RFC 7396 merge patch to target.
func mergePatch(target any, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}
