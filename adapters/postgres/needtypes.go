package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

type needTypeStore struct{ t *Tx }

// NeedTypes returns the need-type directory of this unit of work.
func (t *Tx) NeedTypes() leads.NeedTypeStore { return needTypeStore{t} }

const needTypeCols = `id, dealer_id, version, created_at, updated_at, code, name, sort_order, active, name_en`

func scanNeedType(row interface{ Scan(...any) error }) (leads.NeedType, error) {
	var n leads.NeedType
	err := row.Scan(&n.ID, &n.DealerID, &n.Version, &n.CreatedAt, &n.UpdatedAt, &n.Code, &n.Name, &n.Order, &n.Active, &n.NameEn)
	n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
	return n, err
}

func (s needTypeStore) List(ctx context.Context) ([]leads.NeedType, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+needTypeCols+` FROM need_types WHERE dealer_id = $1
		ORDER BY sort_order, code`, d)
	return collect(rows, err, "postgres.NeedTypes.List", scanNeedType)
}

// GetByCode reads without locking: directory rows are read by every lead write, and their updates are guarded by
// the version check instead.
func (s needTypeStore) GetByCode(ctx context.Context, code string) (leads.NeedType, error) {
	d, err := dealer(ctx)
	if err != nil {
		return leads.NeedType{}, err
	}
	// The directory version comes along (dircache.go): creating a lead reads its lead stage next.
	n, err := scanNeedType(withVersion{s.t.tx.QueryRowxContext(ctx, `SELECT `+needTypeCols+dirVersionCol("$1")+
		` FROM need_types WHERE dealer_id = $1 AND code = $2`, d, code), s.t, d})
	if isNoRows(err) {
		return leads.NeedType{}, crm.NotFound("postgres.NeedTypes.GetByCode", "need type %q not found", code)
	}
	return n, mapErr("postgres.NeedTypes.GetByCode", err)
}

func (s needTypeStore) Create(ctx context.Context, n *leads.NeedType) error {
	s.t.dirChanged()
	const op = "postgres.NeedTypes.Create"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&n.Meta, d, op); err != nil {
		return err
	}
	// ON CONFLICT keeps the transaction usable when the code exists (seeding relies on it).
	res, err := s.t.tx.ExecContext(ctx, `INSERT INTO need_types (`+needTypeCols+`)
		VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dealer_id, code) DO NOTHING`,
		n.ID, n.DealerID, n.CreatedAt.UTC(), n.UpdatedAt.UTC(), n.Code, n.Name, n.Order, n.Active, n.NameEn)
	if err != nil {
		return mapErr(op, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return crm.Duplicate(op, "need type %q already exists", n.Code)
	}
	n.Version = 1
	return nil
}

func (s needTypeStore) Update(ctx context.Context, n *leads.NeedType) error {
	s.t.dirChanged()
	n.UpdatedAt = s.t.now
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE need_types SET version = version + 1, updated_at = $4, name = $5,
		sort_order = $6, active = $7, name_en = $8 WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		n.ID, d, n.Version, n.UpdatedAt.UTC(), n.Name, n.Order, n.Active, n.NameEn)
	if err := s.t.updated(ctx, "postgres.NeedTypes.Update", "need_types", n.ID, d, res, err); err != nil {
		return err
	}
	n.Version++
	return nil
}
