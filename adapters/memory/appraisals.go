package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/crm"
)

var (
	appraisalRecords = records[appraisal.Appraisal]{name: "appraisals",
		meta: func(a *appraisal.Appraisal) *crm.Meta { return &a.Meta }, clone: appraisal.Appraisal.Clone,
		orders: []order[appraisal.Appraisal]{createdOrder(func(a *appraisal.Appraisal) *crm.Meta { return &a.Meta })}}
	appraisalTemplateRecords = records[appraisal.Template]{name: "appraisal_templates",
		meta: func(t *appraisal.Template) *crm.Meta { return &t.Meta }, clone: appraisal.Template.Clone}
)

var _ appraisal.Stores = (*Tx)(nil)

type appraisalStore struct{ tx *Tx }

// Appraisals returns the appraisal-sheet store of this unit of work.
func (tx *Tx) Appraisals() appraisal.Store { return appraisalStore{tx} }

func (s appraisalStore) Get(ctx context.Context, id crm.ID) (appraisal.Appraisal, error) {
	return appraisalRecords.get(ctx, s.tx, id)
}

func (s appraisalStore) Create(ctx context.Context, a *appraisal.Appraisal) error {
	if err := s.oneTradeIn(ctx, "memory.Appraisals.Create", a); err != nil {
		return err
	}
	return appraisalRecords.create(ctx, s.tx, a)
}

func (s appraisalStore) Update(ctx context.Context, a *appraisal.Appraisal) error {
	if err := s.oneTradeIn(ctx, "memory.Appraisals.Update", a); err != nil {
		return err
	}
	return appraisalRecords.update(ctx, s.tx, a)
}

// oneTradeIn holds what the PostgreSQL partial unique index holds: a sale takes at most one sheet as its trade-in.
func (s appraisalStore) oneTradeIn(ctx context.Context, op string, a *appraisal.Appraisal) error {
	if a.TradeInSaleID == (crm.ID{}) {
		return nil
	}
	others, err := appraisalRecords.all(ctx, s.tx, func(o *appraisal.Appraisal) bool {
		return o.ID != a.ID && o.TradeInSaleID == a.TradeInSaleID
	})
	if err != nil {
		return err
	}
	if len(others) > 0 {
		return crm.Duplicate(op, "sale %s already has appraisal %s as its trade-in", a.TradeInSaleID, others[0].ID)
	}
	return nil
}

func (s appraisalStore) Page(ctx context.Context, q appraisal.Query, pr crm.PageRequest) (crm.Page[appraisal.Appraisal], error) {
	return appraisalRecords.newestPage(ctx, s.tx, "memory.Appraisals.Page", appraisal.List, pr, func(a *appraisal.Appraisal) bool { return q.Match(*a) })
}

func (s appraisalStore) List(ctx context.Context, q appraisal.Query) ([]appraisal.Appraisal, error) {
	out, err := appraisalRecords.all(ctx, s.tx, func(a *appraisal.Appraisal) bool { return q.Match(*a) })
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID.String() > out[j].ID.String()
	})
	return out, err
}

type appraisalTemplateStore struct{ tx *Tx }

// AppraisalTemplates returns the checklist-template store of this unit of work.
func (tx *Tx) AppraisalTemplates() appraisal.TemplateStore { return appraisalTemplateStore{tx} }

func (s appraisalTemplateStore) Get(ctx context.Context) (appraisal.Template, error) {
	all, err := appraisalTemplateRecords.all(ctx, s.tx, nil)
	if err != nil {
		return appraisal.Template{}, err
	}
	if len(all) == 0 {
		return appraisal.Template{}, crm.NotFound("memory.AppraisalTemplates.Get", "the dealer has no appraisal template")
	}
	return all[0], nil
}

func (s appraisalTemplateStore) Create(ctx context.Context, t *appraisal.Template) error {
	all, err := appraisalTemplateRecords.all(ctx, s.tx, nil)
	if err != nil {
		return err
	}
	if len(all) > 0 {
		return crm.Duplicate("memory.AppraisalTemplates.Create", "the dealer already has an appraisal template")
	}
	return appraisalTemplateRecords.create(ctx, s.tx, t)
}

func (s appraisalTemplateStore) Update(ctx context.Context, t *appraisal.Template) error {
	return appraisalTemplateRecords.update(ctx, s.tx, t)
}

type appraisalOriginStore struct{ tx *Tx }

// AppraisalOrigins answers whether the lead or sale an appraisal names is the dealer's.
func (tx *Tx) AppraisalOrigins() appraisal.OriginStore { return appraisalOriginStore{tx} }

func (s appraisalOriginStore) LeadExists(ctx context.Context, id crm.ID) (bool, error) {
	return exists(leadRecords.get(ctx, s.tx, id))
}

func (s appraisalOriginStore) SaleExists(ctx context.Context, id crm.ID) (bool, error) {
	return exists(saleRecords.get(ctx, s.tx, id))
}

func exists[V any](_ V, err error) (bool, error) {
	switch {
	case err == nil:
		return true, nil
	case crm.KindOf(err) == crm.KindNotFound:
		return false, nil
	}
	return false, err
}
