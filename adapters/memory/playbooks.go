package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/playbooks"
)

var playbookRecords = records[playbooks.Playbook]{name: "playbooks",
	meta: func(p *playbooks.Playbook) *crm.Meta { return &p.Meta }, clone: playbooks.Playbook.Clone}

type playbookStore struct{ tx *Tx }

// Playbooks returns the stage-playbook store of this unit of work.
func (tx *Tx) Playbooks() playbooks.Store { return playbookStore{tx} }

// Playbook returns the stage playbooks as the domains see them, over this unit of work's stores.
func (tx *Tx) Playbook() crm.Playbook { return playbooks.Hooks(tx) }

func (s playbookStore) GetByStage(ctx context.Context, stageID crm.ID) (playbooks.Playbook, error) {
	all, err := playbookRecords.all(ctx, s.tx, func(p *playbooks.Playbook) bool { return p.StageID == stageID })
	if err != nil {
		return playbooks.Playbook{}, err
	}
	if len(all) == 0 {
		return playbooks.Playbook{}, crm.NotFound("memory.Playbooks.GetByStage", "stage %s has no playbook", stageID)
	}
	return all[0], nil
}

func (s playbookStore) Create(ctx context.Context, p *playbooks.Playbook) error {
	if _, err := s.GetByStage(ctx, p.StageID); err == nil {
		return crm.Duplicate("memory.Playbooks.Create", "stage %s already has a playbook", p.StageID)
	}
	return playbookRecords.create(ctx, s.tx, p)
}

func (s playbookStore) Update(ctx context.Context, p *playbooks.Playbook) error {
	return playbookRecords.update(ctx, s.tx, p)
}

func (s playbookStore) List(ctx context.Context) ([]playbooks.Playbook, error) {
	out, err := playbookRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool { return out[i].StageID.String() < out[j].StageID.String() })
	return out, err
}

var (
	_ playbooks.Stores     = (*Tx)(nil)
	_ playbooks.HookStores = (*Tx)(nil)
)
