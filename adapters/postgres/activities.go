package postgres

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
)

// activityTable is the row of an activity: its links as nullable columns (checked by the service, which the
// customer merge keeps true), its due and completion times nullable.
var activityTable = table[activities.Activity]{
	name: "activities",
	cols: []string{"kind", "subject", "notes", "lead_id", "sale_id", "customer_id", "customer_vehicle_id", "owner_id",
		"due_at", "status", "result", "outcome", "completed_at", "completed_by", "created_by",
		"step_stage_id", "step_key", "step_required", "step_completes_on"},
	meta: func(a *activities.Activity) *crm.Meta { return &a.Meta },
	args: func(a *activities.Activity) []any {
		return []any{string(a.Kind), a.Subject, a.Notes, nullID(a.LeadID), nullID(a.SaleID), nullID(a.CustomerID),
			nullID(a.CustomerVehicleID), a.OwnerID, salesNullTime(a.DueAt), string(a.Status), a.Result, string(a.Outcome),
			salesNullTime(a.CompletedAt), nullID(a.CompletedBy), nullID(a.CreatedBy),
			nullID(a.Step.StageID), a.Step.Key, a.Step.Required, string(a.Step.CompletesOn)}
	},
	scan: func(a *activities.Activity) ([]any, func()) {
		var kind, status, outcome string
		var lead, sale, customer, cv, completedBy, createdBy, stepStage uuid.NullUUID
		var due, completed sql.Null[time.Time]
		var completesOn string
		return []any{&kind, &a.Subject, &a.Notes, &lead, &sale, &customer, &cv, &a.OwnerID, &due, &status, &a.Result,
				&outcome, &completed, &completedBy, &createdBy, &stepStage, &a.Step.Key, &a.Step.Required, &completesOn}, func() {
				a.Step.StageID, a.Step.CompletesOn = stepStage.UUID, crm.StepEventKind(completesOn)
				a.Kind, a.Status, a.Outcome = activities.Kind(kind), activities.Status(status), activities.Outcome(outcome)
				a.LeadID, a.SaleID, a.CustomerID, a.CustomerVehicleID = lead.UUID, sale.UUID, customer.UUID, cv.UUID
				a.CompletedBy, a.CreatedBy = completedBy.UUID, createdBy.UUID
				a.DueAt, a.CompletedAt = salesTime(due), salesTime(completed)
			}
	},
}

type activityStore struct{ t *Tx }

// Activities returns the activity store of this unit of work.
func (t *Tx) Activities() activities.Store { return activityStore{t} }

func (s activityStore) Get(ctx context.Context, id crm.ID) (activities.Activity, error) {
	return activityTable.get(ctx, s.t, id)
}

func (s activityStore) Create(ctx context.Context, a *activities.Activity) error {
	s.t.ahead = nil // the steps read ahead may no longer be all
	return activityTable.create(ctx, s.t, a)
}

func (s activityStore) Update(ctx context.Context, a *activities.Activity) error {
	s.t.ahead = nil
	return activityTable.update(ctx, s.t, a)
}

func (s activityStore) List(ctx context.Context, q activities.Query) (activities.Page, error) {
	at, after, err := activities.List.DecodeTime("postgres.Activities.List", q.Cursor)
	if err != nil {
		return activities.Page{}, err
	}
	limit := crm.PageLimit(q.Limit)
	args := params{}
	arg := func(v any) string { return args.add(v) }
	args.add(nil) // $1 is the dealer, given by list
	var where []string
	for col, id := range map[string]crm.ID{"owner_id": q.OwnerID, "lead_id": q.LeadID, "sale_id": q.SaleID, "customer_id": q.CustomerID} {
		if id != (crm.ID{}) {
			where = append(where, col+" = "+arg(id))
		}
	}
	if q.Status != "" {
		where = append(where, "status = "+arg(string(q.Status)))
	}
	if !q.DueBefore.IsZero() {
		where = append(where, "due_at < "+arg(q.DueBefore.UTC())+"::timestamptz")
	}
	if q.Cursor != "" {
		where = append(where, "(created_at, id) < ("+arg(at)+"::timestamptz, "+arg(after)+"::uuid)")
	}
	out, err := activityTable.list(ctx, s.t, strings.Join(where, " AND "),
		"created_at DESC, id DESC LIMIT "+arg(limit+1), args[1:]...)
	if err != nil {
		return activities.Page{}, err
	}
	page := activities.Page{Items: out}
	if len(out) > limit {
		last := out[limit-1]
		page.Items, page.NextCursor = out[:limit], activities.List.TimeCursor(last.CreatedAt, last.ID)
	}
	if page.Items == nil {
		page.Items = []activities.Activity{}
	}
	return page, nil
}

var _ activities.Stores = (*Tx)(nil)
