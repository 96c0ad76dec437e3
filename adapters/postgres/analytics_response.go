package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// leadResponseSQL groups the period's leads by %s (the dimension's raw key over l, as conversion's) and over the
// whole cohort (GROUPING SETS: the row whose total is true), and writes the keys with %s and names them with %s
// (over g.k). A lead is in time when its first response came no later than its due time; the median is
// percentile_cont(0.5) of the responded leads' minutes (the mean of the two middle ones for an even count, as
// analytics.MedianMinutes). Everything is read from the covering index leads_analytics.
const leadResponseSQL = dealerCurrency + `, g AS (
			SELECT %s AS k, grouping(%[1]s) = 1 AS total, count(*) AS leads, count(l.first_response_at) AS responded,
				count(*) FILTER (WHERE l.first_response_at <= l.response_due_at) AS in_time,
				coalesce(sum(l.response_minutes) FILTER (WHERE l.first_response_at IS NOT NULL), 0) AS minutes,
				coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY l.response_minutes) FILTER (WHERE l.first_response_at IS NOT NULL), 0)::numeric AS median
			FROM leads l WHERE l.dealer_id = $1 AND l.created_at >= $2 AND l.created_at < $3
			GROUP BY GROUPING SETS ((%[1]s), ()))
		SELECT d.cur, g.total, CASE WHEN g.leads IS NOT NULL THEN %[2]s END, coalesce(%[3]s, ''), g.leads, g.responded,
			g.in_time, g.minutes, g.median
		FROM d LEFT JOIN g ON true`

func (s analyticsStore) LeadResponse(ctx context.Context, q analytics.Query, by analytics.Dimension) ([]analytics.ResponseCount, analytics.ResponseCount, crm.Currency, error) {
	const op = "postgres.Analytics.LeadResponse"
	var total analytics.ResponseCount
	if err := checkDimension(op, by); err != nil {
		return nil, total, "", err
	}
	args, err := analyticsArgs(ctx, q)
	if err != nil {
		return nil, total, "", err
	}
	rows, err := s.t.tx.QueryxContext(ctx, AnalyticsSQL("lead_response", by), args...)
	if err != nil {
		return nil, total, "", mapErr(op, err)
	}
	defer rows.Close()
	out := []analytics.ResponseCount{}
	var cur string
	for rows.Next() {
		var isTotal sql.NullBool
		var key sql.NullString
		var label string
		var leads, responded, inTime, minutes sql.NullInt64
		var median decimal.NullDecimal
		if err := rows.Scan(&cur, &isTotal, &key, &label, &leads, &responded, &inTime, &minutes, &median); err != nil {
			return nil, total, "", mapErr(op, err)
		}
		c := analytics.ResponseCount{Key: key.String, Label: label, Leads: int(leads.Int64), Responded: int(responded.Int64),
			InTime: int(inTime.Int64), Minutes: minutes.Int64, Median: median.Decimal}
		switch {
		case !isTotal.Valid: // no lead in the range: only the currency
		case isTotal.Bool:
			total = c
		default:
			out = append(out, c)
		}
	}
	return out, total, crm.Currency(cur), mapErr(op, rows.Err())
}

// leadResponseStatement is the statement of the lead-response report by a dimension.
func leadResponseStatement(by analytics.Dimension) string {
	k := leadKeys[by]
	return fmt.Sprintf(leadResponseSQL, k.raw, k.text, k.name)
}
