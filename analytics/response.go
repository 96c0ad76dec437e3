package analytics

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/shopspring/decimal"
)

// ResponseCount is what the lead-response report counts for one key of a dimension (or for the whole cohort):
// the leads created in the range, those of them with a first response (leads.Lead.FirstResponseAt), those
// responded no later than their due time (leads.Lead.ResponseDueAt), the sum of the responded leads' response
// minutes (leads.Lead.ResponseMinutes, working minutes) and their median.
type ResponseCount struct {
	Key       string
	Label     string // as ConversionCount.Label
	Leads     int
	Responded int
	InTime    int
	Minutes   int64
	Median    decimal.Decimal // the middle value of the responded leads' minutes, or the mean of the two middle ones
}

// MedianMinutes is the median of minutes (sorted in place): the middle value, or the mean of the two middle values
// of an even count (so it may end in .5); zero for none. The memory adapter uses it, PostgreSQL's
// percentile_cont(0.5) computes the same.
func MedianMinutes(minutes []int) decimal.Decimal {
	if len(minutes) == 0 {
		return decimal.Zero
	}
	sort.Ints(minutes)
	n := len(minutes)
	if n%2 == 1 {
		return decimal.NewFromInt(int64(minutes[n/2]))
	}
	return decimal.NewFromInt(int64(minutes[n/2-1]) + int64(minutes[n/2])).Div(decimal.NewFromInt(2))
}

// ResponseRow is one key of the lead-response report.
type ResponseRow struct {
	Key           string
	Label         string
	Leads         int             // leads created in the range
	Responded     int             // of them, with a first response
	WithinTarget  int             // of them, responded no later than their due time
	AvgMinutes    decimal.Decimal // Σ response minutes / Responded, two decimals
	MedianMinutes decimal.Decimal // the median response minutes of the responded
	WithinShare   decimal.Decimal // WithinTarget / Responded × 100
	RespondedPct  decimal.Decimal // Responded / Leads × 100
}

// LeadResponse is the first-response time of the leads created in the range, by a dimension read on the lead,
// with the total over the whole cohort (its median is the cohort's, not a sum of the rows').
type LeadResponse struct {
	Query Query
	By    Dimension
	Rows  []ResponseRow
	Total ResponseRow
}

func responseRowOf(by Dimension, c ResponseCount) ResponseRow {
	r := ResponseRow{Key: c.Key, Label: labelOf(by, c.Key, c.Label), Leads: c.Leads, Responded: c.Responded,
		WithinTarget: c.InTime, AvgMinutes: decimal.Zero, MedianMinutes: c.Median.Round(2),
		WithinShare: pct(c.InTime, c.Responded), RespondedPct: pct(c.Responded, c.Leads)}
	if c.Responded > 0 {
		r.AvgMinutes = plans.DivRound(decimal.NewFromInt(c.Minutes), decimal.NewFromInt(int64(c.Responded)), 2)
	}
	return r
}

// GetLeadResponse returns how fast the leads created in the range got their first response (a completed call
// that reached the customer, an e-mail or a meeting: docs/lead-response.md), grouped by the dimension read on the
// lead, in key order, with the total: the average and the median of the working minutes to the first response,
// and the share of the responded leads answered within their due time (the dealer's target when the lead came).
func (s *Service) GetLeadResponse(ctx context.Context, q Query, by Dimension) (LeadResponse, error) {
	var out LeadResponse
	q, err := prepare(q)
	if err == nil {
		err = checkBy(by)
	}
	if err != nil {
		return out, crm.Wrap("analytics.Service.GetLeadResponse", err)
	}
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		counts, total, cur, err := st.Analytics().LeadResponse(ctx, q, by)
		if err != nil {
			return err
		}
		q.Currency = cur
		sortByKey(counts, func(c ResponseCount) string { return c.Key })
		out = LeadResponse{Query: q, By: by, Rows: []ResponseRow{}}
		for _, c := range counts {
			out.Rows = append(out.Rows, responseRowOf(by, c))
		}
		total.Key, total.Label = "", "total"
		out.Total = responseRowOf(by, total)
		return nil
	})
	return out, crm.Wrap("analytics.Service.GetLeadResponse", err)
}
