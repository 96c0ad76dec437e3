package examples

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/dealercrm/dealercrm/"

// The domain packages and what each may import from the module (beyond itself and its own subpackages).
var allowed = map[string][]string{
	"crm":        {},
	"catalog":    {"crm"},
	"leads":      {"crm", "catalog"},
	"appraisal":  {"crm", "catalog"},
	"aftersales": {"crm", "catalog"},
	"sales":      {"crm", "catalog", "leads", "appraisal", "aftersales"},
	"credit":     {"crm", "catalog", "leads", "appraisal", "aftersales", "sales"},
	"activities": {"crm", "catalog", "leads", "appraisal", "aftersales", "sales", "credit"},
	"customers":  {"crm", "catalog", "leads", "appraisal", "aftersales", "sales", "credit", "activities"},
	"notify":     {"crm", "catalog", "leads", "appraisal", "aftersales", "sales", "credit", "activities", "customers"},
	"plans":      {"crm", "catalog", "leads"},
	"analytics":  {"crm", "catalog", "leads", "appraisal", "aftersales", "sales", "plans"},
}

// Packages no domain package may import, directly or not.
var forbidden = []string{"database/sql", "net/http", "github.com/jmoiron/sqlx", "github.com/lib/pq",
	"github.com/signintech/gopdf", "html/template"}

// TestImportRule holds the architecture: imports run crm ← catalog ← {leads, appraisal, aftersales} ← sales ←
// credit ← activities ← customers ← notify, and no domain package reaches an adapter, SQL, HTTP or a PDF library.
func TestImportRule(t *testing.T) {
	for pkg, ok := range allowed {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../"+pkg+"/...").CombinedOutput()
		if err != nil {
			if strings.Contains(string(out), "matched no packages") || strings.Contains(string(out), "directory not found") ||
				strings.Contains(string(out), "no such file") {
				continue // the package does not exist yet
			}
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, f := range forbidden {
				if dep == f {
					t.Errorf("%s depends on %s", pkg, f)
				}
			}
			if !strings.HasPrefix(dep, module) {
				continue
			}
			top := strings.SplitN(strings.TrimPrefix(dep, module), "/", 2)[0]
			if top == pkg {
				continue
			}
			if !contains(ok, top) {
				t.Errorf("%s depends on %s, which the import rule forbids", pkg, dep)
			}
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
