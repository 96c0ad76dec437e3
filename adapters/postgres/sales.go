package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

type saleStore struct{ t *Tx }

// Sales returns the sale store of this unit of work.
func (t *Tx) Sales() sales.SaleStore { return saleStore{t} }

const saleCols = `id, dealer_id, version, created_at, updated_at, customer_id, vehicle_id, owner_id, lead_id, stage_id,
	stage_code, status, probability, amount, currency, trade_in_appraisal_id, credit_application_id, insurance,
	service_contract, payment_method, lost_reason, won_at, lost_at, history, external_id, expected_close`

// salesNullID writes a zero ID as NULL (optional references of sales records).
func salesNullID(id crm.ID) any {
	if id == (crm.ID{}) {
		return nil
	}
	return id
}

// salesNullTime writes a zero time as NULL.
func salesNullTime(t time.Time) sql.Null[time.Time] {
	return sql.Null[time.Time]{V: t.UTC(), Valid: !t.IsZero()}
}

// salesTime reads a nullable time as the zero time or UTC.
func salesTime(n sql.Null[time.Time]) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return n.V.UTC()
}

func scanSale(row interface{ Scan(...any) error }) (sales.Sale, error) {
	var s sales.Sale
	var status, currency, method string
	var wonAt, lostAt, expected sql.Null[time.Time]
	var insurance insuranceDoc
	var creditID sql.Null[crm.ID]
	var history []saleStageChangeDoc
	err := row.Scan(&s.ID, &s.DealerID, &s.Version, &s.CreatedAt, &s.UpdatedAt, &s.CustomerID, &s.VehicleID, &s.OwnerID,
		&s.LeadID, &s.StageID, &s.StageCode, &status, &s.Probability, &s.Amount.Amount, &currency, &s.TradeInAppraisalID,
		&creditID, jsonb{&insurance}, &s.ServiceContract, &method, &s.LostReason, &wonAt, &lostAt,
		jsonb{&history}, &s.ExternalID, &expected)
	s.Insurance, s.History = insurance.value(), saleHistoryOf(history)
	s.Status, s.Amount.Currency, s.PaymentMethod = sales.Status(status), crm.Currency(currency), sales.PaymentMethod(method)
	if currency == "" && s.Amount.IsZero() {
		s.Amount = crm.Money{} // no amount yet, as it was saved
	}
	s.CreditApplicationID = creditID.V
	s.WonAt, s.LostAt = salesTime(wonAt), salesTime(lostAt)
	if expected.Valid {
		s.ExpectedClose = sales.DateOf(time.Date(expected.V.Year(), expected.V.Month(), expected.V.Day(), 0, 0, 0, 0, time.UTC))
	}
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, err
}

// saleArgs are the values of every column after the metadata ($6 onwards in saleCols order).
func saleArgs(s *sales.Sale) []any {
	return []any{s.CustomerID, salesNullID(s.VehicleID), salesNullID(s.OwnerID), salesNullID(s.LeadID), s.StageID,
		s.StageCode, string(s.Status), s.Probability, s.Amount.Amount, string(s.Amount.Currency),
		salesNullID(s.TradeInAppraisalID), salesNullID(s.CreditApplicationID), jsonb{insuranceDocOf(s.Insurance)}, s.ServiceContract,
		string(s.PaymentMethod), s.LostReason, salesNullTime(s.WonAt), salesNullTime(s.LostAt), jsonb{saleHistoryDocsOf(s.History)},
		s.ExternalID, salesNullDate(s.ExpectedClose)}
}

// salesNullDate writes a zero time as NULL and another as its calendar day (a date column).
func salesNullDate(t time.Time) sql.Null[string] {
	return sql.Null[string]{V: t.UTC().Format(time.DateOnly), Valid: !t.IsZero()}
}

func (s saleStore) Get(ctx context.Context, id crm.ID) (sales.Sale, error) {
	d, err := dealer(ctx)
	if err != nil {
		return sales.Sale{}, err
	}
	// The directory version comes along (dircache.go): an edit of the sale lists the stages next.
	sale, err := scanSale(withVersion{s.t.tx.QueryRowxContext(ctx, `SELECT `+saleCols+dirVersionCol("$2")+
		` FROM sales WHERE id = $1 AND dealer_id = $2`+s.t.lock(), id, d), s.t, d})
	if isNoRows(err) {
		return sales.Sale{}, crm.NotFound("postgres.Sales.Get", "sale %s not found", id)
	}
	return sale, mapErr("postgres.Sales.Get", err)
}

