package httpapi

import (
	"strconv"

	"github.com/dealercrm/dealercrm/analytics"
)

// leadResponseReportRowOut is one key of the lead-response report.
type leadResponseReportRowOut struct {
	Key                 string  `json:"key" doc:"as the conversion report's: manager (user ID), source, need_type, model (\"make|model\"), month (YYYY-MM)"`
	Label               string  `json:"label"`
	Leads               int     `json:"leads" doc:"leads created in the range"`
	Responded           int     `json:"responded" doc:"of them, with a first response (a completed call that reached the customer, an e-mail or a meeting)"`
	RespondedPercent    percent `json:"responded_percent" doc:"responded / leads × 100"`
	WithinTarget        int     `json:"within_target" doc:"of the responded, those answered no later than their due time (the dealer's target, in its sales hours)"`
	WithinTargetPercent percent `json:"within_target_percent" doc:"within_target / responded × 100"`
	AvgMinutes          percent `json:"avg_minutes" doc:"the average working minutes to the first response, two decimals"`
	MedianMinutes       percent `json:"median_minutes" doc:"the median working minutes to the first response (the mean of the two middle values for an even count)"`
}

// leadResponseReportOut is GET /api/v1/analytics/lead-response.
type leadResponseReportOut struct {
	reportRange
	By    string                     `json:"by" enum:"AnalyticsDimension"`
	Items []leadResponseReportRowOut `json:"items" doc:"in key order"`
	Total leadResponseReportRowOut   `json:"total" doc:"the whole cohort (its median is the cohort's)"`
}

func leadResponseReportRowView(r analytics.ResponseRow) leadResponseReportRowOut {
	return leadResponseReportRowOut{Key: r.Key, Label: r.Label, Leads: r.Leads, Responded: r.Responded,
		RespondedPercent: percent(r.RespondedPct), WithinTarget: r.WithinTarget, WithinTargetPercent: percent(r.WithinShare),
		AvgMinutes: percent(r.AvgMinutes), MedianMinutes: percent(r.MedianMinutes)}
}

func leadResponseReportView(r analytics.LeadResponse) leadResponseReportOut {
	return leadResponseReportOut{reportRange: rangeView(r.Query), By: string(r.By), Items: mapList(r.Rows, leadResponseReportRowView),
		Total: leadResponseReportRowView(r.Total)}
}

func (r leadResponseReportOut) table() reportTable {
	t := reportTable{Header: []string{"by", "key", "label", "leads", "responded", "responded_percent", "within_target",
		"within_target_percent", "avg_minutes", "median_minutes"}}
	row := func(key string, x leadResponseReportRowOut) []string {
		return []string{r.By, key, x.Label, strconv.Itoa(x.Leads), strconv.Itoa(x.Responded), x.RespondedPercent.String(),
			strconv.Itoa(x.WithinTarget), x.WithinTargetPercent.String(), x.AvgMinutes.String(), x.MedianMinutes.String()}
	}
	for _, x := range r.Items {
		t.Rows = append(t.Rows, row(x.Key, x))
	}
	t.Rows = append(t.Rows, row("total", r.Total))
	return t
}
