package playbooks_test

import (
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/playbooks"
)

// The contract stage of the defaults waits for the purchase contract, which completes its step by itself; a
// playbook a dealer writes is checked field by field.
func Example() {
	for _, s := range playbooks.DefaultSteps(crm.SubjectSale, "contract") {
		fmt.Println(s.Key, s.Required, s.CompletesOn, "—", s.TitleEn)
	}
	err := playbooks.CheckSteps(crm.SubjectLead, []playbooks.Step{
		{Key: "first_call", Title: "Позвонить клиенту", DueMinutes: 15, CompletesOn: crm.EventCallCompleted},
		{Key: "first_call", Title: ""},
	})
	for _, f := range crm.FieldsOf(err) {
		fmt.Println(f.Field, "—", f.Message)
	}
	// Output:
	// purchase_contract true contract_formed — Generate the purchase contract
	// steps[1].key — is also the key of steps[0]
	// steps[1].title — is required
}
