package httpapi

import (
	"net/http"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
)

// checkQuery refuses query parameters the route does not declare, naming every one of them in one 422, as the
// decoder refuses unknown body fields: a misspelt filter (?stauts=sold) must not silently return everything. It
// refuses as well a parameter given more than once (?status=booked&status=done), which would otherwise keep the
// first value and drop the others silently: a parameter that takes a set takes it as one comma-separated value
// (?status=in_stock,reserved, the OpenAPI document's form style without explode), as every set of the API does.
func checkQuery(r *http.Request, known []param) error {
	if r.URL.RawQuery == "" {
		return nil
	}
	var unknown, repeated []string
	for name, values := range queryOf(r) {
		switch {
		case !declared(known, name):
			unknown = append(unknown, name)
		case len(values) > 1:
			repeated = append(repeated, name)
		}
	}
	if len(unknown) == 0 && len(repeated) == 0 {
		return nil
	}
	sort.Strings(unknown)
	sort.Strings(repeated)
	var p crm.Problems
	for _, name := range unknown {
		p.Add(name, "is not a known query parameter")
	}
	for _, name := range repeated {
		if listParam(known, name) {
			p.Add(name, "is given more than once: give the set once, its values comma-separated")
		} else {
			p.Add(name, "is given more than once: give it once")
		}
	}
	return p.Err("httpapi")
}

func declared(known []param, name string) bool {
	for _, p := range known {
		if p.Name == name {
			return true
		}
	}
	return false
}

// listParam reports whether name is a declared parameter that takes several values (comma-separated).
func listParam(known []param, name string) bool {
	for _, p := range known {
		if p.Name == name {
			return p.List
		}
	}
	return false
}
