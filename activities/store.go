package activities

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
)

// Store keeps the activities of the context's dealer. Every method returns a crm.KindForbidden error when the
// context carries no dealer.
type Store interface {
	// Get returns the activity; KindNotFound if missing or another dealer's. Inside a read-write unit of work the
	// PostgreSQL adapter locks the row until the transaction ends.
	Get(ctx context.Context, id crm.ID) (Activity, error)
	// Create saves a new activity (Version becomes 1); KindConflict if the ID exists.
	Create(ctx context.Context, a *Activity) error
	// Update saves a if a.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's.
	Update(ctx context.Context, a *Activity) error
	// List returns one page of activities matching q, newest first (created_at, then ID, descending), and the
	// cursor of the next page; KindInvalid (field "cursor") for a cursor it did not make.
	List(ctx context.Context, q Query) (Page, error)
}

// Query filters and pages the activity list. Zero fields do not filter.
type Query struct {
	OwnerID    crm.ID
	Status     Status
	DueBefore  time.Time // only activities due before this time (those without a due time never match)
	LeadID     crm.ID
	SaleID     crm.ID
	CustomerID crm.ID
	Limit      int    // page size; 0 means the default (crm.PageLimit)
	Cursor     string // from the previous page's NextCursor
}

// Match reports whether a passes q's filters (not the cursor); adapters that filter in Go use it.
func (q Query) Match(a Activity) bool {
	zero := crm.ID{}
	return (q.OwnerID == zero || a.OwnerID == q.OwnerID) && (q.Status == "" || a.Status == q.Status) &&
		(q.DueBefore.IsZero() || (!a.DueAt.IsZero() && a.DueAt.Before(q.DueBefore))) &&
		(q.LeadID == zero || a.LeadID == q.LeadID) && (q.SaleID == zero || a.SaleID == q.SaleID) &&
		(q.CustomerID == zero || a.CustomerID == q.CustomerID)
}

// Validate checks the query: a known status (or none), a non-negative limit, a cursor this package made. It
// returns crm.KindInvalid naming "status", "limit" or "cursor".
func (q Query) Validate() error {
	var p crm.Problems
	if q.Status != "" && !q.Status.Valid() {
		p.Add("status", "must be open, done or cancelled")
	}
	if q.Limit < 0 {
		p.Add("limit", "cannot be negative")
	}
	if _, _, err := List.DecodeTime("activities.Query", q.Cursor); err != nil {
		p.Add("cursor", "is not a cursor of this list")
	}
	return p.Err("activities.Query")
}

// Page is one page of the activity list.
type Page struct {
	Items      []Activity
	NextCursor string // "" on the last page
}

// List is the activity list, newest first: created_at, then ID, descending. Its cursors name it (crm.List);
// adapters make and read them only through it.
var List = crm.List{Name: "activities", Order: "created_at desc"}

// Stores is what the activities service reads and writes inside one unit of work: the activities, and the
// users, leads, sales, customers and customer vehicles they name.
type Stores interface {
	Activities() Store
	Users() crm.UserStore
	Leads() leads.LeadStore
	Sales() sales.SaleStore
	Customers() crm.CustomerStore
	CustomerVehicles() aftersales.CustomerVehicleStore
	Playbook() crm.Playbook // completing a call completes the playbook steps waiting for it
	ResponsePolicies() leads.ResponsePolicyStore
}
