package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// APIVersion is the version of the API the OpenAPI document describes.
const APIVersion = "1.0.0"

// openAPIJSON builds the OpenAPI 3.0 document from the route table (the same table the mux is built from) and
// the Go types of requests and responses.
func (h *Handler) openAPIJSON() ([]byte, error) {
	s := newSchemaSet()
	s.ref(reflect.TypeFor[Problem]())
	paths := map[string]map[string]any{}
	for _, rt := range h.routes {
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = h.operation(s, rt)
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":   "dealercrm API",
			"version": APIVersion,
			"description": "JSON REST API of dealercrm. Errors are application/problem+json (RFC 9457). Single " +
				"records carry ETag: \"<version>\"; writes honour If-Match (stale: 412; absent: the current " +
				"version is used). Every write accepts Idempotency-Key: the first response is replayed for 24 h; " +
				"the key with another request is a 422. Lists are {items, next_cursor} with ?limit= (1-" +
				strconv.Itoa(h.limits.MaxPageSize) + ", default " + strconv.Itoa(h.limits.DefaultPageSize) +
				") and ?cursor=. A path id that is not a UUID is a 404, like an unknown or another dealer's id.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": s.components,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "an API key"},
			},
			"responses": map[string]any{
				"Problem": map[string]any{
					"description": "An error (RFC 9457 problem details).",
					"content": map[string]any{ProblemContentType: map[string]any{
						"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}},
				},
			},
		},
		"security": []any{map[string]any{"bearer": []string{}}},
		"servers":  []any{map[string]any{"url": "/", "description": "the server that serves this document"}},
	}
	s.prune(doc)
	return json.MarshalIndent(doc, "", "  ")
}

// operation documents one route.
func (h *Handler) operation(s *schemaSet, rt route) map[string]any {
	op := map[string]any{"operationId": rt.ID, "summary": rt.Summary, "tags": []string{rt.Tag}}
	var params []any
	for _, name := range pathParams(rt.Path) {
		schema := map[string]any{"type": "string", "format": "uuid"}
		if name == "code" {
			schema = map[string]any{"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
		}
		params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": schema})
	}
	for _, p := range rt.Query {
		schema := paramSchema(s, p)
		if p.Name == "limit" {
			schema["minimum"], schema["maximum"], schema["default"] = 1, h.limits.MaxPageSize, h.limits.DefaultPageSize
		}
		param := map[string]any{"name": p.Name, "in": "query", "schema": schema}
		if p.Desc != "" {
			param["description"] = p.Desc
		}
		if p.List {
			param["style"], param["explode"] = "form", false
		}
		params = append(params, param)
	}
	write := rt.Method != http.MethodGet
	if write && rt.Access != public {
		params = append(params, map[string]any{"name": IdempotencyHeader, "in": "header",
			"description": "makes a retry return the first response instead of acting twice",
			"schema":      map[string]any{"type": "string", "minLength": 1, "maxLength": 255}})
	}
	if rt.IfMatch {
		desc := `the ETag read ("<version>"); a stale one is refused with 412`
		if rt.IfMatchRequired {
			desc += `; required once the record exists (428 without it; "*" writes unconditionally)`
		}
		params = append(params, map[string]any{"name": "If-Match", "in": "header", "description": desc,
			"schema": map[string]any{"type": "string"}})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if rt.Body != nil {
		mt := "application/json"
		var schema map[string]any
		if rt.BodyType == xmlBody {
			mt, schema = xmlBody, map[string]any{"type": "string", "description": "an ADF 1.0 XML document"}
		} else if rt.BodyType == multipartBody || rt.BodyType == formBody {
			mt, schema = rt.BodyType, s.ref(reflect.TypeOf(rt.Body))
		} else if rt.Method == http.MethodPatch {
			schema = s.patchRef(reflect.TypeOf(rt.Body))
		} else {
			schema = s.ref(reflect.TypeOf(rt.Body))
		}
		media := map[string]any{"schema": schema}
		if ex := rt.example(sampleRefs); ex != nil {
			media["example"] = ex
		}
		op["requestBody"] = map[string]any{"required": !rt.OptionalBody && rt.Method != http.MethodPatch, "content": map[string]any{mt: media}}
	}
	ok := map[string]any{"description": http.StatusText(rt.Status)}
	switch {
	case rt.OutType == "application/json" && rt.Out == nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}
	case rt.OutType != "":
		ok["content"] = map[string]any{rt.OutType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
	case rt.Out != nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": s.ref(reflect.TypeOf(rt.Out))}}
	}
	if rt.HTML {
		if c, _ := ok["content"].(map[string]any); c != nil {
			c["text/html"] = map[string]any{"schema": map[string]any{"type": "string",
				"description": "a short page for a person (Russian and English) saying what was done"}}
		}
	}
	if rt.CSV {
		if c, _ := ok["content"].(map[string]any); c != nil {
			c[csvType] = map[string]any{"schema": map[string]any{"type": "string",
				"description": "UTF-8 CSV (RFC 4180, CRLF line ends) with a header row: the same figures as the JSON answer"}}
		}
	}
	if rt.ETag && rt.Out != nil {
		ok["headers"] = map[string]any{"ETag": map[string]any{"description": `the record's version, "<version>"`,
			"schema": map[string]any{"type": "string"}}}
	}
	problem := map[string]any{"$ref": "#/components/responses/Problem"}
	responses := map[string]any{strconv.Itoa(rt.Status): ok, "default": problem}
	if rt.Access != public {
		responses["401"], responses["403"] = problem, problem
	}
	if len(pathParams(rt.Path)) > 0 {
		responses["404"] = problem
	}
	responses["422"] = problem // every route refuses unknown query parameters
	if write && rt.Access != public {
		responses["409"] = problem
	}
	if rt.IfMatch {
		responses["412"] = problem
	}
	if rt.IfMatchRequired {
		responses["428"] = problem
	}
	op["responses"] = responses
	if rt.Access == public {
		op["security"] = []any{}
	} else {
		op["x-roles"] = roleNames(rt.Access)
		op["description"] = "Roles: " + roleList(rt.Access) + "."
	}
	return op
}

// pathParams returns the {names} of a path pattern.
func pathParams(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, strings.Trim(seg, "{}"))
		}
	}
	return out
}

// paramSchema is the schema of a query parameter: its type, its enum, and an array of them for a List.
func paramSchema(set *schemaSet, p param) map[string]any {
	var s map[string]any
	switch p.Type {
	case "integer":
		s = map[string]any{"type": "integer"}
	case "boolean":
		s = map[string]any{"type": "boolean"}
	case "uuid":
		s = map[string]any{"type": "string", "format": "uuid"}
	case "date-time":
		s = map[string]any{"type": "string", "format": "date-time"}
	case "date":
		s = map[string]any{"type": "string", "description": "a date (YYYY-MM-DD, midnight UTC) or an instant (RFC 3339)"}
	case "decimal":
		s = map[string]any{"type": "string", "pattern": `^-?[0-9]+(\.[0-9]+)?$`}
	default:
		s = map[string]any{"type": "string"}
	}
	if len(p.Enum) > 0 {
		s["enum"] = p.Enum
	}
	if p.Of != "" {
		s = set.enumRef(p.Of)
	}
	if p.List {
		s = map[string]any{"type": "array", "items": s}
	}
	return s
}
