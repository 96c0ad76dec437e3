package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// A matcher checks one value of a response. Expected values in a scenario are either plain JSON values (compared
// exactly; numbers by value, and a string matches a number written the same) or strings of the form "<name>" or
// "<name:argument>":
//
//	<present>        the path exists (any value, null included)
//	<absent>         the path does not exist or is null
//	<contains:TEXT>  a string containing TEXT, or a list with an element equal to TEXT
//	<prefix:TEXT>    a string starting with TEXT
//	<matches:RE>     a string matching the regular expression RE (Go syntax)
//	<not:VALUE>      present and not equal to VALUE
//	<len:N>          a list, object or string of length N
//	<gt:N> <ge:N> <lt:N> <le:N>   a number (or numeric string) compared with N
type matcher struct {
	op   string // "" for equality
	arg  string
	re   *regexp.Regexp
	want any // the expected value for equality
}

// parseMatcher reads an expected value as written in a scenario.
func parseMatcher(raw json.RawMessage) (matcher, error) {
	v, err := decode(raw)
	if err != nil {
		return matcher{}, err
	}
	s, ok := v.(string)
	if !ok || !strings.HasPrefix(s, "<") || !strings.HasSuffix(s, ">") {
		return matcher{want: v}, nil
	}
	return parseStringMatcher(s)
}

// parseStringMatcher reads "<op>" or "<op:arg>"; any other string is an equality matcher.
func parseStringMatcher(s string) (matcher, error) {
	if !strings.HasPrefix(s, "<") || !strings.HasSuffix(s, ">") {
		return matcher{want: s}, nil
	}
	op, arg, hasArg := strings.Cut(s[1:len(s)-1], ":")
	m := matcher{op: op, arg: arg}
	switch op {
	case "present", "absent":
		if hasArg {
			return m, fmt.Errorf("%s takes no argument", s)
		}
	case "contains", "prefix", "not":
		if !hasArg {
			return m, fmt.Errorf("%s needs an argument: <%s:...>", s, op)
		}
	case "matches":
		re, err := regexp.Compile(arg)
		if err != nil {
			return m, fmt.Errorf("%s: %v", s, err)
		}
		m.re = re
	case "len":
		if _, err := strconv.Atoi(arg); err != nil {
			return m, fmt.Errorf("%s: the length must be a whole number", s)
		}
	case "gt", "ge", "lt", "le":
		if _, err := decimal.NewFromString(arg); err != nil {
			return m, fmt.Errorf("%s: the bound must be a number", s)
		}
	default:
		return matcher{want: s}, nil // a string that merely looks like <...>
	}
	return m, nil
}

// check reports what is wrong with the value found at a path (found false: the path does not exist); "" when it
// matches.
func (m matcher) check(v any, found bool) string {
	switch m.op {
	case "":
		if !found {
			return fmt.Sprintf("missing, want %s", show(m.want))
		}
		if !equal(v, m.want) {
			return fmt.Sprintf("got %s, want %s", show(v), show(m.want))
		}
	case "present":
		if !found {
			return "missing, want <present>"
		}
	case "absent":
		if found && v != nil {
			return fmt.Sprintf("got %s, want <absent>", show(v))
		}
	case "not":
		if !found {
			return fmt.Sprintf("missing, want <not:%s>", m.arg)
		}
		if text(v) == m.arg {
			return fmt.Sprintf("got %s, want anything else", show(v))
		}
	case "contains":
		if list, ok := v.([]any); ok {
			for _, e := range list {
				if text(e) == m.arg {
					return ""
				}
			}
			return fmt.Sprintf("got %s, want a list containing %q", show(v), m.arg)
		}
		if s, ok := v.(string); !ok || !strings.Contains(s, m.arg) {
			return fmt.Sprintf("got %s, want text containing %q", show(v), m.arg)
		}
	case "prefix":
		if s, ok := v.(string); !ok || !strings.HasPrefix(s, m.arg) {
			return fmt.Sprintf("got %s, want text starting with %q", show(v), m.arg)
		}
	case "matches":
		if s, ok := v.(string); !ok || !m.re.MatchString(s) {
			return fmt.Sprintf("got %s, want text matching %q", show(v), m.arg)
		}
	case "len":
		n, _ := strconv.Atoi(m.arg)
		l := -1
		switch x := v.(type) {
		case []any:
			l = len(x)
		case map[string]any:
			l = len(x)
		case string:
			l = len([]rune(x))
		}
		if l != n {
			return fmt.Sprintf("got %s (length %d), want length %d", show(v), l, n)
		}
	case "gt", "ge", "lt", "le":
		bound, _ := decimal.NewFromString(m.arg)
		d, err := decimal.NewFromString(text(v))
		if !found || err != nil {
			return fmt.Sprintf("got %s, want a number %s %s", show(v), m.op, m.arg)
		}
		c := d.Cmp(bound)
		ok := map[string]bool{"gt": c > 0, "ge": c >= 0, "lt": c < 0, "le": c <= 0}[m.op]
		if !ok {
			return fmt.Sprintf("got %s, want a number %s %s", show(v), m.op, m.arg)
		}
	}
	return ""
}

// decode reads JSON keeping numbers exact (json.Number).
func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// equal compares two decoded JSON values: numbers by value, a string and a number by their text, lists and
// objects element by element.
func equal(got, want any) bool {
	switch w := want.(type) {
	case json.Number:
		return numEqual(text(got), w.String())
	case string:
		if n, ok := got.(json.Number); ok {
			return numEqual(n.String(), w)
		}
		return got == w
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !equal(g[i], w[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k := range w {
			if _, ok := g[k]; !ok || !equal(g[k], w[k]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(got, want)
}

func numEqual(a, b string) bool {
	x, err1 := decimal.NewFromString(a)
	y, err2 := decimal.NewFromString(b)
	return err1 == nil && err2 == nil && x.Equal(y)
}

// text is the plain text of a scalar (a string without quotes, a number as written); JSON for anything else.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case nil:
		return "null"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// show formats a value for a failure message, shortened.
func show(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
