package playbooks

import "github.com/dealercrm/dealercrm/crm"

// The codes of playbooks' errors (problem+json's "code").
const (
	// CodeStepOpen: a required step of the lead's or sale's stage is still open, so it cannot move on.
	CodeStepOpen crm.Code = "playbook_step_open"
)

// Codes returns every code playbooks' errors carry.
func Codes() []crm.Code { return []crm.Code{CodeStepOpen} }
