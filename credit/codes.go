package credit

import "github.com/dealercrm/dealercrm/crm"

// The codes of credit's errors (problem+json's "code").
const (
	CodeTransition    crm.Code = "credit_transition_not_allowed" // the credit application's state does not allow the move
	CodeAlreadyIssued crm.Code = "credit_already_issued"         // another credit application of the sale is issued
)

// Codes returns every code credit's errors carry.
func Codes() []crm.Code { return []crm.Code{CodeTransition, CodeAlreadyIssued} }
