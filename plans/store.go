package plans

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/shopspring/decimal"
)

// Store keeps the dealer's sales plans and their revisions. Every method returns a crm.KindForbidden error when
// the context carries no dealer.
type Store interface {
	// Get returns the plan; KindNotFound if missing or another dealer's. Inside a read-write unit of work the
	// PostgreSQL adapter locks the row until the transaction ends.
	Get(ctx context.Context, id crm.ID) (Plan, error)
	// Create saves a new plan (Version becomes 1); ErrOverlap when another plan of its scope covers one of its
	// days (held by the store itself, so of plans created at once for one scope and period exactly one is saved).
	Create(ctx context.Context, p *Plan) error
	// Update saves p if p.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's, ErrOverlap as for Create (other plans only).
	Update(ctx context.Context, p *Plan) error
	// List returns the plans whose period has a day in [from, to) (zero bounds do not limit), of one owner when
	// ownerID is set, ordered by start, then scope key, then ID.
	List(ctx context.Context, from, to time.Time, ownerID crm.ID) ([]Plan, error)
	// AddRevision keeps r; KindConflict if the plan already has a revision of that version.
	AddRevision(ctx context.Context, r Revision) error
	// Revisions returns the plan's revisions, oldest first (none for an unknown plan).
	Revisions(ctx context.Context, planID crm.ID) ([]Revision, error)
}

// ProgressQuery asks for the sales measured against a plan: its period as instants [From, To), its scope, and
// the currency its revenue is counted in.
type ProgressQuery struct {
	From, To time.Time
	Scope    Scope
	Currency crm.Currency
}

// Actuals are the sums a ProgressStore counts for a ProgressQuery (definitions in docs/analytics.md):
//   - WonUnits: won sales in the scope whose WonAt is in [From, To), whatever their currency;
//   - WonRevenue: the sum of their amounts, of those in Currency;
//   - OpenWeighted: the sum of amount × probability (a percent, so 100 times the probable amount) of the open
//     sales in the scope and in Currency whose ExpectedClose day is in [From, To).
type Actuals struct {
	WonUnits     int
	WonRevenue   decimal.Decimal
	OpenWeighted decimal.Decimal
}

// ProgressStore counts a plan's actuals where the sales are (SQL aggregation in PostgreSQL; one pass over the
// dealer's sales in memory) instead of loading sales into the service. A sale is in the scope when its owner is
// the scope's (when set), its vehicle's make and model equal the scope's without regard to case (when set), and
// the need type of the lead it came from is the scope's (when set).
type ProgressStore interface {
	Actuals(ctx context.Context, q ProgressQuery) (Actuals, error)
}

// Stores is what the plans service reads and writes inside one unit of work.
type Stores interface {
	Plans() Store
	PlanProgress() ProgressStore
	Users() crm.UserStore
	NeedTypes() leads.NeedTypeStore
}
