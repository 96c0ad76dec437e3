package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

var creditProgramRecords = records[credit.Program]{name: "credit_programs", meta: func(p *credit.Program) *crm.Meta { return &p.Meta }}

var creditApplicationRecords = records[credit.Application]{name: "credit_applications",
	meta: func(a *credit.Application) *crm.Meta { return &a.Meta }, clone: credit.Application.Clone}

type creditProgramStore struct{ tx *Tx }

// CreditPrograms returns the credit-program store of this unit of work.
func (tx *Tx) CreditPrograms() credit.ProgramStore { return creditProgramStore{tx} }

func (s creditProgramStore) Get(ctx context.Context, id crm.ID) (credit.Program, error) {
	return creditProgramRecords.get(ctx, s.tx, id)
}

func (s creditProgramStore) Create(ctx context.Context, p *credit.Program) error {
	return creditProgramRecords.create(ctx, s.tx, p)
}

func (s creditProgramStore) Update(ctx context.Context, p *credit.Program) error {
	return creditProgramRecords.update(ctx, s.tx, p)
}

func (s creditProgramStore) List(ctx context.Context) ([]credit.Program, error) {
	out, err := creditProgramRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Bank != b.Bank {
			return a.Bank < b.Bank
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID.String() < b.ID.String()
	})
	return out, err
}

// financedKey names the one issued (or closed) application a dealer's sale may have.
type financedKey struct{ dealer, sale crm.ID }

type creditApplicationStore struct{ tx *Tx }

// CreditApplications returns the credit-application store of this unit of work.
func (tx *Tx) CreditApplications() credit.ApplicationStore { return creditApplicationStore{tx} }

func (s creditApplicationStore) financed() *table[financedKey, crm.ID] {
	return tableOf[financedKey, crm.ID](s.tx.db, "credit_applications_financed_by_sale")
}

func (s creditApplicationStore) Get(ctx context.Context, id crm.ID) (credit.Application, error) {
	return creditApplicationRecords.get(ctx, s.tx, id)
}

// oneFinanced holds what the PostgreSQL partial unique index holds: one issued or closed application per sale.
func (s creditApplicationStore) oneFinanced(ctx context.Context, op string, a *credit.Application) error {
	if !a.Financed() {
		return nil
	}
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	if other, ok := s.financed().get(financedKey{dealer, a.SaleID}); ok && other != a.ID {
		return crm.Duplicate(op, "sale %s is already financed by application %s", a.SaleID, other)
	}
	return nil
}

func (s creditApplicationStore) index(a *credit.Application) error {
	if !a.Financed() {
		return nil
	}
	return s.financed().put(s.tx, financedKey{a.DealerID, a.SaleID}, a.ID)
}

func (s creditApplicationStore) Create(ctx context.Context, a *credit.Application) error {
	if err := s.oneFinanced(ctx, "memory.CreditApplications.Create", a); err != nil {
		return err
	}
	if err := creditApplicationRecords.create(ctx, s.tx, a); err != nil {
		return err
	}
	return s.index(a)
}

func (s creditApplicationStore) Update(ctx context.Context, a *credit.Application) error {
	if err := s.oneFinanced(ctx, "memory.CreditApplications.Update", a); err != nil {
		return err
	}
	old, err := creditApplicationRecords.get(ctx, s.tx, a.ID)
	if err != nil {
		return err
	}
	if err := creditApplicationRecords.update(ctx, s.tx, a); err != nil {
		return err
	}
	if old.Financed() && !a.Financed() { // cancelled after issue: the sale may be financed again
		if err := s.financed().delete(s.tx, financedKey{a.DealerID, a.SaleID}); err != nil {
			return err
		}
	}
	return s.index(a)
}

func (s creditApplicationStore) ListBySale(ctx context.Context, saleID crm.ID) ([]credit.Application, error) {
	out, err := creditApplicationRecords.all(ctx, s.tx, func(a *credit.Application) bool { return a.SaleID == saleID })
	sortOldestFirst(out)
	return out, err
}

func (s creditApplicationStore) ListByCustomer(ctx context.Context, customerID crm.ID) ([]credit.Application, error) {
	out, err := creditApplicationRecords.all(ctx, s.tx, func(a *credit.Application) bool { return a.CustomerID == customerID })
	sortOldestFirst(out)
	return out, err
}

func sortOldestFirst(out []credit.Application) {
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
}

func (s creditApplicationStore) List(ctx context.Context, q credit.ApplicationQuery) (credit.ApplicationPage, error) {
	at, after, err := credit.ApplicationList.DecodeTime("memory.CreditApplications.List", q.Cursor)
	if err != nil {
		return credit.ApplicationPage{}, err
	}
	out, err := creditApplicationRecords.all(ctx, s.tx, func(a *credit.Application) bool {
		if !q.Match(*a) {
			return false
		}
		return q.Cursor == "" || a.CreatedAt.Before(at) || (a.CreatedAt.Equal(at) && a.ID.String() < after.String())
	})
	if err != nil {
		return credit.ApplicationPage{}, err
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID.String() > out[j].ID.String()
	})
	limit := crm.PageLimit(q.Limit)
	page := credit.ApplicationPage{Items: out}
	if len(out) > limit {
		last := out[limit-1]
		page.Items, page.NextCursor = out[:limit], credit.ApplicationList.TimeCursor(last.CreatedAt, last.ID)
	}
	if page.Items == nil {
		page.Items = []credit.Application{}
	}
	return page, nil
}

type creditLinkStore struct{ tx *Tx }

// CreditLinks returns the sales' view of credit applications in this unit of work.
func (tx *Tx) CreditLinks() sales.CreditLinkStore { return creditLinkStore{tx} }

func (s creditLinkStore) Get(ctx context.Context, id crm.ID) (sales.CreditLink, error) {
	a, err := creditApplicationRecords.get(ctx, s.tx, id)
	if err != nil {
		return sales.CreditLink{}, err
	}
	return a.SaleLink(), nil
}

var _ credit.Stores = (*Tx)(nil)
