package appraisal

import "github.com/dealercrm/dealercrm/crm"

// Domain errors; each is of a kernel kind, so errors.Is(err, crm.ErrConflict) also holds.
var (
	// ErrNotDraft: the sheet is submitted, approved or rejected and can no longer be edited. A conflict.
	ErrNotDraft = &crm.Error{Kind: crm.KindConflict, Code: CodeNotDraft, Message: "the appraisal is not a draft"}
	// ErrTransition: the sheet's state does not allow the action (approving a draft, say). A conflict.
	ErrTransition = &crm.Error{Kind: crm.KindConflict, Code: CodeTransition, Message: "the appraisal's state does not allow this"}
	// ErrNotApproved: only an approved sheet can be a sale's trade-in. A conflict.
	ErrNotApproved = &crm.Error{Kind: crm.KindConflict, Code: CodeNotApproved, Message: "the appraisal is not approved"}
	// ErrTradeInTaken: the sheet is already the trade-in of another sale. A conflict.
	ErrTradeInTaken = &crm.Error{Kind: crm.KindConflict, Code: CodeTradeInTaken, Message: "the appraisal is already the trade-in of another sale"}
)
