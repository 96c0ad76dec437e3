package plans

import "github.com/dealercrm/dealercrm/crm"

// The codes of the plans' errors (problem+json's "code").
const (
	// CodeOverlap: another plan of the same scope already covers part of the period.
	CodeOverlap crm.Code = "sales_plan_overlap"
)

// Codes returns every code the plans' errors carry.
func Codes() []crm.Code { return []crm.Code{CodeOverlap} }

// ErrOverlap is returned when a plan would cover days another plan of the same scope already covers. It is a
// conflict (HTTP 409).
var ErrOverlap = &crm.Error{Kind: crm.KindConflict, Code: CodeOverlap,
	Message: "another plan of the same scope covers part of this period"}
