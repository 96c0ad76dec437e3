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

// StepsReadAhead is an optional capability of a HookStores bundle: the open steps waiting for an event that the
// unit of work has already read together with the records they belong to, under those records' locks (the
// PostgreSQL adapter's joined read of a test-drive booking reads the lead's and the customer's steps waiting for
// crm.EventTestDriveBooked), so that StepEvent completes them without reading them again. StepEvent asks for it
// with a type assertion and lists the steps itself when the bundle lacks it or ok is false.
type StepsReadAhead interface {
	// StepsAhead returns, when they were read ahead for exactly e's event, lead, sale and customer and no
	// activity has been written in the unit of work since, the open steps of e's lead, sale and customer that
	// complete on e.Event, each once, the lead's first, then the sale's, then the customer's, each newest first
	// (the order StepEvent would list them in); ok is false otherwise. They are handed out once: a second call
	// returns ok false.
	StepsAhead(e crm.StepEvent) (steps []activities.Activity, ok bool)
}
