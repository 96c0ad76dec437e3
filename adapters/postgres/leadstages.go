package postgres

import (
	"context"
	"database/sql"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

type leadStageStore struct{ t *Tx }

// LeadStages returns the lead-stage directory of this unit of work.
func (t *Tx) LeadStages() leads.LeadStageStore { return leadStageStore{t} }

const leadStageCols = `id, dealer_id, version, created_at, updated_at, code, name, sort_order, kind, requires_reason, name_en`

func scanLeadStage(row interface{ Scan(...any) error }) (leads.LeadStage, error) {
	var l leads.LeadStage
	var kind string
	err := row.Scan(&l.ID, &l.DealerID, &l.Version, &l.CreatedAt, &l.UpdatedAt, &l.Code, &l.Name, &l.Order, &kind, &l.RequiresReason, &l.NameEn)
	l.Kind = leads.StageKind(kind)
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	return l, err
}

// List returns the lead stages from the DB's directory cache when the unit of work has already seen the version
// they were cached at (dircache.go); otherwise it reads them with the version and caches them.
func (s leadStageStore) List(ctx context.Context) ([]leads.LeadStage, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	if ls, ok := cachedDir[leads.LeadStage](s.t, s.t.dirsLeadStages(), d); ok {
		return ls, nil
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+leadStageCols+dirVersionCol("$1")+` FROM lead_stages
		WHERE dealer_id = $1 ORDER BY sort_order, code`, d)
	var v sql.NullInt64
	out, err := collect(rows, err, "postgres.LeadStages.List", func(row interface{ Scan(...any) error }) (leads.LeadStage, error) {
		return scanLeadStage(scanInto{row, &v})
	})
	if err != nil {
		return nil, err
	}
	if len(out) > 0 {
		keepDir(s.t, s.t.dirsLeadStages(), d, v, out)
	}
	return out, nil
}

// GetByCode reads without locking (see needTypeStore.GetByCode): it finds the stage in List (cached).
func (s leadStageStore) GetByCode(ctx context.Context, code string) (leads.LeadStage, error) {
	all, err := s.List(ctx)
	if err != nil {
		return leads.LeadStage{}, err
	}
	for _, l := range all {
		if l.Code == code {
			return l, nil
		}
	}
	return leads.LeadStage{}, crm.NotFound("postgres.LeadStages.GetByCode", "lead stage %q not found", code)
}

func (s leadStageStore) Create(ctx context.Context, l *leads.LeadStage) error {
	s.t.dirChanged()
	const op = "postgres.LeadStages.Create"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&l.Meta, d, op); err != nil {
		return err
	}
	// ON CONFLICT keeps the transaction usable when the code exists (seeding relies on it).
	res, err := s.t.tx.ExecContext(ctx, `INSERT INTO lead_stages (`+leadStageCols+`)
		VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (dealer_id, code) DO NOTHING`,
		l.ID, l.DealerID, l.CreatedAt.UTC(), l.UpdatedAt.UTC(), l.Code, l.Name, l.Order, string(l.Kind), l.RequiresReason, l.NameEn)
	if err != nil {
		return mapErr(op, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return crm.Duplicate(op, "lead stage %q already exists", l.Code)
	}
	l.Version = 1
	return nil
}

func (s leadStageStore) Update(ctx context.Context, l *leads.LeadStage) error {
	s.t.dirChanged()
	l.UpdatedAt = s.t.now
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE lead_stages SET version = version + 1, updated_at = $4, name = $5,
		sort_order = $6, requires_reason = $7, name_en = $8 WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		l.ID, d, l.Version, l.UpdatedAt.UTC(), l.Name, l.Order, l.RequiresReason, l.NameEn)
	if err := s.t.updated(ctx, "postgres.LeadStages.Update", "lead_stages", l.ID, d, res, err); err != nil {
		return err
	}
	l.Version++
	return nil
}
