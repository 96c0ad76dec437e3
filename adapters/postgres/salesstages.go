package postgres

import (
	"context"
	"database/sql"

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
	s.t.dirChanged()
	return salesStageTable.create(ctx, s.t, st)
}

func (s salesStageStore) Update(ctx context.Context, st *sales.Stage) error {
	s.t.dirChanged()
	return salesStageTable.update(ctx, s.t, st)
}

// List returns the stages from the DB's directory cache when the unit of work has already seen the version they
// were cached at (dircache.go); otherwise it reads them with the version and caches them.
func (s salesStageStore) List(ctx context.Context) ([]sales.Stage, error) {
	const op = "postgres.sales_stages.List"
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	if st, ok := cachedDir[sales.Stage](s.t, s.t.dirsStages(), d); ok {
		return st, nil
	}
	rows, err := s.t.tx.QueryContext(ctx, `SELECT `+salesStageTable.columns()+dirVersionCol("$1")+
		` FROM sales_stages WHERE dealer_id = $1 ORDER BY sort_order, id`, d)
	var v sql.NullInt64
	out, err := collectRows(rows, err, op, func(row interface{ Scan(...any) error }) (sales.Stage, error) {
		return salesStageTable.scanRow(scanInto{row, &v})
	})
	if err != nil {
		return nil, err
	}
	if len(out) > 0 {
		keepDir(s.t, s.t.dirsStages(), d, v, out)
	}
	return out, nil
}
