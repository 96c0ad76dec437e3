package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

type leadImportStore struct{ t *Tx }

// LeadImports returns the import-key store of this unit of work.
func (t *Tx) LeadImports() leads.ImportStore { return leadImportStore{t} }

func (s leadImportStore) Create(ctx context.Context, k *leads.ImportKey) error {
	const op = "postgres.LeadImports.Create"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if k.DealerID == (crm.ID{}) {
		k.DealerID = d
	}
	if k.DealerID != d {
		return crm.Forbidden(op, "key belongs to another dealer")
	}
	if k.Key == "" {
		return crm.Invalid(op, crm.FieldError{Field: "key", Message: "is required"})
	}
	k.CreatedAt = s.t.now
	// ON CONFLICT keeps the transaction usable; a concurrent import of the same key waits here for the other
	// transaction and then finds the key taken.
	res, err := s.t.tx.ExecContext(ctx, `INSERT INTO lead_import_keys (dealer_id, key, lead_id, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (dealer_id, key) DO NOTHING`, d, k.Key, k.LeadID, k.CreatedAt.UTC())
	if err != nil {
		return mapErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.Duplicate(op, "prospect %s already imported", k.Key)
	}
	return nil
}

func (s leadImportStore) Get(ctx context.Context, key string) (leads.ImportKey, error) {
	const op = "postgres.LeadImports.Get"
	d, err := dealer(ctx)
	if err != nil {
		return leads.ImportKey{}, err
	}
	var k leads.ImportKey
	err = s.t.tx.QueryRowxContext(ctx, `SELECT dealer_id, key, lead_id, created_at FROM lead_import_keys
		WHERE dealer_id = $1 AND key = $2`, d, key).Scan(&k.DealerID, &k.Key, &k.LeadID, &k.CreatedAt)
	if isNoRows(err) {
		return leads.ImportKey{}, crm.NotFound(op, "prospect %s not imported", key)
	}
	k.CreatedAt = k.CreatedAt.UTC()
	return k, mapErr(op, err)
}
