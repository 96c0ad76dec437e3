package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

type salesStageStore struct{ t *Tx }

// SalesStages returns the sales-stage store of this unit of work.
func (t *Tx) SalesStages() sales.StageStore { return salesStageStore{t} }

const salesStageCols = `id, dealer_id, version, created_at, updated_at, code, name, sort_order, max_probability, kind`

func scanSalesStage(row interface{ Scan(...any) error }) (sales.Stage, error) {
	var st sales.Stage
	var kind string
	err := row.Scan(&st.ID, &st.DealerID, &st.Version, &st.CreatedAt, &st.UpdatedAt, &st.Code, &st.Name, &st.Order,
		&st.MaxProbability, &kind)
	st.Kind = sales.StageKind(kind)
	st.CreatedAt, st.UpdatedAt = st.CreatedAt.UTC(), st.UpdatedAt.UTC()
	return st, err
}

func (s salesStageStore) Get(ctx context.Context, id crm.ID) (sales.Stage, error) {
	d, err := dealer(ctx)
	if err != nil {
		return sales.Stage{}, err
	}
	st, err := scanSalesStage(s.t.tx.QueryRowxContext(ctx, `SELECT `+salesStageCols+` FROM sales_stages
		WHERE id = $1 AND dealer_id = $2`+s.t.lock(), id, d))
	if isNoRows(err) {
		return sales.Stage{}, crm.NotFound("postgres.SalesStages.Get", "stage %s not found", id)
	}
	return st, mapErr("postgres.SalesStages.Get", err)
}

func (s salesStageStore) Create(ctx context.Context, st *sales.Stage) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&st.Meta, d, "postgres.SalesStages.Create"); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO sales_stages (`+salesStageCols+`) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9)`,
		st.ID, st.DealerID, st.CreatedAt, st.UpdatedAt, st.Code, st.Name, st.Order, st.MaxProbability, string(st.Kind))
	return created(&st.Meta, mapErr("postgres.SalesStages.Create", err))
}

func (s salesStageStore) Update(ctx context.Context, st *sales.Stage) error {
	st.UpdatedAt = s.t.now
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE sales_stages SET version = version + 1, updated_at = $4, code = $5,
		name = $6, sort_order = $7, max_probability = $8, kind = $9
		WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		st.ID, d, st.Version, st.UpdatedAt, st.Code, st.Name, st.Order, st.MaxProbability, string(st.Kind))
	if err := s.t.updated(ctx, "postgres.SalesStages.Update", "sales_stages", st.ID, d, res, err); err != nil {
		return err
	}
	st.Version++
	return nil
}

func (s salesStageStore) List(ctx context.Context) ([]sales.Stage, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+salesStageCols+` FROM sales_stages WHERE dealer_id = $1
		ORDER BY sort_order, id`, d)
	return collect(rows, err, "postgres.SalesStages.List", scanSalesStage)
}
