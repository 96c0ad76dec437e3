package leads

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// LeadStore keeps the leads of the context's dealer.
type LeadStore interface {
	// Get returns the lead; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (Lead, error)
	// Create saves a new lead (Version becomes 1); KindConflict if the ID exists.
	Create(ctx context.Context, l *Lead) error
	// Update saves l if l.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's.
	Update(ctx context.Context, l *Lead) error
	// FindByContact returns the leads (of any stage) having the normalised phone or e-mail (either may be empty;
	// both empty gives none), oldest first.
	FindByContact(ctx context.Context, phone, email string) ([]Lead, error)
	// GetByExternalID returns the lead with the external ID; KindNotFound if there is none. Create and Update refuse
	// an external ID another lead of the dealer has: KindConflict with crm.CodeDuplicate.
	GetByExternalID(ctx context.Context, externalID string) (Lead, error)
	// List returns one page of leads matching q, newest first (created_at, then ID, descending), and the cursor
	// of the next page; KindInvalid (field "cursor") for a cursor it did not make.
	List(ctx context.Context, q LeadQuery) (LeadPage, error)
	// ListOverdueResponse returns one page (q.Limit) of the open leads (new, in work, qualified) without a first
	// contact whose response was due before q.Now, by due time then ID (the longest overdue first), and the cursor
	// of the next page; with q.Unnotified, only those whose breach nobody was told of. KindInvalid (field
	// "cursor") for a cursor it did not make.
	ListOverdueResponse(ctx context.Context, q OverdueQuery) (LeadPage, error)
}

// OverdueQuery asks for a page of the leads breaching their response target (LeadStore.ListOverdueResponse).
type OverdueQuery struct {
	Now        time.Time // overdue at this instant
	Unnotified bool      // only the leads whose breach nobody was told of yet
	Cursor     string    // the NextCursor of the previous page (OverdueList); "" for the first
	Limit      int       // the page size, already bounded (crm.PageLimit)
}

// LeadQuery filters and pages a lead list. Zero fields do not filter.
type LeadQuery struct {
	Stage      string // a stage code
	Source     Source
	NeedType   string // a need-type code
	OwnerID    crm.ID
	CustomerID crm.ID
	Phone      string // digits a phone of the lead ends with (PhoneSearchDigits: 7 or more, trunk prefix dropped)
	Text       string // case-insensitive substring of Lead.SearchText
	Limit      int    // page size; 0 means 50, at most 500
	Cursor     string // from the previous page's NextCursor
}

// LeadPage is one page of a lead list.
type LeadPage struct {
	Items      []Lead `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"` // "" on the last page
}

// TestDriveStore keeps the test drives of the context's dealer.
type TestDriveStore interface {
	// Get returns the test drive; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (TestDrive, error)
	// Create saves a new test drive (Version becomes 1). The PostgreSQL adapter also refuses a booked drive
	// overlapping another booked drive of the vehicle: KindConflict wrapping ErrTestDriveOverlap.
	Create(ctx context.Context, d *TestDrive) error
	// Update saves d if d.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's, KindConflict (ErrTestDriveOverlap) as for Create.
	Update(ctx context.Context, d *TestDrive) error
	// ListByVehicle returns the vehicle's booked drives ordered by start (then ID): its test-drive calendar.
	ListByVehicle(ctx context.Context, vehicleID crm.ID) ([]TestDrive, error)
	// ListByLead returns every drive booked from the lead, of any status, ordered by start (then ID).
	ListByLead(ctx context.Context, leadID crm.ID) ([]TestDrive, error)
	// ListByCustomer returns every drive of the customer, of any status, ordered by start (then ID).
	ListByCustomer(ctx context.Context, customerID crm.ID) ([]TestDrive, error)
	// ListBetween returns the dealer's drives of any status and any vehicle that overlap [from, to), ordered by
	// start (then ID): the dealer's test-drive calendar, drives of any length. A store reads only those starting
	// in [from − L, to), L the longest of the dealer's drives and at least MaxDriveLength, which it keeps as it
	// writes (a booked drive lasts at most MaxDriveLength; a recorded one may last longer).
	ListBetween(ctx context.Context, from, to time.Time) ([]TestDrive, error)
	// PageBetween returns the page pr asks for (crm.PageRequest) of the drives f picks (TestDriveFilter.Matches),
	// by start, then ID: keyset pages read from an ordered index (starts in [f.From − L, f.To), L as for
	// ListBetween), so a page costs about its own size whatever the dealer's history (and the drives starting
	// within L before the period). KindInvalid naming cursor for a cursor that is not one.
	PageBetween(ctx context.Context, f TestDriveFilter, pr crm.PageRequest) (crm.Page[TestDrive], error)
}

// NeedTypeStore keeps the need-type directory of the context's dealer.
type NeedTypeStore interface {
	// List returns the dealer's need types ordered by Order, then code; empty before the directory is seeded.
	List(ctx context.Context) ([]NeedType, error)
	// GetByCode returns the need type with that code; KindNotFound if there is none.
	GetByCode(ctx context.Context, code string) (NeedType, error)
	// Create saves a new need type (Version becomes 1); KindConflict if the dealer already has the code (the
	// transaction stays usable, so seeding can treat it as "already there").
	Create(ctx context.Context, n *NeedType) error
	// Update saves n if n.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing. The code never changes.
	Update(ctx context.Context, n *NeedType) error
}

// ImportStore keeps the keys of imported prospects, so that importing one twice creates one lead.
type ImportStore interface {
	// Create claims k.Key for the context's dealer. KindConflict if the key is already claimed (the transaction
	// stays usable: the caller then reads the claim with Get). In PostgreSQL a unique constraint holds it, so two
	// concurrent imports of one prospect never both succeed.
	Create(ctx context.Context, k *ImportKey) error
	// Get returns the claim of key; KindNotFound if there is none.
	Get(ctx context.Context, key string) (ImportKey, error)
}

// Stores is what leads services read and write inside one unit of work.
type Stores interface {
	Leads() LeadStore
	NeedTypes() NeedTypeStore
	LeadStages() LeadStageStore
	TestDrives() TestDriveStore
	Schedules() ScheduleStore
	LeadImports() ImportStore
	Vehicles() catalog.VehicleStore
	Customers() crm.CustomerStore
	Users() crm.UserStore
	Dealers() crm.DealerStore
	Outbox() crm.OutboxStore
	Playbook() crm.Playbook // the stage playbooks: steps created, checked and completed in the same unit of work
	ResponsePolicies() ResponsePolicyStore
}
