package playbooks

import "github.com/dealercrm/dealercrm/crm"

// The codes of playbooks' errors (problem+json's "code").
const (
	// CodeStepOpen: a required step of the lead's or sale's stage is still open, so it cannot move on.
	CodeStepOpen crm.Code = "playbook_step_open"
	// CodeVersionRequired: the stage has a stored playbook, and replacing it needs the version read.
	CodeVersionRequired crm.Code = "playbook_version_required"
)

// ErrVersionRequired refuses CreatePlaybook for a stage whose playbook is stored already: replacing it needs the
// version read (PutPlaybook with it; over HTTP, If-Match). It is a crm.KindStaleVersion error, so a caller who
// does not know the code treats it as a stale write; the HTTP layer answers it 428 Precondition Required.
var ErrVersionRequired = &crm.Error{Kind: crm.KindStaleVersion, Code: CodeVersionRequired,
	Message: "the stage's playbook is stored already: replace it with the version read (If-Match)"}

// Codes returns every code playbooks' errors carry.
func Codes() []crm.Code { return []crm.Code{CodeStepOpen, CodeVersionRequired} }
