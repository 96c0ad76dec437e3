package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

var needTypeRecords = records[leads.NeedType]{name: "need_types", meta: func(n *leads.NeedType) *crm.Meta { return &n.Meta }}

type needTypeStore struct{ tx *Tx }

// NeedTypes returns the need-type directory of this unit of work.
func (tx *Tx) NeedTypes() leads.NeedTypeStore { return needTypeStore{tx} }

func (s needTypeStore) List(ctx context.Context) ([]leads.NeedType, error) {
	out, err := needTypeRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Code < out[j].Code
	})
	return out, err
}

func (s needTypeStore) GetByCode(ctx context.Context, code string) (leads.NeedType, error) {
	out, err := needTypeRecords.all(ctx, s.tx, func(n *leads.NeedType) bool { return n.Code == code })
	if err != nil {
		return leads.NeedType{}, err
	}
	if len(out) == 0 {
		return leads.NeedType{}, crm.NotFound("memory.NeedTypes.GetByCode", "need type %q not found", code)
	}
	return out[0], nil
}

func (s needTypeStore) Create(ctx context.Context, n *leads.NeedType) error {
	if _, err := s.GetByCode(ctx, n.Code); err == nil {
		return crm.Duplicate("memory.NeedTypes.Create", "need type %q already exists", n.Code)
	}
	return needTypeRecords.create(ctx, s.tx, n)
}

func (s needTypeStore) Update(ctx context.Context, n *leads.NeedType) error {
	old, err := needTypeRecords.get(ctx, s.tx, n.ID)
	if err != nil {
		return err
	}
	if old.Code != n.Code {
		return crm.Invalid("memory.NeedTypes.Update", crm.FieldError{Field: "code", Message: "cannot change"})
	}
	return needTypeRecords.update(ctx, s.tx, n)
}
