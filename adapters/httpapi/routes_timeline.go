package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/timeline"
)

// The timeline section registers its routes itself (the recipe in docs/architecture.md).
func init() { registerRoutes((*Handler).timelineRoutes) }

// timelineRoutes serve the customer timeline when Config.Timeline is set.
func (h *Handler) timelineRoutes() []route {
	if h.cfg.Timeline == nil {
		return nil
	}
	return []route{
		{Method: "GET", Path: "/api/v1/customers/{id}/timeline", ID: "getCustomerTimeline", Tag: "customers",
			Summary: "Everything that happened with the customer, newest first (ties by record type, record ID and position): activities made and done, lead and sale stage changes, test drives, credit application and appraisal state changes, service appointments and the notices queued to the customer; read from the records, keyset pages",
			Access:  crm.PermRead, Status: 200, Out: listOut[timelineItemOut]{}, Query: withPage(), handle: h.getCustomerTimeline},
	}
}

func (h *Handler) getCustomerTimeline(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	res, err := h.cfg.Timeline.CustomerTimeline(r.Context(), id, pg.Limit, pg.Cursor)
	if err != nil {
		return err
	}
	return writeList(w, res.Items, timelineItemView, res.NextCursor)
}

// timelineItemOut is one item of a customer's timeline.
type timelineItemOut struct {
	At         stamp   `json:"at"`
	Kind       string  `json:"kind" enum:"TimelineKind"`
	Actor      *crm.ID `json:"actor" doc:"the user who did it; null for the system (an import, a notice)"`
	Summary    string  `json:"summary"`
	RecordType string  `json:"record_type" enum:"TimelineRecordType"`
	RecordID   crm.ID  `json:"record_id"`
	From       string  `json:"from,omitempty" doc:"the stage or state left (a notice's topic, an activity's kind)"`
	To         string  `json:"to,omitempty" doc:"the stage or state entered (a test drive's or appointment's status now)"`
	Text       string  `json:"text,omitempty" doc:"a reason, comment, subject or result"`
	Status     string  `json:"status,omitempty" enum:"MessageStatus" doc:"a notice's delivery: pending (not yet delivered, retried), sent or dead (given up on)"`
	Reason     string  `json:"reason,omitempty" doc:"why a notice is not sent (yet): its last failure, e.g. no consent on email"`
}

func timelineItemView(it timeline.Item) timelineItemOut {
	return timelineItemOut{At: stampOf(it.At), Kind: string(it.Kind), Actor: idOut(it.Actor), Summary: it.Summary,
		RecordType: string(it.RecordType), RecordID: it.RecordID, From: it.From, To: it.To, Text: it.Text,
		Status: it.Status, Reason: it.Reason}
}
