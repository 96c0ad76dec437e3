package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
)

// The activities section registers its routes itself (the recipe in docs/architecture.md).
func init() { registerRoutes((*Handler).activityRoutes, activities.Codes()...) }

// activityRoutes serve the users' activities when Config.Activities is set: the list with its filters, create,
// change (cancel, reopen) and complete.
func (h *Handler) activityRoutes() []route {
	if h.cfg.Activities == nil {
		return nil
	}
	a := h.cfg.Activities
	return []route{
		{Method: "GET", Path: "/api/v1/activities", ID: "listActivities", Tag: "activities",
			Summary: "List activities, newest first; a user's open and overdue ones with owner_id, status=open and due_before=now",
			Access:  crm.PermRead, Status: 200, Out: listOut[activityOut]{}, handle: h.listActivities,
			Query: withPage(
				param{Name: "owner_id", Type: "uuid", Desc: "only this user's"},
				param{Name: "status", Of: "ActivityStatus"},
				param{Name: "due_before", Type: "date-time", Desc: "only those due before this instant (RFC 3339)"},
				param{Name: "lead_id", Type: "uuid"},
				param{Name: "sale_id", Type: "uuid"},
				param{Name: "customer_id", Type: "uuid", Desc: "the customer's, including those of their leads, sales and cars"})},
		{Method: "POST", Path: "/api/v1/activities", ID: "createActivity", Tag: "activities",
			Summary: "Add a call, meeting, e-mail, task or note on a lead, sale, customer or customer vehicle; 422 names every wrong field and every link that is not the dealer's",
			Access:  crm.PermEditActivities, Body: activityIn{}, Status: 201, Out: activityOut{}, ETag: true, handle: h.createActivity,
			Example: obj{"kind": "call", "subject": "Перезвонить по комплектации", "customer_id": exCustomer,
				"due_at": "2026-12-01T09:00:00.000000Z", "notes": "Интересуется Vesta Cross"}},
		{Method: "GET", Path: "/api/v1/activities/{id}", ID: "getActivity", Tag: "activities",
			Summary: "Get an activity", Access: crm.PermRead, Status: 200, Out: activityOut{}, ETag: true,
			handle: func(w http.ResponseWriter, r *http.Request) error {
				return getByID(a.Get, activityViewAt(h.clockNow()))(w, r)
			}},
		{Method: "PATCH", Path: "/api/v1/activities/{id}", ID: "updateActivity", Tag: "activities", IfMatch: true,
			Summary: "Change an activity (a JSON merge patch of its create body); status cancelled cancels it, open reopens it; 409 activity_not_open when a done or cancelled activity is changed without reopening",
			Access:  crm.PermEditActivities, Body: activityIn{}, Example: obj{"due_at": "2026-12-02T09:00:00.000000Z", "subject": "Перезвонить завтра"},
			Status: 200, Out: activityOut{}, ETag: true, handle: h.updateActivity},
		{Method: "POST", Path: "/api/v1/activities/{id}/complete", ID: "completeActivity", Tag: "activities", IfMatch: true,
			Summary: "Complete an open activity with its result (a call with its outcome); 409 activity_not_open when it is done or cancelled",
			Access:  crm.PermEditActivities, Body: activityCompleteIn{}, Example: obj{"result": "Клиент записан на тест-драйв", "outcome": "reached"},
			Status: 200, Out: activityOut{}, ETag: true, handle: h.completeActivity},
	}
}

// clockNow is the handler's clock's instant.
func (h *Handler) clockNow() time.Time { return h.clock.Now().UTC() }

func (h *Handler) listActivities(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := queryOf(r)
	var p crm.Problems
	aq := activities.Query{OwnerID: parseIDField(&p, "owner_id", q.Get("owner_id")), Status: activities.Status(q.Get("status")),
		DueBefore: parseTime(&p, "due_before", q.Get("due_before")), LeadID: parseIDField(&p, "lead_id", q.Get("lead_id")),
		SaleID: parseIDField(&p, "sale_id", q.Get("sale_id")), CustomerID: parseIDField(&p, "customer_id", q.Get("customer_id")),
		Limit: pg.Limit, Cursor: pg.Cursor}
	if aq.Status != "" && !aq.Status.Valid() {
		p.Add("status", "must be open, done or cancelled")
	}
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	res, err := h.cfg.Activities.List(r.Context(), aq)
	if err != nil {
		return err
	}
	return writeList(w, res.Items, activityViewAt(h.clockNow()), res.NextCursor)
}

func (h *Handler) createActivity(w http.ResponseWriter, r *http.Request) error {
	var in activityIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	ai := in.input(&p)
	if err := collect(r, &p); err != nil {
		return err
	}
	a, err := h.cfg.Activities.Create(r.Context(), ai)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/activities/"+a.ID.String())
	return writeRecord(w, http.StatusCreated, a.Version, activityViewAt(h.clockNow())(a))
}

// updateActivity applies a merge patch of the activity's create body.
func (h *Handler) updateActivity(w http.ResponseWriter, r *http.Request) error {
	return patchByID(h.cfg.Activities.Get, activityInOf, nil,
		func(ctx context.Context, id crm.ID, version int64, _ activities.Activity, in activityIn) (activities.Activity, error) {
			var p crm.Problems
			ai := in.input(&p)
			if err := collect(r, &p); err != nil {
				return activities.Activity{}, err
			}
			return h.cfg.Activities.Update(ctx, id, version, ai)
		}, activityViewAt(h.clockNow()))(w, r)
}

func (h *Handler) completeActivity(w http.ResponseWriter, r *http.Request) error {
	id, want, in, err := readAction[activityCompleteIn](r)
	if err != nil {
		return err
	}
	a, err := h.cfg.Activities.Complete(r.Context(), id, want, in.Result, activities.Outcome(in.Outcome))
	if err != nil {
		return err
	}
	return writeRecord(w, http.StatusOK, a.Version, activityViewAt(h.clockNow())(a))
}
