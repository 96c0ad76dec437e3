package sales

import "github.com/dealercrm/dealercrm/crm"

// Domain errors; each is of a kernel kind, so errors.Is(err, crm.ErrConflict) also holds.
var (
	// ErrSaleClosed: the sale is won or lost and cannot change (a lost sale can only be reopened through
	// Service.EditSale moving it to a stage, with a reason). A conflict.
	ErrSaleClosed = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeSaleClosed, Message: "sale is closed (won or lost)"}
	// ErrNoStage: the dealer's stage directory lacks a stage the operation needs (an open stage to start in, the
	// won or the lost stage); Service.SeedStages creates the defaults. A conflict.
	ErrNoStage = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeStageMissing, Message: "the dealer's sales stages lack a needed stage"}
	// ErrOrderExists: the sale already has its order (one order per sale). A conflict.
	ErrOrderExists = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeOrderExists, Message: "the sale already has an order"}
)
