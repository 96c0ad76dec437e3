package httpapi

import (
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// access is the set of roles allowed to call a route.
type access uint8

var roleBits = map[crm.Role]access{
	crm.RoleAdmin:          1 << 0,
	crm.RoleSalesManager:   1 << 1,
	crm.RoleServiceAdvisor: 1 << 2,
	crm.RoleReadOnly:       1 << 3,
}

func allow(roles ...crm.Role) access {
	var a access
	for _, r := range roles {
		a |= roleBits[r]
	}
	return a
}

// The permission sets the routes use. Every authenticated role reads everything of its dealer; writes are
// granted by area:
//   - admins: directories (need types, lead stages, sales stages) and everything else;
//   - sellers (admin, sales manager): catalog (vehicles, parts, services), leads, test drives, sales, orders,
//     contracts, imports;
//   - staff (admin, sales manager, service advisor): customers (customer vehicles are created by winning a
//     sale; their service routes will be granted to staff when aftersales grows them).
//
// read_only users only read.
var (
	readers = allow(crm.RoleAdmin, crm.RoleSalesManager, crm.RoleServiceAdvisor, crm.RoleReadOnly)
	admins  = allow(crm.RoleAdmin)
	sellers = allow(crm.RoleAdmin, crm.RoleSalesManager)
	staff   = allow(crm.RoleAdmin, crm.RoleSalesManager, crm.RoleServiceAdvisor)
)

func (a access) allows(r crm.Role) bool { return a&roleBits[r] != 0 }

// roles lists the roles in a, in a fixed order (for the OpenAPI document).
func (a access) roles() []string {
	var out []string
	for _, r := range []crm.Role{crm.RoleAdmin, crm.RoleSalesManager, crm.RoleServiceAdvisor, crm.RoleReadOnly} {
		if a.allows(r) {
			out = append(out, string(r))
		}
	}
	return out
}

func (a access) String() string { return strings.Join(a.roles(), ", ") }
