package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

var leadStageRecords = records[leads.LeadStage]{name: "lead_stages", meta: func(s *leads.LeadStage) *crm.Meta { return &s.Meta }}

type leadStageStore struct{ tx *Tx }

// LeadStages returns the lead-stage directory of this unit of work.
func (tx *Tx) LeadStages() leads.LeadStageStore { return leadStageStore{tx} }

func (s leadStageStore) List(ctx context.Context) ([]leads.LeadStage, error) {
	out, err := leadStageRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Code < out[j].Code
	})
	return out, err
}

func (s leadStageStore) GetByCode(ctx context.Context, code string) (leads.LeadStage, error) {
	out, err := leadStageRecords.all(ctx, s.tx, func(l *leads.LeadStage) bool { return l.Code == code })
	if err != nil {
		return leads.LeadStage{}, err
	}
	if len(out) == 0 {
		return leads.LeadStage{}, crm.NotFound("memory.LeadStages.GetByCode", "lead stage %q not found", code)
	}
	return out[0], nil
}

func (s leadStageStore) Create(ctx context.Context, l *leads.LeadStage) error {
	if _, err := s.GetByCode(ctx, l.Code); err == nil {
		return crm.Duplicate("memory.LeadStages.Create", "lead stage %q already exists", l.Code)
	}
	return leadStageRecords.create(ctx, s.tx, l)
}

func (s leadStageStore) Update(ctx context.Context, l *leads.LeadStage) error {
	old, err := leadStageRecords.get(ctx, s.tx, l.ID)
	if err != nil {
		return err
	}
	if old.Code != l.Code {
		return crm.Invalid("memory.LeadStages.Update", crm.FieldError{Field: "code", Message: "cannot change"})
	}
	return leadStageRecords.update(ctx, s.tx, l)
}
