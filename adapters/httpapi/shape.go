package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// checkShape records in p every place where the JSON value v (decoded with UseNumber) does not fit the Go type t
// of a request body: unknown members, values of the wrong JSON type, malformed UUIDs, decimals and times. Each
// problem is named by its JSON path in the request ("interest.vehicle_id", "lines[2].quantity"). The decoder stops
// at the first misfit and cannot name a field whose UnmarshalText failed (a UUID); this walk names them all, so
// one answer lists every field to fix. A JSON null fits anything, as it does for the decoder.
func checkShape(p *crm.Problems, t reflect.Type, v any, path string) {
	shapeOf(p, t, v, path, defaultTextLimit)
}

// shapeOf is checkShape with limit, the most characters a string at path may hold.
func shapeOf(p *crm.Problems, t reflect.Type, v any, path string, limit int) {
	if v == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case typeID:
		s, ok := v.(string)
		if _, err := uuid.Parse(s); !ok || err != nil || len(s) != 36 {
			p.Add(path, "%s is not a UUID", jsonText(v))
		}
		return
	case typeDecText:
		switch x := v.(type) {
		case json.Number:
		case string:
			if _, err := decimal.NewFromString(strings.TrimSpace(x)); err != nil && strings.TrimSpace(x) != "" {
				p.Add(path, "%q is not a decimal number", x)
			}
		default:
			p.Add(path, "must be a decimal (a string like \"1234.50\" or a number)")
		}
		return
	case typeStamp, typeTime:
		if _, ok := v.(string); !ok {
			p.Add(path, "must be an RFC 3339 time (a string)")
		}
		return
	}
	switch t.Kind() {
	case reflect.String:
		if s, ok := v.(string); !ok {
			p.Add(path, "must be a string")
		} else if n := utf8.RuneCountInString(s); n > limit {
			p.Add(path, "is %d characters long; at most %d are allowed", n, limit)
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			p.Add(path, "must be true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := v.(json.Number)
		if _, err := strconv.ParseInt(string(n), 10, 64); !ok || err != nil {
			p.Add(path, "must be an integer")
		} else if _, err := strconv.ParseInt(string(n), 10, 32); err != nil {
			p.Add(path, "must be between %d and %d", math.MinInt32, math.MaxInt32)
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			p.Add(path, "must be a number")
		}
	case reflect.Slice, reflect.Array:
		items, ok := v.([]any)
		if !ok {
			p.Add(path, "must be an array")
			return
		}
		for i, item := range items {
			shapeOf(p, t.Elem(), item, path+"["+strconv.Itoa(i)+"]", limit)
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			p.Add(path, "must be an object")
			return
		}
		for _, k := range sortedKeysOf(obj) {
			shapeOf(p, t.Elem(), obj[k], joinPath(path, k), limit)
		}
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			p.Add(path, "must be an object")
			return
		}
		fields := jsonFields(t)
		for _, name := range slices.Sorted(maps.Keys(fields)) {
			if fields[name].Tag.Get("oa") == "required" && obj[name] == nil {
				p.Add(joinPath(path, name), "is required")
			}
		}
		for _, k := range sortedKeysOf(obj) {
			f, ok := fields[k]
			if !ok {
				p.Add(joinPath(path, k), "is not a known field%s", caseHint(fields, k))
				continue
			}
			shapeOf(p, f.Type, obj[k], joinPath(path, k), textLimit(f))
			if s, isString := obj[k].(string); isString && s != "" {
				checkFormat(p, f.Tag.Get("format"), s, joinPath(path, k))
			}
		}
	}
}

// checkFormat checks a string member against its field's format tag (uuid, date-time, date).
func checkFormat(p *crm.Problems, format, s, path string) {
	var err error
	switch format {
	case "uuid":
		if _, err = uuid.Parse(s); err == nil && len(s) != 36 {
			err = errNotCanonical
		}
	case "date-time":
		_, err = time.Parse(time.RFC3339, s)
	case "date":
		_, err = time.Parse(time.DateOnly, s)
	}
	if err != nil {
		p.Add(path, "%q is not %s", s, formatNames[format])
	}
}

var errNotCanonical = errors.New("not the canonical form")

var formatNames = map[string]string{"uuid": "a UUID", "date-time": "an RFC 3339 time", "date": "a date (YYYY-MM-DD)"}

// jsonFields maps the JSON names of t's fields (embedded structs flattened) to the fields.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					if _, taken := out[k]; !taken {
						out[k] = v
					}
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}

// caseHint points to the field a member differs from only in case (encoding/json would take it; a request
// must name its members exactly).
func caseHint(fields map[string]reflect.StructField, k string) string {
	for name := range fields {
		if strings.EqualFold(name, k) {
			return fmt.Sprintf(" (member names are case-sensitive: %q)", name)
		}
	}
	return ""
}

// defaultTextLimit is the most characters a request string may hold when its field declares no max tag.
const defaultTextLimit = 1000

// textLimit is the most characters the string field f (or each string of a list) may hold: its max tag, else
// defaultTextLimit. The OpenAPI document states it as maxLength.
func textLimit(f reflect.StructField) int {
	if n, err := strconv.Atoi(f.Tag.Get("max")); err == nil && n > 0 {
		return n
	}
	return defaultTextLimit
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func sortedKeysOf(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// jsonText shows a JSON value in a message: a string quoted, anything else as JSON.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "the value"
	}
	return string(b)
}

// fitOnly returns the part of the JSON value v that fits the Go type t, recording in p what checkShape records
// for the rest: an object keeps only its members that fit (a misfit member is dropped, as if absent), an array's
// misfit item becomes null. ok is false when v itself misfits (the caller drops it).
func fitOnly(p *crm.Problems, t reflect.Type, v any, path string, limit int) (fit any, ok bool) {
	if v == nil {
		return nil, true
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == typeID || t == typeDecText || t == typeStamp || t == typeTime:
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		items, isArray := v.([]any)
		if !isArray {
			break
		}
		out := make([]any, len(items))
		for i, item := range items {
			out[i], _ = fitOnly(p, t.Elem(), item, path+"["+strconv.Itoa(i)+"]", limit)
		}
		return out, true
	case t.Kind() == reflect.Map || t.Kind() == reflect.Struct:
		obj, isObject := v.(map[string]any)
		if !isObject {
			break
		}
		var fields map[string]reflect.StructField
		if t.Kind() == reflect.Struct {
			fields = jsonFields(t)
		}
		out := make(map[string]any, len(obj))
		for _, k := range sortedKeysOf(obj) {
			et, kp, lim := t, joinPath(path, k), limit
			if fields != nil {
				f, known := fields[k]
				if !known {
					p.Add(kp, "is not a known field")
					continue
				}
				et, lim = f.Type, textLimit(f)
				if s, isString := obj[k].(string); isString && s != "" {
					var fp crm.Problems
					checkFormat(&fp, f.Tag.Get("format"), s, kp)
					if err := fp.Err("httpapi"); err != nil {
						p.Merge("", err)
						continue
					}
				}
			} else {
				et = t.Elem()
			}
			if member, fits := fitOnly(p, et, obj[k], kp, lim); fits {
				out[k] = member
			}
		}
		return out, true
	}
	var local crm.Problems
	shapeOf(&local, t, v, path, limit)
	if err := local.Err("httpapi"); err != nil {
		p.Merge("", err)
		return nil, false
	}
	return v, true
}
