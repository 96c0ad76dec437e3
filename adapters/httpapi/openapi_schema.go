package httpapi

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// schemaSet derives OpenAPI schemas from the Go types the handler reads and writes, so that the document cannot
// drift from the JSON actually sent: every struct becomes a named component, its fields named by their json tags.
// Response fields without omitempty are required; request fields are required when tagged `oa:"required"`.
// Request structs (names ending in "In") refuse unknown properties, as the decoder does.
//
// Closed sets are named enum components (see enums): a field of an enum's Go type, or a string field tagged
// `enum:"LeadSource"`, refers to it. A string field holding a time or a date says so with `format:"date-time"` or
// `format:"date"`. Nullable fields use OpenAPI 3.0's nullable with a type beside it, as 3.0 requires.
type schemaSet struct {
	components map[string]any
	owners     map[string]reflect.Type
	enums      map[reflect.Type]enum
	enumNames  map[string]enum
}

func newSchemaSet() *schemaSet {
	s := &schemaSet{components: map[string]any{}, owners: map[string]reflect.Type{}, enums: map[reflect.Type]enum{},
		enumNames: map[string]enum{}}
	for _, e := range enums() {
		s.enums[e.typ], s.enumNames[e.name] = e, e
	}
	return s
}

// enumRef registers the component of the enum called name and returns a reference to it.
func (s *schemaSet) enumRef(name string) map[string]any {
	e, ok := s.enumNames[name]
	if !ok {
		panic("httpapi: no enum " + name)
	}
	s.components[e.name] = map[string]any{"type": "string", "enum": e.values, "description": e.desc}
	return map[string]any{"$ref": "#/components/schemas/" + e.name}
}

// nullable returns schema allowing null too. A reference cannot have siblings that count in OpenAPI 3.0, so it is
// wrapped: {type, nullable, allOf: [ref]}, the type being the referenced component's.
func (s *schemaSet) nullable(schema map[string]any) map[string]any {
	if ref, isRef := schema["$ref"].(string); isRef {
		typ := "object"
		if c, ok := s.components[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any); ok {
			if t, ok := c["type"].(string); ok {
				typ = t
			}
		}
		return map[string]any{"type": typ, "nullable": true, "allOf": []any{schema}}
	}
	if alts, ok := schema["oneOf"].([]any); ok {
		for _, a := range alts {
			if m, ok := a.(map[string]any); ok && m["type"] == "string" {
				m["nullable"] = true
			}
		}
		return schema
	}
	schema["nullable"] = true
	return schema
}

var (
	typeTime    = reflect.TypeFor[time.Time]()
	typeStamp   = reflect.TypeFor[stamp]()
	typeID      = reflect.TypeFor[uuid.UUID]()
	typeMoney   = reflect.TypeFor[crm.Money]()
	typeDecimal = reflect.TypeFor[decimal.Decimal]()
	typeDecText = reflect.TypeFor[decimalText]()
	typePercent = reflect.TypeFor[percent]()
)

// listSample is implemented by list responses (listOut[T]).
type listSample interface{ itemSample() any }

