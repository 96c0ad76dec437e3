package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/shopspring/decimal"
)

// analyticsStore computes the reports with one aggregate statement each (GROUP BY in the database over the
// indexes of migration 072), returning only the groups.
type analyticsStore struct{ t *Tx }

// Analytics returns the sales-analysis store of this unit of work.
func (t *Tx) Analytics() analytics.Store { return analyticsStore{t} }

var _ analytics.Stores = (*Tx)(nil)

// oneRead makes a statement that begins with WITH begin with SELECT (a subquery of it, ordered by order when the
// rows' order matters), so that a unit of work sends it alone on the pool, outside any transaction (the lazy read
// of querier.go takes only a SELECT for a read): one round trip, not BEGIN, the statement and COMMIT.
func oneRead(stmt, order string) string {
	out := "SELECT * FROM (" + stmt + ") q"
	if order != "" {
		out += " ORDER BY " + order
	}
	return out
}

// The statements, one per report, exported to the benchmark through AnalyticsSQL. Every one takes $1 the dealer,
// $2 and $3 the range, $4 the currency ("" for the dealer's, resolved in the statement: the CTE d) and returns
// the currency it counted in as its first column, in at least one row.
const (
	dealerCurrency = `WITH d AS (SELECT coalesce(nullif($4::text, ''), currency::text) AS cur FROM dealers WHERE id = $1)`

	funnelSQL = dealerCurrency + `, f AS (
			SELECT stage_id, count(*) AS n, sum(amount) FILTER (WHERE currency = (SELECT cur FROM d)) AS amount
			FROM sales WHERE dealer_id = $1 AND status = 'open' AND created_at >= $2 AND created_at < $3
			GROUP BY stage_id)
		SELECT d.cur, st.id, st.code, st.name, st.name_en, st.sort_order, coalesce(f.n, 0), coalesce(f.amount, 0)
		FROM d LEFT JOIN sales_stages st ON st.dealer_id = $1 AND st.kind = 'open' LEFT JOIN f ON f.stage_id = st.id`

	// conversionSQL groups the period's leads by %s (the dimension's raw key over l) and writes the groups' keys
	// with %s and their names with %s (over g.k); a lead has a sale when a sale names it and is won when one of
	// them is won: the counts the sales keep on the lead (leads.sales_count, won_count, migration 073), read with
	// the keys from the covering index leads_analytics.
	conversionSQL = dealerCurrency + `, g AS (
			SELECT %s AS k, count(*) AS leads, count(*) FILTER (WHERE l.sales_count > 0) AS sales,
				count(*) FILTER (WHERE l.won_count > 0) AS won
			FROM leads l
			WHERE l.dealer_id = $1 AND l.created_at >= $2 AND l.created_at < $3
			GROUP BY 1)
		SELECT d.cur, CASE WHEN g.leads IS NOT NULL THEN %s END, coalesce(%s, ''), g.leads, g.sales, g.won FROM d LEFT JOIN g ON true`

	stageTimesSQL = dealerCurrency + `, x AS (
			SELECT stage_id, count(*) AS n, sum(micros) AS micros FROM sale_stage_stays
			WHERE dealer_id = $1 AND left_at >= $2 AND left_at < $3
			GROUP BY stage_id)
		SELECT d.cur, st.id, st.code, st.name, st.name_en, st.sort_order, coalesce(x.n, 0), coalesce(x.micros, 0)
		FROM d LEFT JOIN sales_stages st ON st.dealer_id = $1 AND st.kind = 'open' LEFT JOIN x ON x.stage_id = st.id`

	// resultsSQL groups the period's won sales by %s (the dimension's raw key over s, which carries its lead's
	// source and need type and its vehicle's make and model, migration 073), read from the covering index
	// sales_won_by_time, and writes the keys with %s and their names with %s (over g.k).
	resultsSQL = dealerCurrency + `, g AS (
			SELECT %s AS k, count(*) AS won, coalesce(sum(s.amount) FILTER (WHERE s.currency = (SELECT cur FROM d)), 0) AS revenue
			FROM sales s
			WHERE s.dealer_id = $1 AND s.status = 'won' AND s.won_at >= $2 AND s.won_at < $3
			GROUP BY 1)
		SELECT d.cur, CASE WHEN g.won IS NOT NULL THEN %s END, coalesce(%s, ''), g.won, g.revenue FROM d LEFT JOIN g ON true`

	// summarySQL reads the period's won sales once from the covering index sales_won_by_time (their figures and
	// their order's, which the sale carries) and the period's completed test drives from
	// test_drives_completed_by_start (each with its lead's sale counts): migration 073.
	summarySQL = dealerCurrency + `, won AS (
			SELECT count(*) AS n, coalesce(sum(amount) FILTER (WHERE currency = (SELECT cur FROM d)), 0) AS revenue,
				count(credit_application_id) AS credit, count(trade_in_appraisal_id) AS trade_in,
				count(*) FILTER (WHERE order_currency = (SELECT cur FROM d)) AS ordered,
				coalesce(sum(order_discount) FILTER (WHERE order_currency = (SELECT cur FROM d)), 0) AS discount,
				coalesce(sum(order_gross) FILTER (WHERE order_currency = (SELECT cur FROM d)), 0) AS gross
			FROM sales WHERE dealer_id = $1 AND status = 'won' AND won_at >= $2 AND won_at < $3
		), drove AS (
			SELECT count(*) AS n, count(*) FILTER (WHERE sold) AS sold, count(*) FILTER (WHERE won) AS won
			FROM (SELECT lead_id, bool_or(lead_sales_count > 0) AS sold, bool_or(lead_won_count > 0) AS won FROM test_drives
				WHERE dealer_id = $1 AND status = 'completed' AND lead_id IS NOT NULL AND start_at >= $2 AND start_at < $3
				GROUP BY lead_id) x
		)
		SELECT d.cur, won.n, won.revenue, won.credit, won.trade_in, won.ordered, won.discount, won.gross,
			drove.n, drove.sold, drove.won
		FROM d, won, drove`
)

