package httpapi

import (
	"net/http"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
)

// checkQuery refuses query parameters the route does not declare, naming every one of them in one 422, as the
// decoder refuses unknown body fields: a misspelt filter (?stauts=sold) must not silently return everything.
func checkQuery(r *http.Request, known []param) error {
	if r.URL.RawQuery == "" {
		return nil
	}
	var unknown []string
	for name := range queryOf(r) {
		if !declared(known, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	var p crm.Problems
	for _, name := range unknown {
		p.Add(name, "is not a known query parameter")
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
