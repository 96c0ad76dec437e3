package crm_test

import (
	"fmt"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// TestPermissionTable holds the whole roles × permissions table: a change to who may do what is a change here.
func TestPermissionTable(t *testing.T) {
	const (
		yes = true
		no  = false
	)
	want := map[crm.Permission]map[crm.Role]bool{
		//                         admin                 sales manager               service advisor               read only
		crm.PermRead:            {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: yes, crm.RoleReadOnly: yes},
		crm.PermEditDirectories: {crm.RoleAdmin: yes, crm.RoleSalesManager: no, crm.RoleServiceAdvisor: no, crm.RoleReadOnly: no},
		crm.PermEditCatalog:     {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: no, crm.RoleReadOnly: no},
		crm.PermEditLeads:       {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: no, crm.RoleReadOnly: no},
		crm.PermEditSales:       {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: no, crm.RoleReadOnly: no},
		crm.PermEditCredit:      {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: no, crm.RoleReadOnly: no},
		crm.PermEditActivities:  {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: yes, crm.RoleReadOnly: no},
		crm.PermEditPlaybooks:   {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: no, crm.RoleReadOnly: no},
		crm.PermEditCustomers:   {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: yes, crm.RoleReadOnly: no},
		crm.PermMergeCustomers:  {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: no, crm.RoleReadOnly: no},
		crm.PermManageUsers:     {crm.RoleAdmin: yes, crm.RoleSalesManager: no, crm.RoleServiceAdvisor: no, crm.RoleReadOnly: no},
		crm.PermEditSettings:    {crm.RoleAdmin: yes, crm.RoleSalesManager: no, crm.RoleServiceAdvisor: no, crm.RoleReadOnly: no},
		crm.PermEditService:     {crm.RoleAdmin: yes, crm.RoleSalesManager: no, crm.RoleServiceAdvisor: yes, crm.RoleReadOnly: no},
		// the service advisor inspects the car and fills in the sheet; a sales manager agrees its price
		crm.PermEditAppraisals:    {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: yes, crm.RoleReadOnly: no},
		crm.PermApproveAppraisals: {crm.RoleAdmin: yes, crm.RoleSalesManager: yes, crm.RoleServiceAdvisor: no, crm.RoleReadOnly: no},
	}
	assert.Len(t, want, len(crm.AllPermissions()), "every permission is in the table above")
	for _, p := range crm.AllPermissions() {
		for _, r := range crm.AllRoles() {
			row, ok := want[p]
			if assert.True(t, ok, "permission %s missing from the test", p) {
				assert.Equal(t, row[r], crm.Can(r, p), "Can(%s, %s)", r, p)
			}
		}
	}
	for _, r := range crm.AllRoles() {
		var held []crm.Permission
		for _, p := range crm.AllPermissions() {
			if want[p][r] {
				held = append(held, p)
			}
		}
		assert.Equal(t, held, crm.Permissions(r), "Permissions(%s)", r)
	}
	assert.Equal(t, []crm.Role{crm.RoleAdmin, crm.RoleSalesManager, crm.RoleServiceAdvisor}, crm.RolesWith(crm.PermEditCustomers))
}

func TestUnknownRoleHoldsNothing(t *testing.T) {
	assert.False(t, crm.Can("owner", crm.PermRead))
	assert.False(t, crm.Can("", crm.PermRead))
	assert.Empty(t, crm.Permissions("owner"))
}

func TestPermissionsIsACopy(t *testing.T) {
	p := crm.Permissions(crm.RoleReadOnly)
	p[0] = crm.PermEditSales
	assert.False(t, crm.Can(crm.RoleReadOnly, crm.PermEditSales))
}

func ExampleCan() {
	fmt.Println(crm.Can(crm.RoleServiceAdvisor, crm.PermEditCustomers), crm.Can(crm.RoleServiceAdvisor, crm.PermEditSales))
	fmt.Println(crm.Permissions(crm.RoleReadOnly))
	// Output:
	// true false
	// [read]
}
