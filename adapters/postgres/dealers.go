package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

type dealerStore struct{ t *Tx }

// Dealers returns the dealer store of this unit of work.
func (t *Tx) Dealers() crm.DealerStore { return dealerStore{t} }

const dealerCols = `id, version, created_at, updated_at, doc`

func (s dealerStore) scan(row interface{ Scan(...any) error }) (crm.Dealer, error) {
	var doc dealerDoc
	var m crm.Meta
	if err := row.Scan(&m.ID, &m.Version, &m.CreatedAt, &m.UpdatedAt, jsonb{&doc}); err != nil {
		return crm.Dealer{}, err
	}
	d := doc.value()
	d.Meta = m
	d.DealerID = m.ID
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, nil
}

func (s dealerStore) Get(ctx context.Context, id crm.ID) (crm.Dealer, error) {
	d, err := s.scan(s.t.tx.QueryRowxContext(ctx, `SELECT `+dealerCols+` FROM dealers WHERE id = $1`+s.t.lock(), id))
	if isNoRows(err) {
		return crm.Dealer{}, crm.NotFound("postgres.Dealers.Get", "dealer %s not found", id)
	}
	return d, mapErr("postgres.Dealers.Get", err)
}

func (s dealerStore) Create(ctx context.Context, d *crm.Dealer) error {
	if d.ID == (crm.ID{}) {
		d.ID = crm.NewID()
	}
	d.DealerID = d.ID
	d.Version = 1
	d.CreatedAt, d.UpdatedAt = s.t.now, s.t.now
	_, err := s.t.tx.ExecContext(ctx, `INSERT INTO dealers (id, dealer_id, version, created_at, updated_at, name, legal_name, currency, strict_vin, doc)
		VALUES ($1, $1, 1, $2, $3, $4, $5, $6, $7, $8)`,
		d.ID, d.CreatedAt, d.UpdatedAt, d.Name, d.LegalName, string(d.Currency), d.StrictVIN, jsonb{dealerDocOf(*d)})
	if err != nil {
		d.Version = 0
	}
	return mapErr("postgres.Dealers.Create", err)
}

func (s dealerStore) Update(ctx context.Context, d *crm.Dealer) error {
	d.UpdatedAt = s.t.now
	next := *d
	next.Version++
	res, err := s.t.tx.ExecContext(ctx, `UPDATE dealers SET version = $3, updated_at = $4, name = $5, legal_name = $6,
		currency = $7, strict_vin = $8, doc = $9 WHERE id = $1 AND version = $2`,
		d.ID, d.Version, next.Version, d.UpdatedAt, d.Name, d.LegalName, string(d.Currency), d.StrictVIN, jsonb{dealerDocOf(next)})
	if err := s.t.updated(ctx, "postgres.Dealers.Update", "dealers", d.ID, d.ID, res, err); err != nil {
		return err
	}
	d.Version = next.Version
	return nil
}

func (s dealerStore) List(ctx context.Context) ([]crm.Dealer, error) {
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+dealerCols+` FROM dealers ORDER BY name, id`)
	if err != nil {
		return nil, mapErr("postgres.Dealers.List", err)
	}
	defer rows.Close()
	var out []crm.Dealer
	for rows.Next() {
		d, err := s.scan(rows)
		if err != nil {
			return nil, mapErr("postgres.Dealers.List", err)
		}
		out = append(out, d)
	}
	return out, mapErr("postgres.Dealers.List", rows.Err())
}
