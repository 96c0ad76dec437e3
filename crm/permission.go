package crm

import "slices"

// Permission is something a role may do within its dealer. The table of which role holds which permission is
// the kernel's (Permissions, Can): the HTTP layer checks every route against it and an embedder checks its own
// screens and jobs against the same table.
type Permission string

// The permissions. Every role reads everything of its dealer; writes are granted by area.
const (
	// PermRead reads every record of the dealer.
	PermRead Permission = "read"
	// PermEditDirectories edits the directories: need types, lead stages and sales stages.
	PermEditDirectories Permission = "directories.edit"
	// PermEditCatalog edits the catalog: vehicles (and their status), spare parts (and their stock), labour.
	PermEditCatalog Permission = "catalog.edit"
	// PermEditLeads edits leads, books and settles test drives and imports leads.
	PermEditLeads Permission = "leads.edit"
	// PermEditSales opens, edits, wins and loses sales, edits their orders and generates contracts.
	PermEditSales Permission = "sales.edit"
	// PermEditCredit edits credit programs, makes credit applications and moves them (submit, approve, reject,
	// issue, cancel, close), and calculates payment schedules.
	PermEditCredit Permission = "credit.edit"
	// PermEditActivities creates, changes and completes activities: calls, meetings, e-mails, tasks and notes.
	PermEditActivities Permission = "activities.edit"
	// PermEditPlaybooks edits the stage playbooks: the steps each lead stage and sales stage gives its owner.
	PermEditPlaybooks Permission = "playbooks.edit"
	// PermEditCustomers creates and edits customers.
	PermEditCustomers Permission = "customers.edit"
	// PermMergeCustomers merges a duplicate customer into another (its leads, sales and cars move).
	PermMergeCustomers Permission = "customers.merge"
	// PermManageUsers adds users and issues and revokes their API keys.
	PermManageUsers Permission = "users.manage"
	// PermEditSettings changes the dealer's settings, such as the test-drive schedule.
	PermEditSettings Permission = "settings.edit"
	// PermEditService keeps customer vehicles up to date (mileage, owner, insurance), books and moves service
	// appointments, keeps maintenance plans and warranty contracts: the service advisor's work.
	PermEditService Permission = "service.edit"
	// PermEditAppraisals creates and fills in appraisal sheets (checklist, prices, photos) and submits them.
	PermEditAppraisals Permission = "appraisals.edit"
	// PermApproveAppraisals approves or rejects a submitted appraisal sheet (its price becomes binding).
	PermApproveAppraisals Permission = "appraisals.approve"
)

// AllPermissions returns every permission, in a fixed order.
func AllPermissions() []Permission {
	return []Permission{PermRead, PermEditDirectories, PermEditCatalog, PermEditLeads, PermEditSales,
		PermEditCredit, PermEditActivities, PermEditPlaybooks, PermEditCustomers, PermMergeCustomers, PermManageUsers, PermEditSettings, PermEditService,
		PermEditAppraisals, PermApproveAppraisals}
}

// AllRoles returns every role, in a fixed order (most to least privileged).
func AllRoles() []Role {
	return []Role{RoleAdmin, RoleSalesManager, RoleServiceAdvisor, RoleReadOnly}
}

// rolePermissions is the table: what each role may do.
var rolePermissions = map[Role][]Permission{
	RoleAdmin: AllPermissions(),
	RoleSalesManager: {PermRead, PermEditCatalog, PermEditLeads, PermEditSales, PermEditCredit, PermEditActivities,
		PermEditPlaybooks, PermEditCustomers, PermMergeCustomers, PermEditAppraisals, PermApproveAppraisals},
	RoleServiceAdvisor: {PermRead, PermEditActivities, PermEditCustomers, PermEditService, PermEditAppraisals},
	RoleReadOnly:       {PermRead},
}

// Permissions returns what role may do, in the order of AllPermissions; none for an unknown role.
func Permissions(role Role) []Permission {
	return slices.Clone(rolePermissions[role])
}

// Can reports whether role holds permission p. An unknown role holds none.
func Can(role Role, p Permission) bool {
	return slices.Contains(rolePermissions[role], p)
}

// RolesWith returns the roles holding p, in the order of AllRoles.
func RolesWith(p Permission) []Role {
	var out []Role
	for _, r := range AllRoles() {
		if Can(r, p) {
			out = append(out, r)
		}
	}
	return out
}
