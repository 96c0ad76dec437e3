package credit

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// ProgramStore keeps the credit programs of the context's dealer. Every method returns a crm.KindForbidden error
// when the context carries no dealer.
type ProgramStore interface {
	// Get returns the program; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (Program, error)
	// Create saves a new program (Version becomes 1); KindConflict if the ID exists.
	Create(ctx context.Context, p *Program) error
	// Update saves p if p.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's.
	Update(ctx context.Context, p *Program) error
	// List returns the dealer's programs ordered by bank, name and ID.
	List(ctx context.Context) ([]Program, error)
}

// ApplicationStore keeps the credit applications of the context's dealer. Every method returns a
// crm.KindForbidden error when the context carries no dealer.
type ApplicationStore interface {
	// Get returns the application; KindNotFound if missing or another dealer's. Inside a read-write unit of work
	// the PostgreSQL adapter locks the row until the transaction ends.
	Get(ctx context.Context, id crm.ID) (Application, error)
	// Create saves a new application (Version becomes 1); KindConflict if the ID exists, and KindConflict with
	// crm.CodeDuplicate if it is issued or closed and another application of its sale is too (one financed
	// application per sale; in PostgreSQL a partial unique index holds it).
	Create(ctx context.Context, a *Application) error
	// Update saves a if a.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's, KindConflict (crm.CodeDuplicate) as for Create.
	Update(ctx context.Context, a *Application) error
	// ListBySale returns the applications of a sale, oldest first (created_at, then ID).
	ListBySale(ctx context.Context, saleID crm.ID) ([]Application, error)
	// ListByCustomer returns the applications of a customer, oldest first (created_at, then ID).
	ListByCustomer(ctx context.Context, customerID crm.ID) ([]Application, error)
	// List returns one page of applications matching q, newest first (created_at, then ID, descending), and the
	// cursor of the next page; KindInvalid (field "cursor") for a cursor it did not make.
	List(ctx context.Context, q ApplicationQuery) (ApplicationPage, error)
}

// ApplicationQuery filters and pages the application list. Zero fields do not filter.
type ApplicationQuery struct {
	SaleID crm.ID
	State  State
	Limit  int    // page size; 0 means the default (crm.PageLimit)
	Cursor string // from the previous page's NextCursor
}

// Match reports whether a passes q's filters (not the cursor); adapters that filter in Go use it.
func (q ApplicationQuery) Match(a Application) bool {
	return (q.SaleID == (crm.ID{}) || a.SaleID == q.SaleID) && (q.State == "" || a.State == q.State)
}

// Validate checks the query: a known state (or none), a non-negative limit, a cursor this package made. It
// returns crm.KindInvalid naming "state", "limit" or "cursor".
func (q ApplicationQuery) Validate() error {
	var p crm.Problems
	if q.State != "" && !q.State.Valid() {
		p.Add("state", "is not a state of a credit application")
	}
	if q.Limit < 0 {
		p.Add("limit", "cannot be negative")
	}
	if _, _, err := ApplicationList.DecodeTime("credit.ApplicationQuery", q.Cursor); err != nil {
		p.Add("cursor", "is not a cursor of this list")
	}
	return p.Err("credit.ApplicationQuery")
}

// ApplicationPage is one page of the application list.
type ApplicationPage struct {
	Items      []Application
	NextCursor string // "" on the last page
}

// ApplicationList is the application list, newest first: created_at, then ID, descending. Its cursors name it
// (crm.List); adapters make and read them only through it.
var ApplicationList = crm.List{Name: "credit-applications", Order: "created_at desc"}

// Stores is what the credit service reads and writes inside one unit of work: its programs and applications, and
// the sales they finance (with their orders, for the price), whose credit link issuing, rejecting and cancelling
// keep true.
type Stores interface {
	CreditPrograms() ProgramStore
	CreditApplications() ApplicationStore
	Sales() sales.SaleStore
	Orders() sales.OrderStore
	Playbook() crm.Playbook   // making an application completes the sale's playbook steps waiting for it
	Dealers() crm.DealerStore // the calculator's default currency (Calculate)
}
