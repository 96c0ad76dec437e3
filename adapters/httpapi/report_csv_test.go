package httpapi

import (
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// TestCSVIsDocumentedWhereServed: every GET route answers CSV to Accept: text/csv exactly when it declares CSV
// (and so the OpenAPI document lists text/csv beside JSON); a route whose summary promises CSV declares it.
func TestCSVIsDocumentedWhereServed(t *testing.T) {
	f := newFixture(t)
	w := f.newWorld(f.a)
	tok := f.a.token(crm.RoleAdmin)
	csvRoutes := 0
	for _, rt := range f.h.routes {
		if rt.Method != "GET" {
			continue
		}
		if strings.Contains(rt.Summary, "text/csv") {
			assert.True(t, rt.CSV, "%s %s promises CSV in its summary but does not declare it", rt.Method, rt.Path)
		}
		if rt.CSV {
			csvRoutes++
		}
		t.Run(rt.Path, func(t *testing.T) {
			res := f.do(get(w.fill(rt.Path), tok).with("Accept", "text/csv"))
			if res.Status != 200 {
				return
			}
			ct := res.Header.Get("Content-Type")
			if rt.CSV {
				assert.True(t, strings.HasPrefix(ct, "text/csv"), "%s: %s", rt.Path, ct)
			} else {
				assert.False(t, strings.HasPrefix(ct, "text/csv"), "%s serves CSV without declaring it", rt.Path)
			}
		})
	}
	assert.GreaterOrEqual(t, csvRoutes, 7, "the five reports, the plan list and the plan progress")
}
