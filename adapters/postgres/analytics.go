package postgres

import (
	"context"
	"fmt"

	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// analyticsStore computes the reports with one aggregate statement each (GROUP BY in the database over the
// indexes of migration 072), returning only the groups.
type analyticsStore struct{ t *Tx }

// Analytics returns the sales-analysis store of this unit of work.
func (t *Tx) Analytics() analytics.Store { return analyticsStore{t} }

var _ analytics.Stores = (*Tx)(nil)

// The statements, exported to the benchmark through AnalyticsSQL. Every one takes $1 the dealer, $2 and $3 the
// range, $4 the currency.
const (
	funnelSQL = `SELECT stage_id, count(*), coalesce(sum(amount) FILTER (WHERE currency = $4), 0)
		FROM sales WHERE dealer_id = $1 AND status = 'open' AND created_at >= $2 AND created_at < $3
		GROUP BY stage_id`

	// conversionSQL groups the period's leads by %s (a key over l); a lead has a sale when any sale names it.
	conversionSQL = `SELECT %s AS key, count(*),
			count(*) FILTER (WHERE EXISTS (SELECT 1 FROM sales s WHERE s.lead_id = l.id AND s.dealer_id = l.dealer_id)),
			count(*) FILTER (WHERE EXISTS (SELECT 1 FROM sales s WHERE s.lead_id = l.id AND s.dealer_id = l.dealer_id AND s.status = 'won'))
		FROM leads l WHERE l.dealer_id = $1 AND l.created_at >= $2 AND l.created_at < $3 AND $4::text IS NOT NULL
		GROUP BY 1`

	stageTimesSQL = `SELECT stage_id, count(*), sum(micros) FROM sale_stage_stays
		WHERE dealer_id = $1 AND left_at >= $2 AND left_at < $3 AND $4::text IS NOT NULL
		GROUP BY stage_id`

	// resultsSQL groups the period's won sales by %s (a key over s, l: the sale's lead, v: its vehicle), joining %s.
	resultsSQL = `SELECT %s AS key, count(*), coalesce(sum(s.amount) FILTER (WHERE s.currency = $4), 0)
		FROM sales s %s
		WHERE s.dealer_id = $1 AND s.status = 'won' AND s.won_at >= $2 AND s.won_at < $3
		GROUP BY 1`

	summarySQL = `WITH won AS (
			SELECT id, amount, currency, credit_application_id, trade_in_appraisal_id FROM sales
			WHERE dealer_id = $1 AND status = 'won' AND won_at >= $2 AND won_at < $3
		), ordered AS (
			SELECT o.gross, (SELECT coalesce(sum(ol.discount), 0) FROM order_lines ol WHERE ol.order_id = o.id) AS discount
			FROM won JOIN orders o ON o.sale_id = won.id AND o.dealer_id = $1 AND o.currency = $4
		), driven AS (
			SELECT DISTINCT lead_id FROM test_drives
			WHERE dealer_id = $1 AND status = 'completed' AND lead_id IS NOT NULL AND start_at >= $2 AND start_at < $3
		), drove AS (
			SELECT EXISTS (SELECT 1 FROM sales s WHERE s.lead_id = d.lead_id AND s.dealer_id = $1) AS sold,
				EXISTS (SELECT 1 FROM sales s WHERE s.lead_id = d.lead_id AND s.dealer_id = $1 AND s.status = 'won') AS won
			FROM driven d
		)
		SELECT (SELECT count(*) FROM won),
			(SELECT coalesce(sum(amount) FILTER (WHERE currency = $4), 0) FROM won),
			(SELECT count(*) FROM won WHERE credit_application_id IS NOT NULL),
			(SELECT count(*) FROM won WHERE trade_in_appraisal_id IS NOT NULL),
			(SELECT count(*) FROM ordered), (SELECT coalesce(sum(discount), 0) FROM ordered),
			(SELECT coalesce(sum(gross), 0) FROM ordered),
			(SELECT count(*) FROM drove), (SELECT count(*) FROM drove WHERE sold), (SELECT count(*) FROM drove WHERE won)`
)

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
// "results", "summary") and dimension (for conversion and results), for benchmarks and plans.
func AnalyticsSQL(report string, by analytics.Dimension) string {
	switch report {
	case "funnel":
		return funnelSQL
	case "conversion":
		return fmt.Sprintf(conversionSQL, conversionKey[by])
	case "stage_times":
		return stageTimesSQL
	case "results":
		k := resultKey[by]
		return fmt.Sprintf(resultsSQL, k[0], k[1])
	case "summary":
		return summarySQL
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

func (s analyticsStore) Funnel(ctx context.Context, q analytics.Query) ([]analytics.StageCount, error) {
	const op = "postgres.Analytics.Funnel"
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, funnelSQL, args...)
	return collect(rows, err, op, func(r interface{ Scan(...any) error }) (c analytics.StageCount, err error) {
		err = r.Scan(&c.StageID, &c.Count, &c.Amount)
		return c, err
	})
}

func (s analyticsStore) Conversion(ctx context.Context, q analytics.Query, by analytics.Dimension) ([]analytics.ConversionCount, error) {
	const op = "postgres.Analytics.Conversion"
	if err := checkDimension(op, by); err != nil {
		return nil, err
	}
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, AnalyticsSQL("conversion", by), args...)
	return collect(rows, err, op, func(r interface{ Scan(...any) error }) (c analytics.ConversionCount, err error) {
		err = r.Scan(&c.Key, &c.Leads, &c.Sales, &c.Won)
		return c, err
	})
}

func (s analyticsStore) StageTimes(ctx context.Context, q analytics.Query) ([]analytics.StageTimeCount, error) {
	const op = "postgres.Analytics.StageTimes"
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, stageTimesSQL, args...)
	return collect(rows, err, op, func(r interface{ Scan(...any) error }) (c analytics.StageTimeCount, err error) {
		err = r.Scan(&c.StageID, &c.Stays, &c.Micros)
		return c, err
	})
}

func (s analyticsStore) Results(ctx context.Context, q analytics.Query, by analytics.Dimension) ([]analytics.ResultCount, error) {
	const op = "postgres.Analytics.Results"
	if err := checkDimension(op, by); err != nil {
		return nil, err
	}
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, AnalyticsSQL("results", by), args...)
	return collect(rows, err, op, func(r interface{ Scan(...any) error }) (c analytics.ResultCount, err error) {
		err = r.Scan(&c.Key, &c.Won, &c.Revenue)
		return c, err
	})
}

func (s analyticsStore) Summary(ctx context.Context, q analytics.Query) (analytics.SummaryCount, error) {
	const op = "postgres.Analytics.Summary"
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return analytics.SummaryCount{}, err
	}
	var c analytics.SummaryCount
	var revenue, discount, gross decimal.Decimal
	err = s.t.tx.QueryRowxContext(ctx, summarySQL, args...).Scan(&c.WonUnits, &revenue, &c.WithCredit, &c.WithTradeIn,
		&c.Ordered, &discount, &gross, &c.TestDriveLeads, &c.TestDriveSales, &c.TestDriveWon)
	c.WonRevenue, c.Discount, c.Gross = revenue, discount, gross
	return c, mapErr(op, err)
}
