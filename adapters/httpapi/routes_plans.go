package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
)

// The sales-plan section registers its routes itself (the recipe in docs/architecture.md).
func init() { registerRoutes((*Handler).planRoutes, plans.Codes()...) }

// planRoutes serve the sales plans when Config.Plans is set. Every role reads plans and their progress (the
// dealer's figures are everyone's); setting and changing a plan is the dealer's administration's
// (settings.edit): a plan is a target given to the sales managers, not set by them.
func (h *Handler) planRoutes() []route {
	if h.cfg.Plans == nil {
		return nil
	}
	ps := h.cfg.Plans
	return []route{
		{Method: "GET", Path: "/api/v1/sales-plans", ID: "listSalesPlans", Tag: "analytics",
			Summary: "List sales plans by start; those with a day in [from, to) and of one manager with owner_id. Accept: text/csv gives CSV",
			Access:  crm.PermRead, Status: 200, CSV: true, Out: listOut[planOut]{}, handle: h.listPlans,
			Query: withPage(param{Name: "from", Type: "date", Desc: "YYYY-MM-DD or RFC 3339: only plans ending after it"},
				param{Name: "to", Type: "date", Desc: "YYYY-MM-DD or RFC 3339: only plans starting before it"},
				param{Name: "owner_id", Type: "uuid", Desc: "only this manager's plans"})},
		{Method: "POST", Path: "/api/v1/sales-plans", ID: "createSalesPlan", Tag: "analytics",
			Summary: "Set a sales plan for a month, quarter or year, for the dealer or a scope (manager, make and model, need type); 409 sales_plan_overlap when another plan of the scope covers one of its days",
			Access:  crm.PermEditSettings, Body: planIn{}, Status: 201, Out: planOut{}, ETag: true, handle: h.createPlan,
			Example: obj{"period": "month", "start": "2027-03-01", "target_units": 25,
				"target_revenue": obj{"amount": "45000000.00", "currency": "RUB"}, "name": "План марта"}},
		{Method: "GET", Path: "/api/v1/sales-plans/{id}", ID: "getSalesPlan", Tag: "analytics",
			Summary: "Get a sales plan", Access: crm.PermRead, Status: 200, Out: planOut{}, ETag: true,
			handle: func(w http.ResponseWriter, r *http.Request) error { return getByID(ps.GetPlan, planView)(w, r) }},
		{Method: "PATCH", Path: "/api/v1/sales-plans/{id}", ID: "updateSalesPlan", Tag: "analytics", IfMatch: true,
			Summary: "Change a sales plan (a JSON merge patch of its create body); the earlier version is kept (GET .../revisions); 409 sales_plan_overlap",
			Access:  crm.PermEditSettings, Body: planIn{}, Example: obj{"target_units": 30},
			Status: 200, Out: planOut{}, ETag: true, handle: h.updatePlan},
		{Method: "GET", Path: "/api/v1/sales-plans/{id}/revisions", ID: "listSalesPlanRevisions", Tag: "analytics",
			Summary: "Every version of a sales plan, oldest first: its values, when and by whom they were set",
			Access:  crm.PermRead, Status: 200, Out: listOut[planRevisionOut]{}, handle: h.listPlanRevisions, Query: withPage()},
		{Method: "GET", Path: "/api/v1/sales-plans/{id}/progress", ID: "getSalesPlanProgress", Tag: "analytics",
			Summary: "How far a sales plan is fulfilled: targets, won units and revenue, completion and forecast (docs/analytics.md). Accept: text/csv gives CSV",
			Access:  crm.PermRead, Status: 200, CSV: true, Out: planProgressOut{}, handle: h.getPlanProgress},
	}
}

func (h *Handler) listPlans(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	q := queryOf(r)
	var p crm.Problems
	from, to := dayBound(&p, "from", q.Get("from")), dayBound(&p, "to", q.Get("to"))
	owner := parseIDField(&p, "owner_id", q.Get("owner_id"))
	if err := p.Err("httpapi"); err != nil {
		return err
	}
	list, err := h.cfg.Plans.ListPlans(r.Context(), from, to, owner)
	if err != nil {
		return err
	}
	list, next, err := paginate(list, func(p plans.Plan) string { return p.ID.String() }, pg)
	if err != nil {
		return err
	}
	items := mapList(list, planView)
	return writeReport(w, r, listOf(items, next), func() reportTable { return planListTable(items) })
}

func (h *Handler) createPlan(w http.ResponseWriter, r *http.Request) error {
	var in planIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var p crm.Problems
	pi := in.input(&p)
	if err := collect(r, &p); err != nil {
		return err
	}
	plan, err := h.cfg.Plans.CreatePlan(r.Context(), pi)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/sales-plans/"+plan.ID.String())
	return writeRecord(w, http.StatusCreated, plan.Version, planView(plan))
}

func (h *Handler) updatePlan(w http.ResponseWriter, r *http.Request) error {
	return patchByID(h.cfg.Plans.GetPlan, planInOf, nil,
		func(ctx context.Context, id crm.ID, version int64, _ plans.Plan, in planIn) (plans.Plan, error) {
			var p crm.Problems
			pi := in.input(&p)
			if err := collect(r, &p); err != nil {
				return plans.Plan{}, err
			}
			return h.cfg.Plans.UpdatePlan(ctx, id, version, pi)
		}, planView)(w, r)
}

func (h *Handler) listPlanRevisions(w http.ResponseWriter, r *http.Request) error {
	pg, err := h.pageOf(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	revs, err := h.cfg.Plans.ListPlanRevisions(r.Context(), id)
	if err != nil {
		return err
	}
	revs, next, err := paginate(revs, func(r plans.Revision) string { return strconv.FormatInt(r.Version, 10) }, pg)
	if err != nil {
		return err
	}
	return writeList(w, revs, planRevisionView, next)
}

func (h *Handler) getPlanProgress(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := h.cfg.Plans.GetPlanProgress(r.Context(), id)
	if err != nil {
		return err
	}
	out := planProgressView(pr)
	return writeReport(w, r, out, out.table)
}
