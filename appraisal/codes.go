package appraisal

import "github.com/dealercrm/dealercrm/crm"

// The codes of appraisal's errors (problem+json's "code"), also carried by the trade-in link of a sale.
const (
	CodeNotDraft     crm.Code = "appraisal_not_draft"              // the sheet is no longer a draft: it cannot be edited
	CodeTransition   crm.Code = "appraisal_transition_not_allowed" // the sheet's state does not allow the action
	CodeNotApproved  crm.Code = "appraisal_not_approved"           // only an approved sheet can be a trade-in
	CodeTradeInTaken crm.Code = "trade_in_taken"                   // the sheet is the trade-in of another sale
)

// Codes returns every code appraisal's errors carry.
func Codes() []crm.Code {
	return []crm.Code{CodeNotDraft, CodeTransition, CodeNotApproved, CodeTradeInTaken}
}
