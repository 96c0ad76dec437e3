package activities

import "github.com/dealercrm/dealercrm/crm"

// The codes of activities' errors (problem+json's "code").
const (
	// CodeNotOpen: the activity is done or cancelled, so it cannot be completed or changed (only reopened).
	CodeNotOpen crm.Code = "activity_not_open"
)

// Codes returns every code activities' errors carry.
func Codes() []crm.Code { return []crm.Code{CodeNotOpen} }
