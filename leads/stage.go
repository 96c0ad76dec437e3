package leads

import (
	"context"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// The lead stage codes. They are fixed: the directory lets a dealer rename them, not add or remove them, because
// the transition rules (see the package doc) are written in terms of these codes.
const (
	StageNew          = "new"
	StageInWork       = "in_work"
	StageQualified    = "qualified"
	StageConverted    = "converted"
	StageDisqualified = "disqualified"
)

// StageKind says whether a stage is open or one of the two ends.
type StageKind string

// Stage kinds.
const (
	StageOpen StageKind = "open"         // the lead is being worked on
	StageWon  StageKind = "converted"    // the lead became a sale
	StageLost StageKind = "disqualified" // the lead was dropped (a reason is recorded)
)

// LeadStage is one entry of a dealer's lead-stage directory: a fixed code with the dealer's own name for it, its
// position in the funnel, its kind and whether entering it needs a reason.
type LeadStage struct {
	crm.Meta
	Code           string    `json:"code"`
	Name           string    `json:"name"`              // shown to users; the seeded stages are named in Russian
	NameEn         string    `json:"name_en,omitempty"` // the English name, for other locales
	Order          int       `json:"order"`
	Kind           StageKind `json:"kind"`
	RequiresReason bool      `json:"requires_reason"`
}

// DefaultLeadStages returns the stage directory every dealer starts with, in order, named in Russian with an
// English name beside.
func DefaultLeadStages() []LeadStage {
	return []LeadStage{
		{Code: StageNew, Name: "Новый", NameEn: "New", Order: 10, Kind: StageOpen},
		{Code: StageInWork, Name: "В работе", NameEn: "In work", Order: 20, Kind: StageOpen},
		{Code: StageQualified, Name: "Квалифицирован", NameEn: "Qualified", Order: 30, Kind: StageOpen},
		{Code: StageConverted, Name: "Конвертирован в продажу", NameEn: "Converted", Order: 40, Kind: StageWon},
		{Code: StageDisqualified, Name: "Дисквалифицирован", NameEn: "Disqualified", Order: 50, Kind: StageLost, RequiresReason: true},
	}
}

// NewLeadStage builds a directory entry of dealer for one of the fixed codes, taking the default's order, kind
// and reason rule, and the given name (the default name when blank).
func NewLeadStage(dealer crm.ID, code, name string, now time.Time) (LeadStage, error) {
	for _, s := range DefaultLeadStages() {
		if s.Code == code {
			if name != "" {
				s.Name = name
			}
			s.Meta = crm.NewMeta(dealer, now)
			return s, nil
		}
	}
	return LeadStage{}, crm.Invalid("leads.NewLeadStage", crm.FieldError{Field: "code", Message: fmt.Sprintf("%q is not a lead stage", code)})
}

// ValidStage reports whether code is one of the fixed stage codes.
func ValidStage(code string) bool {
	switch code {
	case StageNew, StageInWork, StageQualified, StageConverted, StageDisqualified:
		return true
	}
	return false
}

// StageIsOpen reports whether a lead at stage code is still being worked on (not converted or disqualified).
func StageIsOpen(code string) bool {
	switch code {
	case StageNew, StageInWork, StageQualified:
		return true
	}
	return false
}

// transitions is the graph of MoveStage (Convert reaches converted on its own path). See the package doc.
var transitions = map[string][]string{
	StageNew:          {StageInWork, StageQualified, StageDisqualified},
	StageInWork:       {StageQualified, StageDisqualified},
	StageQualified:    {StageInWork, StageDisqualified},
	StageDisqualified: {StageInWork},
	StageConverted:    nil,
}

// CanMove reports whether MoveStage allows a lead at stage from to move to stage to.
func CanMove(from, to string) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// StageChange is one entry of a lead's stage history.
type StageChange struct {
	From   string    `json:"from"` // "" for the lead's first stage
	To     string    `json:"to"`
	Reason string    `json:"reason,omitempty"`
	By     crm.ID    `json:"by"` // the acting user; zero for the system (an import)
	At     time.Time `json:"at"`
}

// LeadStageStore keeps the lead-stage directory of the context's dealer.
type LeadStageStore interface {
	// List returns the dealer's stages by order; empty before the directory is seeded.
	List(ctx context.Context) ([]LeadStage, error)
	// GetByCode returns the dealer's stage with that code; KindNotFound if there is none.
	GetByCode(ctx context.Context, code string) (LeadStage, error)
	// Create saves a new stage (Version becomes 1); KindConflict if the dealer already has that code (the
	// transaction stays usable, so seeding can treat it as "already there").
	Create(ctx context.Context, s *LeadStage) error
	// Update saves s if s.Version is current and bumps it; KindStaleVersion or KindNotFound otherwise.
	Update(ctx context.Context, s *LeadStage) error
}
