package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

var salesStageRecords = records[sales.Stage]{name: "sales_stages", meta: func(s *sales.Stage) *crm.Meta { return &s.Meta }}

type salesStageStore struct{ tx *Tx }

// SalesStages returns the sales-stage store of this unit of work.
func (tx *Tx) SalesStages() sales.StageStore { return salesStageStore{tx} }

func (s salesStageStore) Get(ctx context.Context, id crm.ID) (sales.Stage, error) {
	return salesStageRecords.get(ctx, s.tx, id)
}

// unique holds what the PostgreSQL unique indexes hold: code and order number unique per dealer, at most one won
// and one lost stage.
func (s salesStageStore) unique(ctx context.Context, op string, st *sales.Stage) error {
	all, err := salesStageRecords.all(ctx, s.tx, func(o *sales.Stage) bool { return o.ID != st.ID })
	if err != nil {
		return err
	}
	for _, o := range all {
		switch {
		case o.Code == st.Code:
			return crm.Duplicate(op, "stage code %q is taken", st.Code)
		case o.Order == st.Order:
			return crm.Duplicate(op, "order number %d is taken by stage %q", st.Order, o.Code)
		case st.Kind != sales.StageOpen && o.Kind == st.Kind:
			return crm.Duplicate(op, "stage %q is already the %s stage", o.Code, o.Kind)
		}
	}
	return nil
}

func (s salesStageStore) Create(ctx context.Context, st *sales.Stage) error {
	if err := s.unique(ctx, "memory.SalesStages.Create", st); err != nil {
		return err
	}
	return salesStageRecords.create(ctx, s.tx, st)
}

func (s salesStageStore) Update(ctx context.Context, st *sales.Stage) error {
	if err := s.unique(ctx, "memory.SalesStages.Update", st); err != nil {
		return err
	}
	return salesStageRecords.update(ctx, s.tx, st)
}

func (s salesStageStore) List(ctx context.Context) ([]sales.Stage, error) {
	out, err := salesStageRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out, err
}
