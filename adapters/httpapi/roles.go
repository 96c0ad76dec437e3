package httpapi

import (
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// Every route names the kernel permission it needs (route.Access); who holds it is the kernel's table
// (crm.Can, crm.Permissions), which embedders use too. This file only reads that table.

// public marks a route that needs no authentication (health, readiness, the OpenAPI document).
const public crm.Permission = ""

// allows reports whether role may call a route needing p.
func allows(p crm.Permission, role crm.Role) bool { return crm.Can(role, p) }

// roleNames lists the roles holding p, in the kernel's order (for the OpenAPI document).
func roleNames(p crm.Permission) []string {
	var out []string
	for _, r := range crm.RolesWith(p) {
		out = append(out, string(r))
	}
	return out
}

// roleList is roleNames joined for prose.
func roleList(p crm.Permission) string { return strings.Join(roleNames(p), ", ") }
