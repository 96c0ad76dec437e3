package sales

import (
	"context"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// StageStore keeps the sales-stage directory of the context's dealer. Every method returns a crm.KindForbidden
// error when the context carries no dealer.
type StageStore interface {
	// Get returns the stage; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (Stage, error)
	// Create saves a new stage (Version becomes 1); KindConflict if the dealer already has its code or its order
	// number, or already has a stage of its kind when that kind is won or lost.
	Create(ctx context.Context, st *Stage) error
	// Update saves st if st.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's, KindConflict as for Create.
	Update(ctx context.Context, st *Stage) error
	// List returns the dealer's stages ordered by order number; empty before the directory is seeded.
	List(ctx context.Context) ([]Stage, error)
}

// SaleStore keeps the sales of the context's dealer. Every method returns a crm.KindForbidden error when the
// context carries no dealer.
type SaleStore interface {
	// Get returns the sale; KindNotFound if missing or another dealer's. Inside a read-write unit of work the
	// PostgreSQL adapter locks the row until the transaction ends.
	Get(ctx context.Context, id crm.ID) (Sale, error)
	// Create saves a new sale (Version becomes 1); KindConflict if the ID exists, or if the sale is won and the
	// dealer already has a won sale of its vehicle.
	Create(ctx context.Context, s *Sale) error
	// Update saves s if s.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's, KindConflict if s is won and another won sale of its vehicle exists (one won
	// sale per vehicle; in PostgreSQL a partial unique index holds it).
	Update(ctx context.Context, s *Sale) error
	// GetByExternalID returns the sale with the external ID; KindNotFound if there is none. Create and Update refuse
	// an external ID another sale of the dealer has: KindConflict with crm.CodeDuplicate.
	GetByExternalID(ctx context.Context, externalID string) (Sale, error)
	// List returns one page of sales matching q, newest first (created_at, then ID, descending), and the cursor
	// of the next page; KindInvalid (field "cursor") for a cursor it did not make.
	List(ctx context.Context, q SaleQuery) (SalePage, error)
}

// OrderStore keeps the orders of the context's dealer. Every method returns a crm.KindForbidden error when the
// context carries no dealer.
type OrderStore interface {
	// Get returns the order with its lines; KindNotFound if missing or another dealer's. Inside a read-write unit
	// of work the PostgreSQL adapter locks the order until the transaction ends.
	Get(ctx context.Context, id crm.ID) (Order, error)
	// FindBySale returns the order of a sale; KindNotFound if the sale has none.
	FindBySale(ctx context.Context, saleID crm.ID) (Order, error)
	// Create saves a new order and its lines (Version becomes 1); KindConflict if the ID exists or the sale
	// already has an order.
	Create(ctx context.Context, o *Order) error
	// Update saves o and replaces its lines if o.Version is the stored one, and bumps it; KindStaleVersion
	// otherwise, KindNotFound if missing or another dealer's. The number never changes.
	Update(ctx context.Context, o *Order) error
	// NextNumber takes the next number of the dealer's order sequence of year in this unit of work: 1, 2, 3, …
	// without gaps (a unit of work that rolls back gives its number back) and never twice, however many units
	// take numbers at once (in PostgreSQL a counter row locked until commit, and a unique number per dealer).
	NextNumber(ctx context.Context, year int) (int64, error)
	// List returns one page of orders matching q (OrderQuery.Match), newest first (created_at, then ID,
	// descending), and the cursor of the next page.
	List(ctx context.Context, q OrderQuery) (OrderPage, error)
}

// Stores is what sales services read and write inside one unit of work: everything converting a lead and
// winning a sale touch, so that each is atomic, and the records a sale or an order line may name (users as
// owners, parts and labour operations as catalog references), which must be the dealer's own.
type Stores interface {
	Sales() SaleStore
	SalesStages() StageStore
	Orders() OrderStore
	Vehicles() catalog.VehicleStore
	Parts() catalog.PartStore
	Labours() catalog.LabourStore
	Users() crm.UserStore
	Leads() leads.LeadStore
	TestDrives() leads.TestDriveStore
	Customers() crm.CustomerStore
	CustomerVehicles() aftersales.CustomerVehicleStore
	Warranties() aftersales.WarrantyStore
	catalog.PerModelStores
	Dealers() crm.DealerStore
	Documents() crm.DocumentStore
	Outbox() crm.OutboxStore
	CreditLinks() CreditLinkStore // the credit a sale links and its contract states
	Appraisals() appraisal.Store  // the trade-in a sale links (payment_tradein.go)
	LeadStages() leads.LeadStageStore
	Playbook() crm.Playbook // the stage playbooks (playbook.go)
}
