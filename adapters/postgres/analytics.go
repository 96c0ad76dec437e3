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
		FROM d LEFT JOIN sales_stages st ON st.dealer_id = $1 AND st.kind = 'open' LEFT JOIN f ON f.stage_id = st.id
		ORDER BY st.sort_order`

	// conversionSQL groups the period's leads by %s (a key over l) and names the keys with %s (over g.key); a lead
	// has a sale when any sale names it (x.won is NULL without one), and is won when one of them is: one probe of
	// sales_by_lead_status per lead.
	conversionSQL = dealerCurrency + `, g AS (
			SELECT %s AS key, count(*) AS leads, count(x.won) AS sales, count(*) FILTER (WHERE x.won) AS won
			FROM leads l LEFT JOIN LATERAL (
				SELECT bool_or(s.status = 'won') AS won FROM sales s WHERE s.lead_id = l.id AND s.dealer_id = l.dealer_id) x ON true
			WHERE l.dealer_id = $1 AND l.created_at >= $2 AND l.created_at < $3
			GROUP BY 1)
		SELECT d.cur, g.key, coalesce(%s, ''), g.leads, g.sales, g.won FROM d LEFT JOIN g ON true`

	stageTimesSQL = dealerCurrency + `, x AS (
			SELECT stage_id, count(*) AS n, sum(micros) AS micros FROM sale_stage_stays
			WHERE dealer_id = $1 AND left_at >= $2 AND left_at < $3
			GROUP BY stage_id)
		SELECT d.cur, st.id, st.code, st.name, st.name_en, st.sort_order, coalesce(x.n, 0), coalesce(x.micros, 0)
		FROM d LEFT JOIN sales_stages st ON st.dealer_id = $1 AND st.kind = 'open' LEFT JOIN x ON x.stage_id = st.id
		ORDER BY st.sort_order`

	// resultsSQL groups the period's won sales by %s (a key over s, l: the sale's lead, v: its vehicle), joining %s,
	// and names the keys with %s.
	resultsSQL = dealerCurrency + `, g AS (
			SELECT %s AS key, count(*) AS won, coalesce(sum(s.amount) FILTER (WHERE s.currency = (SELECT cur FROM d)), 0) AS revenue
			FROM sales s %s
			WHERE s.dealer_id = $1 AND s.status = 'won' AND s.won_at >= $2 AND s.won_at < $3
			GROUP BY 1)
		SELECT d.cur, g.key, coalesce(%s, ''), g.won, g.revenue FROM d LEFT JOIN g ON true`

	summarySQL = dealerCurrency + `, won AS (
			SELECT id, amount, currency, credit_application_id, trade_in_appraisal_id FROM sales
			WHERE dealer_id = $1 AND status = 'won' AND won_at >= $2 AND won_at < $3
		), ordered AS (
			SELECT o.gross, (SELECT coalesce(sum(ol.discount), 0) FROM order_lines ol WHERE ol.order_id = o.id) AS discount
			FROM won JOIN orders o ON o.sale_id = won.id AND o.dealer_id = $1 AND o.currency = (SELECT cur FROM d)
		), driven AS (
			SELECT DISTINCT lead_id FROM test_drives
			WHERE dealer_id = $1 AND status = 'completed' AND lead_id IS NOT NULL AND start_at >= $2 AND start_at < $3
		), drove AS (
			SELECT x.won IS NOT NULL AS sold, coalesce(x.won, false) AS won
			FROM driven dr LEFT JOIN LATERAL (
				SELECT bool_or(s.status = 'won') AS won FROM sales s WHERE s.lead_id = dr.lead_id AND s.dealer_id = $1) x ON true
		)
		SELECT d.cur, (SELECT count(*) FROM won),
			(SELECT coalesce(sum(amount) FILTER (WHERE currency = d.cur), 0) FROM won),
			(SELECT count(*) FROM won WHERE credit_application_id IS NOT NULL),
			(SELECT count(*) FROM won WHERE trade_in_appraisal_id IS NOT NULL),
			(SELECT count(*) FROM ordered), (SELECT coalesce(sum(discount), 0) FROM ordered),
			(SELECT coalesce(sum(gross), 0) FROM ordered),
			(SELECT count(*) FROM drove), (SELECT count(*) FROM drove WHERE sold), (SELECT count(*) FROM drove WHERE won)
		FROM d`
)

// keyName is how the keys of a dimension are named in a statement (over g.key): users and need types by name.
var keyName = map[analytics.Dimension]string{
	analytics.ByManager:  `(SELECT u.name FROM users u WHERE u.dealer_id = $1 AND u.id::text = g.key)`,
	analytics.BySource:   `NULL::text`,
	analytics.ByNeedType: `(SELECT n.name FROM need_types n WHERE n.dealer_id = $1 AND n.code = g.key)`,
	analytics.ByModel:    `NULL::text`,
	analytics.ByMonth:    `NULL::text`,
}

// conversionKey is the key of a lead l in each dimension (analytics.ModelKey, analytics.MonthKey).
var conversionKey = map[analytics.Dimension]string{
	analytics.ByManager:  `coalesce(l.owner_id::text, '')`,
	analytics.BySource:   `l.source`,
	analytics.ByNeedType: `l.need_type`,
	analytics.ByModel:    `coalesce(l.doc -> 'interest' ->> 'make', '') || '|' || coalesce(l.doc -> 'interest' ->> 'model', '')`,
	analytics.ByMonth:    `to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
}

// resultKey is the key of a won sale s in each dimension, and the join it needs.
var resultKey = map[analytics.Dimension][2]string{
	analytics.ByManager:  {`coalesce(s.owner_id::text, '')`, ``},
	analytics.BySource:   {`coalesce(l.source, '')`, `LEFT JOIN leads l ON l.id = s.lead_id AND l.dealer_id = s.dealer_id`},
	analytics.ByNeedType: {`coalesce(l.need_type, '')`, `LEFT JOIN leads l ON l.id = s.lead_id AND l.dealer_id = s.dealer_id`},
	analytics.ByModel: {`coalesce(v.make, '') || '|' || coalesce(v.model, '')`,
		`LEFT JOIN vehicles v ON v.id = s.vehicle_id AND v.dealer_id = s.dealer_id`},
	analytics.ByMonth: {`to_char(s.won_at AT TIME ZONE 'UTC', 'YYYY-MM')`, ``},
}

// AnalyticsSQL returns the statement the store runs for a report ("funnel", "conversion", "stage_times",
// "results", "summary", "lead_response") and dimension (for conversion and results), for benchmarks and plans.
func AnalyticsSQL(report string, by analytics.Dimension) string {
	switch report {
	case "funnel":
		return funnelSQL
	case "conversion":
		return fmt.Sprintf(conversionSQL, conversionKey[by], keyName[by])
	case "stage_times":
		return stageTimesSQL
	case "results":
		k := resultKey[by]
		return fmt.Sprintf(resultsSQL, k[0], k[1], keyName[by])
	case "summary":
		return summarySQL
	case "lead_response":
		return leadResponseStatement(by)
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
	rows, err := s.t.tx.QueryxContext(ctx, funnelSQL, args...)
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
	rows, err := s.t.tx.QueryxContext(ctx, stageTimesSQL, args...)
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
	err = s.t.tx.QueryRowxContext(ctx, summarySQL, args...).Scan(&cur, &c.WonUnits, &c.WonRevenue, &c.WithCredit, &c.WithTradeIn,
		&c.Ordered, &c.Discount, &c.Gross, &c.TestDriveLeads, &c.TestDriveSales, &c.TestDriveWon)
	return c, crm.Currency(cur), mapErr(op, err)
}
