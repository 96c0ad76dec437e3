package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
)

var activityRecords = records[activities.Activity]{name: "activities",
	meta: func(a *activities.Activity) *crm.Meta { return &a.Meta }}

type activityStore struct{ tx *Tx }

// Activities returns the activity store of this unit of work.
func (tx *Tx) Activities() activities.Store { return activityStore{tx} }

func (s activityStore) Get(ctx context.Context, id crm.ID) (activities.Activity, error) {
	return activityRecords.get(ctx, s.tx, id)
}

func (s activityStore) Create(ctx context.Context, a *activities.Activity) error {
	return activityRecords.create(ctx, s.tx, a)
}

func (s activityStore) Update(ctx context.Context, a *activities.Activity) error {
	return activityRecords.update(ctx, s.tx, a)
}

func (s activityStore) List(ctx context.Context, q activities.Query) (activities.Page, error) {
	at, after, err := activities.List.DecodeTime("memory.Activities.List", q.Cursor)
	if err != nil {
		return activities.Page{}, err
	}
	out, err := activityRecords.all(ctx, s.tx, func(a *activities.Activity) bool {
		if !q.Match(*a) {
			return false
		}
		return q.Cursor == "" || a.CreatedAt.Before(at) || (a.CreatedAt.Equal(at) && a.ID.String() < after.String())
	})
	if err != nil {
		return activities.Page{}, err
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID.String() > out[j].ID.String()
	})
	limit := crm.PageLimit(q.Limit)
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
