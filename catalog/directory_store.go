package catalog

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// MakeStore keeps the makes of the context's dealer. Every method returns KindForbidden when the context carries
// no dealer.
type MakeStore interface {
	// Get returns the make; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (Make, error)
	// Create saves a new make (Version becomes 1); KindConflict (crm.Duplicate) if the dealer already has a make
	// of that name (NameKey).
	Create(ctx context.Context, m *Make) error
	// Update saves m if m.Version is the stored one and bumps it; KindNotFound, KindStaleVersion or KindConflict
	// (duplicate name) otherwise.
	Update(ctx context.Context, m *Make) error
	// List returns every make of the dealer ordered by name, then ID.
	List(ctx context.Context) ([]Make, error)
}

// ModelStore keeps the models of the context's dealer. Every method returns KindForbidden without a dealer.
type ModelStore interface {
	// Get returns the model; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (Model, error)
	// Create saves a new model; KindConflict (crm.Duplicate) if its make already has a model of that name.
	Create(ctx context.Context, m *Model) error
	// Update saves m if m.Version is the stored one and bumps it; KindNotFound, KindStaleVersion or KindConflict.
	Update(ctx context.Context, m *Model) error
	// List returns the models of make (the zero ID: of every make) ordered by name, then ID.
	List(ctx context.Context, makeID crm.ID) ([]Model, error)
}

// GenerationStore keeps the generations of the context's dealer. Every method returns KindForbidden without a
// dealer.
type GenerationStore interface {
	// Get returns the generation; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (Generation, error)
	// Create saves a new generation; KindConflict (crm.Duplicate) if its model already has one of that name.
	Create(ctx context.Context, g *Generation) error
	// Update saves g if g.Version is the stored one and bumps it; KindNotFound, KindStaleVersion or KindConflict.
	Update(ctx context.Context, g *Generation) error
	// List returns the generations of model (the zero ID: of every model) ordered by first year, name, then ID.
	List(ctx context.Context, modelID crm.ID) ([]Generation, error)
}

// ConfigurationFilter selects configurations; zero fields select everything.
type ConfigurationFilter struct {
	MakeID       crm.ID
	ModelID      crm.ID
	MakeName     string // a make by name (without case); the service resolves it to MakeID
	ModelName    string // a model by name (without case); the service resolves it to the models of that name
	GenerationID crm.ID
	Year         int       // a model year the configuration's generation covers
	Option       string    // an option code the configuration offers (upper-case)
	ValidAt      time.Time // the price is valid at this instant
}

// Match reports whether c (of generation g) passes the filter: the one definition both adapters follow.
func (f ConfigurationFilter) Match(c Configuration, g Generation) bool {
	return (f.MakeID == crm.ID{} || c.MakeID == f.MakeID) &&
		(f.ModelID == crm.ID{} || c.ModelID == f.ModelID) &&
		(f.GenerationID == crm.ID{} || c.GenerationID == f.GenerationID) &&
		(f.Year == 0 || g.Covers(f.Year)) &&
		(f.Option == "" || c.HasOption(f.Option)) &&
		(f.ValidAt.IsZero() || c.ValidAt(f.ValidAt))
}

// ConfigurationStore keeps the configurations of the context's dealer. Every method returns KindForbidden
// without a dealer.
type ConfigurationStore interface {
	// Get returns the configuration; KindNotFound if missing or another dealer's. Inside a read-write unit of
	// work the PostgreSQL adapter locks the row until the transaction ends.
	Get(ctx context.Context, id crm.ID) (Configuration, error)
	// Create saves a new configuration; KindConflict (crm.Duplicate) if the dealer already has its code,
	// KindInvalid if it breaks Configuration.Invariants.
	Create(ctx context.Context, c *Configuration) error
	// Update saves c if c.Version is the stored one and bumps it; KindNotFound, KindStaleVersion, KindInvalid or
	// KindConflict (duplicate code) otherwise.
	Update(ctx context.Context, c *Configuration) error
	// List returns the configurations matching f (ConfigurationFilter.Match) ordered by code, then ID.
	List(ctx context.Context, f ConfigurationFilter) ([]Configuration, error)
}

// MaintenancePlanStore keeps the maintenance plans of the context's dealer. Every method returns KindForbidden
// without a dealer.
type MaintenancePlanStore interface {
	// Get returns the plan; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (MaintenancePlan, error)
	// Create saves a new plan; KindConflict (crm.Duplicate) if its model (generation zero) or its generation
	// already has one.
	Create(ctx context.Context, mp *MaintenancePlan) error
	// Update saves mp if mp.Version is the stored one and bumps it; KindNotFound or KindStaleVersion otherwise.
	Update(ctx context.Context, mp *MaintenancePlan) error
	// List returns the plans of model, its own and its generations' (the zero ID: every plan), ordered by model,
	// then the model's own first, then by generation ID.
	List(ctx context.Context, modelID crm.ID) ([]MaintenancePlan, error)
}

// WarrantyTermsStore keeps the manufacturer warranty terms of the context's dealer. Every method returns
// KindForbidden without a dealer.
type WarrantyTermsStore interface {
	// Get returns the terms; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (WarrantyTerms, error)
	// Create saves new terms; KindConflict (crm.Duplicate) if their model (generation zero) or their generation
	// already has terms.
	Create(ctx context.Context, w *WarrantyTerms) error
	// Update saves w if w.Version is the stored one and bumps it; KindNotFound or KindStaleVersion otherwise.
	Update(ctx context.Context, w *WarrantyTerms) error
	// List returns the terms of model, its own and its generations' (the zero ID: all), ordered like
	// MaintenancePlanStore.List.
	List(ctx context.Context, modelID crm.ID) ([]WarrantyTerms, error)
}

// ModelDirectory is the part of a unit of work that resolves make + model + year to directory records. Another
// domain's bundle (the service side's, say) embeds it, or DirectoryStores, to read the directory in its own unit
// of work; every adapter's transaction has these stores.
type ModelDirectory interface {
	Makes() MakeStore
	Models() ModelStore
	Generations() GenerationStore
}

// PerModelStores is what the service side reads from the directory: the model tree and the maintenance plans and
// warranty terms attached to it (see FindMaintenancePlan and FindWarrantyTerms).
type PerModelStores interface {
	ModelDirectory
	MaintenancePlans() MaintenancePlanStore
	WarrantyTerms() WarrantyTermsStore
}

// DirectoryStores is the whole model directory.
type DirectoryStores interface {
	PerModelStores
	Configurations() ConfigurationStore
	PriceRules() PriceRuleStore
}

// PriceRuleStore keeps the dealer's own price rules. Every method returns KindForbidden without a dealer.
type PriceRuleStore interface {
	// Get returns the rule; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (PriceRule, error)
	// Create saves a new rule (Version becomes 1).
	Create(ctx context.Context, r *PriceRule) error
	// Update saves r if r.Version is the stored one and bumps it; KindNotFound or KindStaleVersion otherwise.
	Update(ctx context.Context, r *PriceRule) error
	// List returns every rule of the dealer ordered by name, then ID: the order Quote applies them in.
	List(ctx context.Context) ([]PriceRule, error)
}
