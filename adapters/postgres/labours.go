package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

type labourStore struct{ t *Tx }

// Labours returns the store of labour operations of this unit of work (rows of the services table).
func (t *Tx) Labours() catalog.LabourStore { return labourStore{t} }

const labourCols = `id, dealer_id, version, created_at, updated_at, code, name, labour_hours, currency, price`

func scanLabour(row interface{ Scan(...any) error }) (catalog.Labour, error) {
	var (
		s     catalog.Labour
		cur   string
		price decimal.Decimal
	)
	err := row.Scan(&s.ID, &s.DealerID, &s.Version, &s.CreatedAt, &s.UpdatedAt, &s.Code, &s.Name, &s.LabourHours,
		&cur, &price)
	s.Price = crm.NewMoney(price, crm.Currency(cur))
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, err
}

// Get implements catalog.LabourStore.Get (see there for the error kinds).
func (s labourStore) Get(ctx context.Context, id crm.ID) (catalog.Labour, error) {
	d, err := dealer(ctx)
	if err != nil {
		return catalog.Labour{}, err
	}
	item, err := scanLabour(s.t.tx.QueryRowContext(ctx, `SELECT `+labourCols+` FROM services WHERE id = $1 AND dealer_id = $2`+s.t.lock(), id, d))
	if isNoRows(err) {
		return catalog.Labour{}, crm.NotFound("postgres.Labours.Get", "labour operation %s not found", id)
	}
	return item, mapErr("postgres.Labours.Get", err)
}

// Create implements catalog.LabourStore.Create (see there for the error kinds).
func (s labourStore) Create(ctx context.Context, item *catalog.Labour) error {
	const op = "postgres.Labours.Create"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&item.Meta, d, op); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO services (`+labourCols+`) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9)`,
		item.ID, item.DealerID, item.CreatedAt, item.UpdatedAt, item.Code, item.Name, item.LabourHours,
		string(item.Price.Currency), item.Price.Amount)
	return created(&item.Meta, mapErr(op, err))
}

// Update implements catalog.LabourStore.Update (see there for the error kinds).
func (s labourStore) Update(ctx context.Context, item *catalog.Labour) error {
	item.UpdatedAt = s.t.now
	const op = "postgres.Labours.Update"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE services SET version = version + 1, updated_at = $4, code = $5, name = $6,
		labour_hours = $7, currency = $8, price = $9 WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		item.ID, d, item.Version, item.UpdatedAt, item.Code, item.Name, item.LabourHours, string(item.Price.Currency),
		item.Price.Amount)
	if err := s.t.updated(ctx, op, "services", item.ID, d, res, err); err != nil {
		return err
	}
	item.Version++
	return nil
}

// List implements catalog.LabourStore.List (see there for the error kinds).
func (s labourStore) List(ctx context.Context) ([]catalog.Labour, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryContext(ctx, `SELECT `+labourCols+` FROM services WHERE dealer_id = $1 ORDER BY code, id`, d)
	return collectRows(rows, err, "postgres.Labours.List", scanLabour)
}
