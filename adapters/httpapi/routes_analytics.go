package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/crm"
)

// The analytics section registers its routes itself (the recipe in docs/architecture.md).
func init() { registerRoutes((*Handler).analyticsRoutes) }

// rangeParams are the query parameters of every report.
func rangeParams(ps ...param) []param {
	return append([]param{
		{Name: "from", Type: "date", Desc: "the range's start, inclusive (YYYY-MM-DD is midnight UTC); absent: from the beginning"},
		{Name: "to", Type: "date", Desc: "the range's end, exclusive; absent: to the end"},
		{Name: "currency", Type: "string", Desc: "ISO 4217: the amounts counted (default: the dealer's currency)"},
	}, ps...)
}

var byParam = param{Name: "by", Of: "AnalyticsDimension", Desc: "what the rows are (default: source)"}

// analyticsRoutes serve the sales analysis when Config.Analytics is set. Every role reads it (the dealer's
// figures are everyone's, as every record is); each answer is JSON, or CSV with Accept: text/csv. The figures are
// defined in docs/analytics.md.
func (h *Handler) analyticsRoutes() []route {
	if h.cfg.Analytics == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/analytics/funnel", ID: "getSalesFunnel", Tag: "analytics",
			Summary: "The funnel: for every open stage, the open sales created in the range and their amount. Accept: text/csv gives CSV",
			Access:  crm.PermRead, Status: 200, CSV: true, Out: funnelOut{}, Query: rangeParams(), handle: h.getFunnel},
		{Method: "GET", Path: "/api/v1/analytics/conversion", ID: "getSalesConversion", Tag: "analytics",
			Summary: "Conversion lead → sale → won of the leads created in the range, by manager, source, need type, model of interest or month. Accept: text/csv gives CSV",
			Access:  crm.PermRead, Status: 200, CSV: true, Out: conversionOut{}, Query: rangeParams(byParam), handle: h.getConversion},
		{Method: "GET", Path: "/api/v1/analytics/stage-times", ID: "getSalesStageTimes", Tag: "analytics",
			Summary: "Time spent in each open stage: the stays that ended in the range, from the sales' stage history. Accept: text/csv gives CSV",
			Access:  crm.PermRead, Status: 200, CSV: true, Out: stageTimesOut{}, Query: rangeParams(), handle: h.getStageTimes},
		{Method: "GET", Path: "/api/v1/analytics/results", ID: "getSalesResults", Tag: "analytics",
			Summary: "Sales won in the range and their revenue by manager, lead source, need type, make and model or month. Accept: text/csv gives CSV",
			Access:  crm.PermRead, Status: 200, CSV: true, Out: resultsOut{}, Query: rangeParams(byParam), handle: h.getResults},
		{Method: "GET", Path: "/api/v1/analytics/summary", ID: "getSalesSummary", Tag: "analytics",
			Summary: "Headline figures of the range: won units and revenue, shares with credit and trade-in, average discount, test-drive → sale conversion. Accept: text/csv gives CSV",
			Access:  crm.PermRead, Status: 200, CSV: true, Out: summaryOut{}, Query: rangeParams(), handle: h.getSummary},
		{Method: "GET", Path: "/api/v1/analytics/lead-response", ID: "getLeadResponseTime", Tag: "analytics",
			Summary: "Lead response time of the leads created in the range: average and median working minutes to the first response and the share answered within the dealer's target, by manager, source, need type, model of interest or month. Accept: text/csv gives CSV",
			Access:  crm.PermRead, Status: 200, CSV: true, Out: leadResponseReportOut{}, Query: rangeParams(byParam), handle: h.getLeadResponse},
	}
}

// reportQuery reads from, to and currency, and by when by is not nil (default source).
func reportQuery(r *http.Request, by *analytics.Dimension) (analytics.Query, error) {
	q := queryOf(r)
	var p crm.Problems
	out := analytics.Query{From: dayBound(&p, "from", q.Get("from")), To: dayBound(&p, "to", q.Get("to")),
		Currency: crm.Currency(q.Get("currency"))}
	if by != nil {
		*by = analytics.Dimension(q.Get("by"))
		if *by == "" {
			*by = analytics.BySource
		} else if !by.Valid() {
			p.Add("by", "must be manager, source, need_type, model or month")
		}
	}
	return out, p.Err("httpapi")
}

func (h *Handler) getFunnel(w http.ResponseWriter, r *http.Request) error {
	q, err := reportQuery(r, nil)
	if err != nil {
		return err
	}
	f, err := h.cfg.Analytics.GetFunnel(r.Context(), q)
	if err != nil {
		return err
	}
	out := funnelView(f)
	return writeReport(w, r, out, out.table)
}

func (h *Handler) getConversion(w http.ResponseWriter, r *http.Request) error {
	var by analytics.Dimension
	q, err := reportQuery(r, &by)
	if err != nil {
		return err
	}
	c, err := h.cfg.Analytics.GetConversion(r.Context(), q, by)
	if err != nil {
		return err
	}
	out := conversionView(c)
	return writeReport(w, r, out, out.table)
}

func (h *Handler) getStageTimes(w http.ResponseWriter, r *http.Request) error {
	q, err := reportQuery(r, nil)
	if err != nil {
		return err
	}
	s, err := h.cfg.Analytics.GetStageTimes(r.Context(), q)
	if err != nil {
		return err
	}
	out := stageTimesView(s)
	return writeReport(w, r, out, out.table)
}

func (h *Handler) getResults(w http.ResponseWriter, r *http.Request) error {
	var by analytics.Dimension
	q, err := reportQuery(r, &by)
	if err != nil {
		return err
	}
	res, err := h.cfg.Analytics.GetResults(r.Context(), q, by)
	if err != nil {
		return err
	}
	out := resultsView(res)
	return writeReport(w, r, out, out.table)
}

func (h *Handler) getSummary(w http.ResponseWriter, r *http.Request) error {
	q, err := reportQuery(r, nil)
	if err != nil {
		return err
	}
	s, err := h.cfg.Analytics.GetSummary(r.Context(), q)
	if err != nil {
		return err
	}
	out := summaryView(s)
	return writeReport(w, r, out, out.table)
}

func (h *Handler) getLeadResponse(w http.ResponseWriter, r *http.Request) error {
	var by analytics.Dimension
	q, err := reportQuery(r, &by)
	if err != nil {
		return err
	}
	res, err := h.cfg.Analytics.GetLeadResponse(r.Context(), q, by)
	if err != nil {
		return err
	}
	out := leadResponseReportView(res)
	return writeReport(w, r, out, out.table)
}