// dimKey is how a dimension's key is read in a statement: grouped by raw (over l, the lead, or s, the sale), then
// written as the report's key by text and named by name (both over g.k, the grouped value): a manager's key is
// grouped as a uuid and named through the users' primary key, a month as a date_trunc, before they become text.
type dimKey struct{ raw, text, name string }

// leadKeys are the dimensions read on a lead l (analytics.ModelKey, analytics.MonthKey).
var leadKeys = map[analytics.Dimension]dimKey{
	analytics.ByManager:  {`l.owner_id`, `coalesce(g.k::text, '')`, `(SELECT u.name FROM users u WHERE u.id = g.k AND u.dealer_id = $1)`},
	analytics.BySource:   {`l.source`, `g.k`, `NULL::text`},
	analytics.ByNeedType: {`l.need_type`, `g.k`, `(SELECT n.name FROM need_types n WHERE n.dealer_id = $1 AND n.code = g.k)`},
	analytics.ByModel:    {`l.interest_key`, `g.k`, `NULL::text`},
	analytics.ByMonth:    {`date_trunc('month', l.created_at AT TIME ZONE 'UTC')`, `to_char(g.k, 'YYYY-MM')`, `NULL::text`},
}

// saleKeys are the dimensions read on a won sale s: the copies it carries of its lead's and vehicle's keys.
var saleKeys = map[analytics.Dimension]dimKey{
	analytics.ByManager:  leadKeys[analytics.ByManager].on(`s.owner_id`),
	analytics.BySource:   {`s.lead_source`, `g.k`, `NULL::text`},
	analytics.ByNeedType: leadKeys[analytics.ByNeedType].on(`s.lead_need_type`),
	analytics.ByModel:    {`s.vehicle_make || '|' || s.vehicle_model`, `g.k`, `NULL::text`},
	analytics.ByMonth:    leadKeys[analytics.ByMonth].on(`date_trunc('month', s.won_at AT TIME ZONE 'UTC')`),
}

// on is k grouped by raw instead.
func (k dimKey) on(raw string) dimKey { k.raw = raw; return k }

// AnalyticsSQL returns the statement the store runs for a report ("funnel", "conversion", "stage_times",
// "results", "summary", "lead_response") and dimension (for conversion and results), for benchmarks and plans.
func AnalyticsSQL(report string, by analytics.Dimension) string {
	switch report {
	case "funnel":
		return oneRead(funnelSQL, "sort_order")
	case "conversion":
		k := leadKeys[by]
		return oneRead(fmt.Sprintf(conversionSQL, k.raw, k.text, k.name), "")
	case "stage_times":
		return oneRead(stageTimesSQL, "sort_order")
	case "results":
		k := saleKeys[by]
		return oneRead(fmt.Sprintf(resultsSQL, k.raw, k.text, k.name), "")
	case "summary":
		return oneRead(summarySQL, "")
	case "lead_response":
		return oneRead(leadResponseStatement(by), "")
	}
	return ""
}

// args are the four arguments of every statement.
func analyticsArgs(ctx context.Context, q analytics.Query) ([]any, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	return []any{d, q.From.UTC(), q.To.UTC(), string(q.Currency)}, nil
}

func checkDimension(op string, by analytics.Dimension) error {
	if !by.Valid() {
		return crm.Invalid(op, crm.FieldError{Field: "by", Message: "unknown dimension"})
	}
	return nil
}

