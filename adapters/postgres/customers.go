package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/lib/pq"
)

type customerStore struct{ t *Tx }

// Customers returns the customer store of this unit of work.
func (t *Tx) Customers() crm.CustomerStore { return customerStore{t} }

const customerCols = `id, dealer_id, version, created_at, updated_at, kind, first_name, middle_name, last_name,
	company_name, phones, emails, tax_id, birth_date, document, address`

func scanCustomer(row interface{ Scan(...any) error }) (crm.Customer, error) {
	var c crm.Customer
	var kind string
	err := row.Scan(&c.ID, &c.DealerID, &c.Version, &c.CreatedAt, &c.UpdatedAt, &kind, &c.FirstName, &c.MiddleName,
		&c.LastName, &c.CompanyName, (*pq.StringArray)(&c.Phones), (*pq.StringArray)(&c.Emails), &c.TaxID, &c.BirthDate,
		jsonb{&c.Document}, jsonb{&c.Address})
	c.Kind = crm.PartyKind(kind)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if len(c.Phones) == 0 {
		c.Phones = nil
	}
	if len(c.Emails) == 0 {
		c.Emails = nil
	}
	return c, err
}

func (s customerStore) Get(ctx context.Context, id crm.ID) (crm.Customer, error) {
	d, err := dealer(ctx)
	if err != nil {
		return crm.Customer{}, err
	}
	c, err := scanCustomer(s.t.tx.QueryRowxContext(ctx, `SELECT `+customerCols+` FROM customers WHERE id = $1 AND dealer_id = $2`+s.t.lock(), id, d))
	if isNoRows(err) {
		return crm.Customer{}, crm.NotFound("postgres.Customers.Get", "customer %s not found", id)
	}
	return c, mapErr("postgres.Customers.Get", err)
}

func (s customerStore) Create(ctx context.Context, c *crm.Customer) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&c.Meta, d, "postgres.Customers.Create"); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO customers (`+customerCols+`)
		VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		c.ID, c.DealerID, c.CreatedAt, c.UpdatedAt, string(c.Kind), c.FirstName, c.MiddleName, c.LastName, c.CompanyName,
		pq.StringArray(nonNil(c.Phones)), pq.StringArray(nonNil(c.Emails)), c.TaxID, c.BirthDate, jsonb{c.Document}, jsonb{c.Address})
	return created(&c.Meta, mapErr("postgres.Customers.Create", err))
}

func (s customerStore) Update(ctx context.Context, c *crm.Customer) error {
	c.UpdatedAt = s.t.now
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE customers SET version = version + 1, updated_at = $4, kind = $5,
		first_name = $6, middle_name = $7, last_name = $8, company_name = $9, phones = $10, emails = $11, tax_id = $12,
		birth_date = $13, document = $14, address = $15
		WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		c.ID, d, c.Version, c.UpdatedAt, string(c.Kind), c.FirstName, c.MiddleName, c.LastName, c.CompanyName,
		pq.StringArray(nonNil(c.Phones)), pq.StringArray(nonNil(c.Emails)), c.TaxID, c.BirthDate, jsonb{c.Document}, jsonb{c.Address})
	if err := s.t.updated(ctx, "postgres.Customers.Update", "customers", c.ID, d, res, err); err != nil {
		return err
	}
	c.Version++
	return nil
}

func (s customerStore) Delete(ctx context.Context, id crm.ID, version int64) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `DELETE FROM customers WHERE id = $1 AND dealer_id = $2 AND version = $3`, id, d, version)
	return s.t.updated(ctx, "postgres.Customers.Delete", "customers", id, d, res, err)
}

func (s customerStore) FindByContact(ctx context.Context, phone, email string) ([]crm.Customer, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	if phone == "" && email == "" {
		return nil, nil
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+customerCols+` FROM customers WHERE dealer_id = $1
		AND (($2 <> '' AND phones @> ARRAY[$2]) OR ($3 <> '' AND emails @> ARRAY[$3])) ORDER BY created_at, id`, d, phone, email)
	return collect(rows, err, "postgres.Customers.FindByContact", scanCustomer)
}

func (s customerStore) List(ctx context.Context, after crm.ID, limit int) ([]crm.Customer, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+customerCols+` FROM customers WHERE dealer_id = $1 AND id > $2
		ORDER BY id LIMIT $3`, d, after, limit)
	return collect(rows, err, "postgres.Customers.List", scanCustomer)
}
