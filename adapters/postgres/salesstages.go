package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// salesStageTable is the row of a sales stage.
var salesStageTable = table[sales.Stage]{
	name: "sales_stages",
	cols: []string{"code", "name", "sort_order", "max_probability", "kind", "name_en"},
	meta: func(st *sales.Stage) *crm.Meta { return &st.Meta },
	args: func(st *sales.Stage) []any {
		return []any{st.Code, st.Name, st.Order, st.MaxProbability, string(st.Kind), st.NameEn}
	},
	scan: func(st *sales.Stage) ([]any, func()) {
		var kind string
		return []any{&st.Code, &st.Name, &st.Order, &st.MaxProbability, &kind, &st.NameEn},
			func() { st.Kind = sales.StageKind(kind) }
	},
}

type salesStageStore struct{ t *Tx }

// SalesStages returns the sales-stage store of this unit of work.
func (t *Tx) SalesStages() sales.StageStore { return salesStageStore{t} }

func (s salesStageStore) Get(ctx context.Context, id crm.ID) (sales.Stage, error) {
	return salesStageTable.get(ctx, s.t, id)
}

func (s salesStageStore) Create(ctx context.Context, st *sales.Stage) error {
	return salesStageTable.create(ctx, s.t, st)
}

func (s salesStageStore) Update(ctx context.Context, st *sales.Stage) error {
	return salesStageTable.update(ctx, s.t, st)
}

func (s salesStageStore) List(ctx context.Context) ([]sales.Stage, error) {
	return salesStageTable.list(ctx, s.t, "", "sort_order, id")
}
