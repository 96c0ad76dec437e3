package playbooks

import (
	"context"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
)

// Store keeps the playbooks of the context's dealer, one per stage. Every method returns a crm.KindForbidden error
// when the context carries no dealer.
type Store interface {
	// GetByStage returns the playbook of the stage; KindNotFound if the stage has none (or is another dealer's).
	// It never locks: the steps are read on every stage change, and Update checks the version.
	GetByStage(ctx context.Context, stageID crm.ID) (Playbook, error)
	// Create saves a new playbook (Version becomes 1); KindConflict with crm.CodeDuplicate if the stage has one.
	Create(ctx context.Context, p *Playbook) error
	// Update saves p if p.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's.
	Update(ctx context.Context, p *Playbook) error
	// List returns every playbook of the dealer, by stage ID.
	List(ctx context.Context) ([]Playbook, error)
}

// Stores is what the playbooks service and Seed read and write inside one unit of work: the playbooks and the
// two stage directories they belong to.
type Stores interface {
	Playbooks() Store
	LeadStages() leads.LeadStageStore
	SalesStages() sales.StageStore
}

// HookStores is what Hooks reads and writes inside the caller's unit of work: the playbooks, the activities
// their steps become, and the dealer's working hours their due times are counted in (the response policy's).
type HookStores interface {
	Playbooks() Store
	Activities() activities.Store
	ResponsePolicies() leads.ResponsePolicyStore
	TestDrives() leads.TestDriveStore // a step waiting for a test drive is created done when one is booked already
	Documents() crm.DocumentStore     // a step waiting for the contract is created done when the sale has one
}