// stageRows reads the rows of a per-stage statement: the currency, the stage, and two figures; a row without a
// stage (a directory without open stages) gives only the currency.
func stageRows[T any](rows *sqlx.Rows, err error, op string, row func(ref analytics.StageRef, n int, sum decimal.Decimal) T) ([]T, crm.Currency, error) {
	if err != nil {
		return nil, "", mapErr(op, err)
	}
	defer rows.Close()
	out := []T{}
	var cur crm.Currency
	for rows.Next() {
		var c string
		var id uuid.NullUUID
		var code, name, nameEn sql.NullString
		var order sql.NullInt64
		var n int
		var sum decimal.Decimal
		if err := rows.Scan(&c, &id, &code, &name, &nameEn, &order, &n, &sum); err != nil {
			return nil, "", mapErr(op, err)
		}
		cur = crm.Currency(c)
		if id.Valid {
			out = append(out, row(analytics.StageRef{StageID: id.UUID, Code: code.String, Name: name.String, NameEn: nameEn.String,
				Order: int(order.Int64)}, n, sum))
		}
	}
	return out, cur, mapErr(op, rows.Err())
}

func (s analyticsStore) Funnel(ctx context.Context, q analytics.Query) ([]analytics.StageCount, crm.Currency, error) {
	const op = "postgres.Analytics.Funnel"
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.t.tx.QueryxContext(ctx, AnalyticsSQL("funnel", ""), args...)
	return stageRows(rows, err, op, func(ref analytics.StageRef, n int, sum decimal.Decimal) analytics.StageCount {
		return analytics.StageCount{StageRef: ref, Count: n, Amount: sum}
	})
}

func (s analyticsStore) StageTimes(ctx context.Context, q analytics.Query) ([]analytics.StageTimeCount, crm.Currency, error) {
	const op = "postgres.Analytics.StageTimes"
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.t.tx.QueryxContext(ctx, AnalyticsSQL("stage_times", ""), args...)
	return stageRows(rows, err, op, func(ref analytics.StageRef, n int, sum decimal.Decimal) analytics.StageTimeCount {
		return analytics.StageTimeCount{StageRef: ref, Stays: n, Micros: sum}
	})
}

// keyRows reads the rows of a per-key statement: the currency, the key (NULL when nothing was counted), its name
// and the figures scanned by scan.
func keyRows[T any](rows *sqlx.Rows, err error, op string, scan func(r *sqlx.Rows, cur *string, key *sql.NullString, label *string) (T, error)) ([]T, crm.Currency, error) {
	if err != nil {
		return nil, "", mapErr(op, err)
	}
	defer rows.Close()
	out := []T{}
	var cur string
	for rows.Next() {
		var key sql.NullString
		var label string
		v, err := scan(rows, &cur, &key, &label)
		if err != nil {
			return nil, "", mapErr(op, err)
		}
		if key.Valid {
			out = append(out, v)
		}
	}
	return out, crm.Currency(cur), mapErr(op, rows.Err())
}

func (s analyticsStore) Conversion(ctx context.Context, q analytics.Query, by analytics.Dimension) ([]analytics.ConversionCount, crm.Currency, error) {
	const op = "postgres.Analytics.Conversion"
	if err := checkDimension(op, by); err != nil {
		return nil, "", err
	}
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.t.tx.QueryxContext(ctx, AnalyticsSQL("conversion", by), args...)
	return keyRows(rows, err, op, func(r *sqlx.Rows, cur *string, key *sql.NullString, label *string) (analytics.ConversionCount, error) {
		var leads, sales, won sql.NullInt64
		err := r.Scan(cur, key, label, &leads, &sales, &won)
		return analytics.ConversionCount{Key: key.String, Label: *label, Leads: int(leads.Int64), Sales: int(sales.Int64),
			Won: int(won.Int64)}, err
	})
}

func (s analyticsStore) Results(ctx context.Context, q analytics.Query, by analytics.Dimension) ([]analytics.ResultCount, crm.Currency, error) {
	const op = "postgres.Analytics.Results"
	if err := checkDimension(op, by); err != nil {
		return nil, "", err
	}
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.t.tx.QueryxContext(ctx, AnalyticsSQL("results", by), args...)
	return keyRows(rows, err, op, func(r *sqlx.Rows, cur *string, key *sql.NullString, label *string) (analytics.ResultCount, error) {
		var won sql.NullInt64
		var revenue decimal.NullDecimal
		err := r.Scan(cur, key, label, &won, &revenue)
		return analytics.ResultCount{Key: key.String, Label: *label, Won: int(won.Int64), Revenue: revenue.Decimal}, err
	})
}

func (s analyticsStore) Summary(ctx context.Context, q analytics.Query) (analytics.SummaryCount, crm.Currency, error) {
	const op = "postgres.Analytics.Summary"
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return analytics.SummaryCount{}, "", err
	}
	var c analytics.SummaryCount
	var cur string
	err = s.t.tx.QueryRowxContext(ctx, AnalyticsSQL("summary", ""), args...).Scan(&cur, &c.WonUnits, &c.WonRevenue, &c.WithCredit, &c.WithTradeIn,
		&c.Ordered, &c.Discount, &c.Gross, &c.TestDriveLeads, &c.TestDriveSales, &c.TestDriveWon)
	return c, crm.Currency(cur), mapErr(op, err)
}