func (s saleStore) Create(ctx context.Context, sale *sales.Sale) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&sale.Meta, d, "postgres.Sales.Create"); err != nil {
		return err
	}
	args := append([]any{sale.ID, sale.DealerID, sale.CreatedAt, sale.UpdatedAt}, saleArgs(sale)...)
	return s.t.write(ctx, "sales", `INSERT INTO sales (`+saleCols+`) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9,
		$10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`, args,
		func(_ sql.Result, err error) error { return created(&sale.Meta, mapErr("postgres.Sales.Create", err)) })
}

func (s saleStore) Update(ctx context.Context, sale *sales.Sale) error {
	sale.UpdatedAt = s.t.now
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	args := append([]any{sale.ID, d, sale.Version, sale.UpdatedAt}, saleArgs(sale)...)
	return s.t.write(ctx, "sales", `UPDATE sales SET version = version + 1, updated_at = $4, customer_id = $5,
		vehicle_id = $6, owner_id = $7, lead_id = $8, stage_id = $9, stage_code = $10, status = $11, probability = $12,
		amount = $13, currency = $14, trade_in_appraisal_id = $15, credit_application_id = $16, insurance = $17,
		service_contract = $18, payment_method = $19, lost_reason = $20, won_at = $21, lost_at = $22, history = $23,
		external_id = $24, expected_close = $25
		WHERE id = $1 AND dealer_id = $2 AND version = $3`, args, func(res sql.Result, err error) error {
		if err := s.t.updated(ctx, "postgres.Sales.Update", "sales", sale.ID, d, res, err); err != nil {
			return err
		}
		sale.Version++
		return nil
	})
}

func (s saleStore) List(ctx context.Context, q sales.SaleQuery) (sales.SalePage, error) {
	d, err := dealer(ctx)
	if err != nil {
		return sales.SalePage{}, err
	}
	at, after, err := sales.SaleList.DecodeTime("postgres.Sales.List", q.Cursor)
	if err != nil {
		return sales.SalePage{}, err
	}
	limit := crm.PageLimit(q.Limit)
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+saleCols+` FROM sales WHERE dealer_id = $1
		AND ($2 = '' OR status = $2)
		AND ($3::uuid IS NULL OR stage_id = $3)
		AND ($4::uuid IS NULL OR owner_id = $4)
		AND ($5::uuid IS NULL OR customer_id = $5)
		AND ($6::uuid IS NULL OR vehicle_id = $6)
		AND ($7::timestamptz IS NULL OR (created_at, id) < ($7, $8::uuid))
		ORDER BY created_at DESC, id DESC LIMIT $9`,
		d, string(q.Status), salesNullID(q.StageID), salesNullID(q.OwnerID), salesNullID(q.CustomerID),
		salesNullID(q.VehicleID), salesNullTime(at), after, limit+1)
	out, err := collect(rows, err, "postgres.Sales.List", scanSale)
	if err != nil {
		return sales.SalePage{}, err
	}
	page := sales.SalePage{Items: out}
	if len(out) > limit {
		last := out[limit-1]
		page.Items, page.NextCursor = out[:limit], sales.SaleList.TimeCursor(last.CreatedAt, last.ID)
	}
	if page.Items == nil {
		page.Items = []sales.Sale{}
	}
	return page, nil
}

var _ sales.Stores = (*Tx)(nil)

// GetByExternalID implements sales.SaleStore.GetByExternalID.
func (s saleStore) GetByExternalID(ctx context.Context, externalID string) (sales.Sale, error) {
	const op = "postgres.Sales.GetByExternalID"
	d, err := dealer(ctx)
	if err != nil {
		return sales.Sale{}, err
	}
	sale, err := scanSale(s.t.tx.QueryRowxContext(ctx, `SELECT `+saleCols+` FROM sales
		WHERE dealer_id = $1 AND external_id = $2 AND external_id <> ''`, d, externalID))
	if isNoRows(err) {
		return sales.Sale{}, crm.NotFound(op, "no sale with external ID %q", externalID)
	}
	return sale, mapErr(op, err)
}
