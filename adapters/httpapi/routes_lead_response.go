package httpapi

import (
	"net/http"
	"slices"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// The lead response-time routes (issue 14 item 4) register themselves beside the leads'.
func init() { registerRoutes((*Handler).leadResponseRoutes) }

// leadResponseRoutes serve the response target and the overdue list when Config.Leads is set.
func (h *Handler) leadResponseRoutes() []route {
	if h.cfg.Leads == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/leads/overdue-response", ID: "listOverdueResponseLeads", Tag: "leads",
			Summary: "Open leads still uncontacted after their response due time (the dealer's target counted in its sales hours), the longest overdue first (by due time, then ID; keyset-paged with cursor)",
			Access:  crm.PermRead, Status: 200, Out: listOut[leadOut]{}, Query: withPage(), handle: h.listOverdueResponseLeads},
		{Method: "GET", Path: "/api/v1/settings/lead-response", ID: "getLeadResponsePolicy", Tag: "leads",
			Summary: "The dealer's target for the first contact with a new lead and the sales hours it is counted in",
			Access:  crm.PermRead, Status: 200, Out: leadResponseOut{}, ETag: true, handle: h.getLeadResponsePolicy},
		{Method: "PUT", Path: "/api/v1/settings/lead-response", ID: "setLeadResponsePolicy", Tag: "leads", IfMatch: true,
			Summary: "Change the response target and sales hours (leads created from now on are due by them)", Access: crm.PermEditSettings,
			Body: leadResponseIn{}, Example: obj{"target_minutes": 15, "workday_start": "09:00", "workday_end": "20:00",
				"weekdays": []any{1, 2, 3, 4, 5, 6}, "time_zone": "Europe/Moscow"},
			Status: 200, Out: leadResponseOut{}, ETag: true, handle: h.setLeadResponsePolicy},
	}
}

// leadResponseIn is the dealer's response policy: GET and PUT /api/v1/settings/lead-response.
type leadResponseIn struct {
	TargetMinutes int    `json:"target_minutes" oa:"required" doc:"the first contact is due this many working minutes after the lead came in"`
	WorkdayStart  string `json:"workday_start" oa:"required" doc:"opening, HH:MM local time"`
	WorkdayEnd    string `json:"workday_end" oa:"required" doc:"closing, HH:MM local time (24:00 for midnight)"`
	Weekdays      []int  `json:"weekdays" oa:"required" doc:"the working days, 0 (Sunday) to 6 (Saturday)"`
	TimeZone      string `json:"time_zone" oa:"required" doc:"IANA time zone, e.g. Europe/Moscow"`
}

// leadResponseOut is the policy as answers show it.
type leadResponseOut struct {
	leadResponseIn
	Version int64 `json:"version" doc:"0 while the dealer uses the defaults"`
}

func leadResponseView(p leads.ResponsePolicy) leadResponseOut {
	out := leadResponseOut{leadResponseIn: leadResponseIn{TargetMinutes: int(p.Target / time.Minute), WorkdayStart: hhmm(p.WorkdayStart),
		WorkdayEnd: hhmm(p.WorkdayEnd), Weekdays: []int{}, TimeZone: p.TimeZone}, Version: p.Version}
	for _, d := range p.Weekdays {
		out.Weekdays = append(out.Weekdays, int(d))
	}
	slices.Sort(out.Weekdays)
	return out
}

func (h *Handler) listOverdueResponseLeads(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	page, err := h.cfg.Leads.ListOverdueResponses(r.Context(), pg.Cursor, pg.Limit)
	if err != nil {
		return err
	}
	now := h.clockNow()
	return writeList(w, page.Items, func(l leads.Lead) leadOut {
		out := leadView(l)
		out.ResponseOverdue = l.ResponseOverdue(now)
		return out
	}, page.NextCursor)
}

func (h *Handler) getLeadResponsePolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := h.cfg.Leads.GetResponsePolicy(r.Context())
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, p.Version, leadResponseView(p))
}

func (h *Handler) setLeadResponsePolicy(w http.ResponseWriter, r *http.Request) error {
	want, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in leadResponseIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	pol := leads.ResponsePolicy{Target: time.Duration(in.TargetMinutes) * time.Minute, TimeZone: in.TimeZone,
		WorkdayStart: parseHHMM(&p, "workday_start", in.WorkdayStart), WorkdayEnd: parseHHMM(&p, "workday_end", in.WorkdayEnd)}
	for _, d := range in.Weekdays {
		pol.Weekdays = append(pol.Weekdays, time.Weekday(d))
	}
	if err := collect(r, &p); err != nil {
		return err
	}
	out, err := h.cfg.Leads.SetResponsePolicy(r.Context(), want, pol)
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, out.Version, leadResponseView(out))
}
