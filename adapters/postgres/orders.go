package postgres

import (
	"context"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

type orderStore struct{ t *Tx }

// Orders returns the order store of this unit of work.
func (t *Tx) Orders() sales.OrderStore { return orderStore{t} }

const orderCols = `id, dealer_id, version, created_at, updated_at, sale_id, currency, net, vat, gross, number, status`

const orderLineCols = `order_id, position, id, dealer_id, kind, description, catalog_ref_id, quantity, unit_price,
	discount, vat_rate, net, vat, gross`

func scanOrder(row interface{ Scan(...any) error }) (sales.Order, error) {
	var o sales.Order
	var currency, status string
	err := row.Scan(&o.ID, &o.DealerID, &o.Version, &o.CreatedAt, &o.UpdatedAt, &o.SaleID, &currency, &o.Net.Amount,
		&o.VAT.Amount, &o.Gross.Amount, &o.Number, &status)
	o.Currency, o.Status = crm.Currency(currency), sales.OrderStatus(status)
	o.Net.Currency, o.VAT.Currency, o.Gross.Currency = o.Currency, o.Currency, o.Currency
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

// scanOrderLine reads a row of orderLineCols, a line of an order in currency cur.
func scanOrderLine(row interface{ Scan(...any) error }, cur crm.Currency) (sales.Line, error) {
	var l sales.Line
	var orderID, dealerID crm.ID
	var position int
	var kind string
	err := row.Scan(&orderID, &position, &l.ID, &dealerID, &kind, &l.Description, &l.RefID, &l.Quantity,
		&l.UnitPrice.Amount, &l.Discount.Amount, &l.VATRate, &l.Net.Amount, &l.VAT.Amount, &l.Gross.Amount)
	l.Kind = sales.LineKind(kind)
	for _, m := range []*crm.Money{&l.UnitPrice, &l.Discount, &l.Net, &l.VAT, &l.Gross} {
		m.Currency = cur
	}
	return l, err
}

// get reads the order matching where (a condition on the orders table with $1 the dealer and $2 the key) and its
// lines.
func (s orderStore) get(ctx context.Context, op, where string, key crm.ID) (sales.Order, error) {
	d, err := dealer(ctx)
	if err != nil {
		return sales.Order{}, err
	}
	o, err := scanOrder(s.t.tx.QueryRowxContext(ctx, `SELECT `+orderCols+` FROM orders WHERE dealer_id = $1 AND `+where+s.t.lock(), d, key))
	if isNoRows(err) {
		return sales.Order{}, crm.NotFound(op, "order of %s not found", key)
	}
	if err != nil {
		return sales.Order{}, mapErr(op, err)
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+orderLineCols+` FROM order_lines WHERE order_id = $1 AND dealer_id = $2
		ORDER BY position`, o.ID, d)
	lines, err := collect(rows, err, op, func(row interface{ Scan(...any) error }) (sales.Line, error) {
		return scanOrderLine(row, o.Currency)
	})
	if err != nil {
		return sales.Order{}, err
	}
	o.Lines = lines
	if o.Lines == nil {
		o.Lines = []sales.Line{}
	}
	return o, nil
}

func (s orderStore) Get(ctx context.Context, id crm.ID) (sales.Order, error) {
	return s.get(ctx, "postgres.Orders.Get", "id = $2", id)
}

func (s orderStore) FindBySale(ctx context.Context, saleID crm.ID) (sales.Order, error) {
	return s.get(ctx, "postgres.Orders.FindBySale", "sale_id = $2", saleID)
}

func (s orderStore) Create(ctx context.Context, o *sales.Order) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&o.Meta, d, "postgres.Orders.Create"); err != nil {
		return err
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO orders (`+orderCols+`) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		o.ID, o.DealerID, o.CreatedAt, o.UpdatedAt, o.SaleID, string(o.Currency), o.Net.Amount, o.VAT.Amount, o.Gross.Amount,
		o.Number, string(o.Status))
	if err != nil {
		return mapErr("postgres.Orders.Create", err)
	}
	if err := s.insertLines(ctx, "postgres.Orders.Create", o, d); err != nil {
		return err
	}
	return created(&o.Meta, nil)
}

