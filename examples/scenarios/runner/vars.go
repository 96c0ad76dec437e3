package runner

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// varRef is a ${...} reference in a path, header, body or expected value.
var varRef = regexp.MustCompile(`\$\{([^}]*)\}`)

// vars holds the variables of one scenario run: those saved by steps, and the built-ins.
type vars struct {
	saved map[string]any
	now   func() time.Time
	zone  *time.Location // the zone the scenario's clock was written in; ${now} is printed in it
}

// value returns the value of one variable name. Built-ins:
//
//	now, now+DURATION, now-DURATION   the scenario clock (RFC 3339, in the zone of the scenario's "clock")
//	today                             the clock's date (YYYY-MM-DD) in that zone
//	dealer.ALIAS.id, user.ALIAS.id    the IDs of the dealers and users the scenario created
//
// and every name saved by an earlier step.
func (vs *vars) value(name string) (any, error) {
	name = strings.TrimSpace(name)
	if v, ok := vs.saved[name]; ok {
		return v, nil
	}
	switch {
	case name == "now":
		return vs.now().In(vs.zone).Format(time.RFC3339), nil
	case name == "today":
		return vs.now().In(vs.zone).Format(time.DateOnly), nil
	case strings.HasPrefix(name, "now+") || strings.HasPrefix(name, "now-"):
		d, err := time.ParseDuration(name[3:])
		if err != nil {
			return nil, fmt.Errorf("${%s}: %q is not a duration", name, name[3:])
		}
		return vs.now().Add(d).In(vs.zone).Format(time.RFC3339), nil
	}
	return nil, fmt.Errorf("unknown variable ${%s} (not saved by an earlier step)", name)
}

// expand replaces every ${name} in s by its value as text.
func (vs *vars) expand(s string) (string, error) {
	var firstErr error
	out := varRef.ReplaceAllStringFunc(s, func(ref string) string {
		v, err := vs.value(ref[2 : len(ref)-1])
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return ref
		}
		return text(v)
	})
	return out, firstErr
}

// expandValue replaces references in every string of a decoded JSON value. A string that is exactly one
// reference takes the variable's value with its type (a saved number stays a number).
func (vs *vars) expandValue(v any) (any, error) {
	switch x := v.(type) {
	case string:
		if m := varRef.FindStringSubmatch(x); m != nil && m[0] == x {
			return vs.value(m[1])
		}
		return vs.expand(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = vs.expandValue(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			var err error
			if out[k], err = vs.expandValue(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}
