package appraisal

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// List is the list of appraisal sheets (Store.Page), newest first: created_at, then ID, descending. Its cursors
// name it (crm.List); adapters make and read them only through it.
var List = crm.List{Name: "appraisals", Order: "created_at desc"}

// Store keeps the appraisal sheets of the context's dealer. Every method returns a crm.KindForbidden error when
// the context carries no dealer.
type Store interface {
	// Get returns the sheet; KindNotFound if missing or another dealer's. Inside a read-write unit of work the
	// PostgreSQL adapter locks the row until the transaction ends.
	Get(ctx context.Context, id crm.ID) (Appraisal, error)
	// Create saves a new sheet (Version becomes 1); KindConflict if the ID exists.
	Create(ctx context.Context, a *Appraisal) error
	// Update saves a if a.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's; KindConflict (crm.CodeDuplicate) when another sheet of the dealer is already
	// the trade-in of a.TradeInSaleID's sale.
	Update(ctx context.Context, a *Appraisal) error
	// List returns the sheets matching q, newest first (created_at, then ID, descending).
	List(ctx context.Context, q Query) ([]Appraisal, error)
	// Page returns the page pr asks for of the sheets matching q, in List's order, read by keyset (see
	// crm.PageRequest); KindInvalid naming cursor for a cursor that is not one.
	Page(ctx context.Context, q Query, pr crm.PageRequest) (crm.Page[Appraisal], error)
}

// Query filters a list of sheets; zero fields do not filter.
type Query struct {
	State      State
	VIN        string // exact, normalised
	LeadID     crm.ID
	CustomerID crm.ID
	SaleID     crm.ID // the sale the sheet came from
}

// Match reports whether a passes q (the memory adapter's filter; PostgreSQL filters in SQL alike).
func (q Query) Match(a Appraisal) bool {
	return (q.State == "" || a.State == q.State) && (q.VIN == "" || string(a.VIN) == q.VIN) &&
		(q.LeadID == (crm.ID{}) || a.LeadID == q.LeadID) &&
		(q.CustomerID == (crm.ID{}) || a.CustomerID == q.CustomerID) &&
		(q.SaleID == (crm.ID{}) || a.SaleID == q.SaleID)
}

// TemplateStore keeps the checklist template of the context's dealer (one per dealer). Every method returns a
// crm.KindForbidden error when the context carries no dealer.
type TemplateStore interface {
	// Get returns the dealer's template; KindNotFound if it has none (sheets then start from DefaultTemplate).
	// Inside a read-write unit of work the PostgreSQL adapter locks it until the transaction ends.
	Get(ctx context.Context) (Template, error)
	// Create saves the dealer's template (Version becomes 1); KindConflict (crm.CodeDuplicate) if it has one.
	Create(ctx context.Context, t *Template) error
	// Update saves t if t.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's.
	Update(ctx context.Context, t *Template) error
}

// OriginStore answers whether the lead or sale a sheet says it came from is the context's dealer's. (Customers
// are the kernel's, read through crm.CustomerStore; leads and sales belong to domains this package may not
// import, so the adapters answer for them here.)
type OriginStore interface {
	// LeadExists reports whether the dealer has the lead.
	LeadExists(ctx context.Context, id crm.ID) (bool, error)
	// SaleExists reports whether the dealer has the sale.
	SaleExists(ctx context.Context, id crm.ID) (bool, error)
}

// Stores is what the appraisal service reads and writes inside one unit of work.
type Stores interface {
	Appraisals() Store
	AppraisalTemplates() TemplateStore
	AppraisalOrigins() OriginStore
	Customers() crm.CustomerStore
	Dealers() crm.DealerStore
	Users() crm.UserStore
	Documents() crm.DocumentStore
}
