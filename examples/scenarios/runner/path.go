package runner

import (
	"sort"
	"strconv"
	"strings"
)

// lookup finds the value at a dotted path in a decoded JSON document: object keys and list indexes separated by
// dots ("items.0.id", "customer_vehicle.id"); a negative index counts from the end ("items.-1.id"). The empty
// path (or "$") is the whole document. found is false when any step is missing.
func lookup(doc any, path string) (v any, found bool) {
	if path == "" || path == "$" {
		return doc, true
	}
	v = doc
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v, found = x[seg]
			if !found {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil {
				return nil, false
			}
			if i < 0 {
				i += len(x)
			}
			if i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// sortedKeys returns the keys of m in order, so that checks and messages come out the same on every run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// firstKey returns the smallest key of m ("" when empty).
func firstKey[V any](m map[string]V) string {
	if k := sortedKeys(m); len(k) > 0 {
		return k[0]
	}
	return ""
}
