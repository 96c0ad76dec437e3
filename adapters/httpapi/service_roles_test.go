package httpapi

import (
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// TestServiceSideRoles holds issue 11's rule on who works on the service side: the service advisor writes (customer
// vehicles, readings, appointments and their steps, maintenance plans, warranties); the sales roles (sales manager,
// read-only) read every service route and write none; the workshop calendar is a dealer setting (admin). Every
// route of the route table under these paths is checked, so a new one cannot slip by. (That each refusal is a 403
// writing nothing is TestRolesWithoutTheRightAreForbidden's.)
func TestServiceSideRoles(t *testing.T) {
	f := newFixture(t)
	service := []string{"/api/v1/customer-vehicles", "/api/v1/service-appointments", "/api/v1/service-slots",
		"/api/v1/maintenance", "/api/v1/warranties", "/api/v1/settings/workshop"}
	checked := 0
	for _, rt := range f.h.routes {
		if !slicesHasPrefix(rt.Path, service) {
			continue
		}
		checked++
		name := rt.Method + " " + rt.Path
		for _, sales := range []crm.Role{crm.RoleSalesManager, crm.RoleReadOnly} {
			assert.Equal(t, rt.Method == "GET", allows(rt.Access, sales), "%s as %s: sales roles read only", name, sales)
		}
		if rt.Path == "/api/v1/settings/workshop" && rt.Method != "GET" {
			assert.Equal(t, crm.PermEditSettings, rt.Access, name)
			continue
		}
		assert.True(t, allows(rt.Access, crm.RoleServiceAdvisor), "%s: the service advisor works here", name)
		if rt.Method != "GET" {
			assert.Equal(t, crm.PermEditService, rt.Access, name)
		}
	}
	assert.GreaterOrEqual(t, checked, 25, "the service routes were found")
}

func slicesHasPrefix(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
