package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

type serviceStore struct{ t *Tx }

// Services returns the store of services (labour operations) of this unit of work.
func (t *Tx) Services() catalog.ServiceStore { return serviceStore{t} }

const serviceCols = `id, dealer_id, version, created_at, updated_at, code, name, labour_hours, currency, price`

func scanService(row interface{ Scan(...any) error }) (catalog.ServiceItem, error) {
	var (
		s     catalog.ServiceItem
		cur   string
		price decimal.Decimal
	)
	err := row.Scan(&s.ID, &s.DealerID, &s.Version, &s.CreatedAt, &s.UpdatedAt, &s.Code, &s.Name, &s.LabourHours,
		&cur, &price)
	s.Price = crm.NewMoney(price, crm.Currency(cur))
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, err
}

// Get implements catalog.ServiceStore.Get (see there for the error kinds).
func (s serviceStore) Get(ctx context.Context, id crm.ID) (catalog.ServiceItem, error) {
	d, err := dealer(ctx)
	if err != nil {
		return catalog.ServiceItem{}, err
	}
	item, err := scanService(s.t.tx.QueryRowContext(ctx, `SELECT `+serviceCols+` FROM services WHERE id = $1 AND dealer_id = $2`+s.t.lock(), id, d))
	if isNoRows(err) {
		return catalog.ServiceItem{}, crm.NotFound("postgres.Services.Get", "service %s not found", id)
	}
	return item, mapErr("postgres.Services.Get", err)
}

// Create implements catalog.ServiceStore.Create (see there for the error kinds).
func (s serviceStore) Create(ctx context.Context, item *catalog.ServiceItem) error {
	const op = "postgres.Services.Create"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := claim(&item.Meta, d, op); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO services (`+serviceCols+`) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9)`,
		item.ID, item.DealerID, item.CreatedAt, item.UpdatedAt, item.Code, item.Name, item.LabourHours,
		string(item.Price.Currency), item.Price.Amount)
	return created(&item.Meta, mapErr(op, err))
}

// Update implements catalog.ServiceStore.Update (see there for the error kinds).
func (s serviceStore) Update(ctx context.Context, item *catalog.ServiceItem) error {
	const op = "postgres.Services.Update"
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

// List implements catalog.ServiceStore.List (see there for the error kinds).
func (s serviceStore) List(ctx context.Context) ([]catalog.ServiceItem, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryContext(ctx, `SELECT `+serviceCols+` FROM services WHERE dealer_id = $1 ORDER BY code, id`, d)
	return collectRows(rows, err, "postgres.Services.List", scanService)
}