// ref returns a schema for t, registering named components on the way.
func (s *schemaSet) ref(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		return s.nullable(s.ref(t.Elem()))
	}
	switch t {
	case typeTime:
		return map[string]any{"type": "string", "format": "date-time"}
	case typeStamp:
		return map[string]any{"type": "string", "format": "date-time", "example": "2026-11-27T09:00:00.000000Z",
			"description": "RFC 3339 in UTC, always six fraction digits"}
	case typeID:
		return map[string]any{"type": "string", "format": "uuid"}
	case typeDecimal:
		return map[string]any{"type": "string", "pattern": `^-?[0-9]+(\.[0-9]+)?$`, "example": "0.20"}
	case typeDecText:
		return map[string]any{"oneOf": []any{
			map[string]any{"type": "string", "pattern": `^ *-?[0-9]+(\.[0-9]+)? *$`, "example": "1234.50"},
			map[string]any{"type": "number"},
		}, "description": "a decimal, best as a string; a JSON number is read exactly, never as a float"}
	case typePercent:
		return map[string]any{"type": "number", "example": 57.25, "description": "a percentage, rounded half away from zero to two decimals"}
	case typeMoney:
		s.components["Money"] = map[string]any{
			"type":     "object",
			"required": []string{"amount", "currency"},
			"properties": map[string]any{
				"amount":   map[string]any{"type": "string", "pattern": `^-?[0-9]+(\.[0-9]+)?$`, "example": "1234.50"},
				"currency": map[string]any{"type": "string", "pattern": "^[A-Z]{3}$", "example": "RUB"},
			},
			"description": "An exact amount: the decimal as a string, and an ISO 4217 currency.",
		}
		return map[string]any{"$ref": "#/components/schemas/Money"}
	}
	if e, ok := s.enums[t]; ok {
		return s.enumRef(e.name)
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": s.ref(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": s.ref(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := s.name(t)
		if owner, ok := s.owners[name]; ok {
			if owner != t {
				panic(fmt.Sprintf("httpapi: two types named %s in the OpenAPI document: %v and %v", name, owner, t))
			}
		} else {
			s.owners[name] = t
			s.components[name] = map[string]any{} // placeholder against recursion
			s.components[name] = s.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	panic(fmt.Sprintf("httpapi: no OpenAPI schema for %v", t))
}

// name is the component name of a struct type: its Go name with an upper-case first letter, "Out" and "IO"
// dropped and "In" read as "Input" (leadOut → Lead, leadIn → LeadInput); a list is named after its items.
func (s *schemaSet) name(t reflect.Type) string {
	if ls, ok := reflect.New(t).Elem().Interface().(listSample); ok {
		return s.name(reflect.TypeOf(ls.itemSample())) + "List"
	}
	n := t.Name()
	if i := strings.IndexByte(n, '['); i >= 0 {
		n = n[:i]
	}
	switch {
	case strings.HasSuffix(n, "Out"):
		n = strings.TrimSuffix(n, "Out")
	case strings.HasSuffix(n, "IO"):
		n = strings.TrimSuffix(n, "IO")
	case strings.HasSuffix(n, "In"):
		n = strings.TrimSuffix(n, "In") + "Input"
	}
	r := []rune(n)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// object is the schema of a struct, embedded structs flattened.
func (s *schemaSet) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	input := strings.HasSuffix(t.Name(), "In")
	s.fields(t, props, &required, input)
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	if input {
		o["additionalProperties"] = false
	}
	return o
}

func (s *schemaSet) fields(t reflect.Type, props map[string]any, required *[]string, input bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				s.fields(ft, props, required, input)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		schema := s.ref(f.Type)
		if name := f.Tag.Get("enum"); name != "" {
			schema = s.withEnum(schema, name)
		}
		if format := f.Tag.Get("format"); format != "" {
			schema["format"] = format
		}
		if input {
			withInputBounds(schema, textLimit(f))
		}
		if doc := f.Tag.Get("doc"); doc != "" {
			if _, isRef := schema["$ref"]; isRef {
				schema = map[string]any{"allOf": []any{schema}, "description": doc}
			} else {
				schema["description"] = doc
			}
		}
		props[name] = schema
		omit := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		if (input && f.Tag.Get("oa") == "required") || (!input && !omit) {
			*required = append(*required, name)
		}
	}
}

// withInputBounds states what a request member may hold: limit as maxLength on a plain string schema (or on the
// items of an array of them), and int32 on an integer (checkShape refuses the rest).
func withInputBounds(schema map[string]any, limit int) {
	switch {
	case schema["type"] == "integer":
		schema["format"] = "int32"
	case schema["type"] == "string" && schema["format"] == nil && schema["enum"] == nil:
		schema["maxLength"] = limit
	case schema["type"] == "array":
		if items, ok := schema["items"].(map[string]any); ok && items["type"] == "string" && items["format"] == nil {
			items["maxLength"] = limit
		}
	}
}

// withEnum puts the enum called name where schema has a plain string: the schema itself, a nullable string, or
// the items of an array.
func (s *schemaSet) withEnum(schema map[string]any, name string) map[string]any {
	switch {
	case schema["type"] == "array":
		schema["items"] = s.withEnum(schema["items"].(map[string]any), name)
		return schema
	case schema["type"] == "string" && schema["nullable"] == true:
		return s.nullable(s.enumRef(name))
	case schema["type"] == "string":
		return s.enumRef(name)
	}
	panic(fmt.Sprintf("httpapi: enum %s on a field of schema %v", name, schema))
}

// patchRef returns the schema of a JSON merge patch of the request struct t: its properties, none required.
func (s *schemaSet) patchRef(t reflect.Type) map[string]any {
	base := s.ref(t)
	name := s.name(t) + "Patch"
	if _, ok := s.components[name]; !ok {
		obj := s.components[s.name(t)].(map[string]any)
		patch := map[string]any{}
		for k, v := range obj {
			if k != "required" {
				patch[k] = v
			}
		}
		patch["description"] = "A JSON merge patch (RFC 7396): members replace the record's, null removes one."
		s.components[name] = patch
	}
	_ = base
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// prune drops the components nothing in doc refers to (directly or through other components): a PATCH body is
// made from its create body, which may have no route of its own.
func (s *schemaSet) prune(doc map[string]any) {
	used := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if ref, ok := x.(string); ok && k == "$ref" {
					name := strings.TrimPrefix(ref, "#/components/schemas/")
					if !used[name] {
						used[name] = true
						walk(s.components[name])
					}
					continue
				}
				walk(x)
			}
		case map[string]map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	for k, v := range doc {
		if k != "components" {
			walk(v)
		}
	}
	walk(doc["components"].(map[string]any)["responses"])
	for name := range s.components {
		if !used[name] {
			delete(s.components, name)
		}
	}
}