func (s orderStore) Update(ctx context.Context, o *sales.Order) error {
	o.UpdatedAt = s.t.now
	const op = "postgres.Orders.Update"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	var saleID crm.ID
	err = s.t.tx.GetContext(ctx, &saleID, `SELECT sale_id FROM orders WHERE id = $1 AND dealer_id = $2`, o.ID, d)
	if err == nil && saleID != o.SaleID {
		return crm.Invalid(op, crm.FieldError{Field: "sale_id", Message: "cannot change"})
	} else if err != nil && !isNoRows(err) {
		return mapErr(op, err)
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE orders SET version = version + 1, updated_at = $4, currency = $5,
		net = $6, vat = $7, gross = $8, status = $9 WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		o.ID, d, o.Version, o.UpdatedAt, string(o.Currency), o.Net.Amount, o.VAT.Amount, o.Gross.Amount, string(o.Status))
	if err := s.t.updated(ctx, op, "orders", o.ID, d, res, err); err != nil {
		return err
	}
	if _, err := s.t.tx.ExecContext(ctx, `DELETE FROM order_lines WHERE order_id = $1 AND dealer_id = $2`, o.ID, d); err != nil {
		return mapErr(op, err)
	}
	if err := s.insertLines(ctx, op, o, d); err != nil {
		return err
	}
	o.Version++
	return nil
}

func (s orderStore) insertLines(ctx context.Context, op string, o *sales.Order, d crm.ID) error {
	for i, l := range o.Lines {
		_, err := s.t.tx.ExecContext(ctx, `INSERT INTO order_lines (`+orderLineCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			o.ID, i, l.ID, d, string(l.Kind), l.Description, salesNullID(l.RefID), l.Quantity, l.UnitPrice.Amount,
			l.Discount.Amount, l.VATRate, l.Net.Amount, l.VAT.Amount, l.Gross.Amount)
		if err != nil {
			return mapErr(op, err)
		}
	}
	return nil
}

// NextNumber implements sales.OrderStore.NextNumber: the dealer's counter row of the year, incremented and locked
// until the transaction ends (a rollback gives the number back; concurrent takers queue on the row).
func (s orderStore) NextNumber(ctx context.Context, year int) (int64, error) {
	d, err := dealer(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.t.tx.GetContext(ctx, &n, `INSERT INTO order_numbers (dealer_id, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (dealer_id, year) DO UPDATE SET last = order_numbers.last + 1 RETURNING last`, d, year)
	return n, mapErr("postgres.Orders.NextNumber", err)
}

// List implements sales.OrderStore.List.
func (s orderStore) List(ctx context.Context, q sales.OrderQuery) (sales.OrderPage, error) {
	const op = "postgres.Orders.List"
	d, err := dealer(ctx)
	if err != nil {
		return sales.OrderPage{}, err
	}
	at, after, err := sales.OrderList.DecodeTime("postgres.Orders.List", q.Cursor)
	if err != nil {
		return sales.OrderPage{}, err
	}
	limit := crm.PageLimit(q.Limit)
	args := params{d}
	arg := args.add
	where := []string{"dealer_id = $1"}
	if q.Status != "" {
		where = append(where, "status = "+arg(string(q.Status)))
	}
	if q.SaleID != (crm.ID{}) {
		where = append(where, "sale_id = "+arg(q.SaleID))
	}
	if n := strings.ToLower(strings.TrimSpace(q.Number)); n != "" {
		where = append(where, "lower(number) LIKE '%' || "+arg(likeEscaper.Replace(n))+" || '%'")
	}
	if q.Cursor != "" {
		where = append(where, "(created_at, id) < ("+arg(at)+", "+arg(after)+")")
	}
	var ids []crm.ID
	err = s.t.tx.SelectContext(ctx, &ids, `SELECT id FROM orders WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT `+arg(limit+1), args...)
	if err != nil {
		return sales.OrderPage{}, mapErr(op, err)
	}
	page := sales.OrderPage{Items: []sales.Order{}}
	for _, id := range ids {
		o, err := s.get(ctx, op, "id = $2", id)
		if err != nil {
			return sales.OrderPage{}, err
		}
		page.Items = append(page.Items, o)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = sales.OrderList.TimeCursor(last.CreatedAt, last.ID)
	}
	return page, nil
}
