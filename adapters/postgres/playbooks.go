package postgres

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/playbooks"
)

// stepDoc is a playbook step as playbooks.steps stores it.
type stepDoc struct {
	Key         string `json:"key"`
	Title       string `json:"title"`
	TitleEn     string `json:"title_en,omitempty"`
	Required    bool   `json:"required,omitempty"`
	DueMinutes  int    `json:"due_minutes,omitempty"`
	CompletesOn string `json:"completes_on,omitempty"`
	OnlyIf      string `json:"only_if,omitempty"`
}

func stepDocsOf(steps []playbooks.Step) []stepDoc {
	out := make([]stepDoc, 0, len(steps))
	for _, s := range steps {
		out = append(out, stepDoc{Key: s.Key, Title: s.Title, TitleEn: s.TitleEn, Required: s.Required, DueMinutes: s.DueMinutes,
			CompletesOn: string(s.CompletesOn), OnlyIf: string(s.OnlyIf)})
	}
	return out
}

func stepsOf(docs []stepDoc) []playbooks.Step {
	out := make([]playbooks.Step, 0, len(docs))
	for _, d := range docs {
		out = append(out, playbooks.Step{Key: d.Key, Title: d.Title, TitleEn: d.TitleEn, Required: d.Required, DueMinutes: d.DueMinutes,
			CompletesOn: crm.StepEventKind(d.CompletesOn), OnlyIf: playbooks.Condition(d.OnlyIf)})
	}
	return out
}

// playbookTable is the row of a stage's playbook: the stage as a column (unique per dealer), the steps a document.
var playbookTable = table[playbooks.Playbook]{
	name: "playbooks",
	cols: []string{"stage_id", "subject", "stage_code", "steps"},
	meta: func(p *playbooks.Playbook) *crm.Meta { return &p.Meta },
	args: func(p *playbooks.Playbook) []any {
		return []any{p.StageID, string(p.Subject), p.StageCode, jsonb{stepDocsOf(p.Steps)}}
	},
	scan: func(p *playbooks.Playbook) ([]any, func()) {
		var subject string
		var docs []stepDoc
		return []any{&p.StageID, &subject, &p.StageCode, jsonb{&docs}}, func() {
			p.Subject, p.Steps = crm.SubjectKind(subject), stepsOf(docs)
		}
	},
}

type playbookStore struct{ t *Tx }

// Playbooks returns the stage-playbook store of this unit of work.
func (t *Tx) Playbooks() playbooks.Store { return playbookStore{t} }

// Playbook returns the stage playbooks as the domains see them, over this unit of work's stores.
func (t *Tx) Playbook() crm.Playbook { return playbooks.Hooks(t) }

func (s playbookStore) GetByStage(ctx context.Context, stageID crm.ID) (playbooks.Playbook, error) {
	out, err := playbookTable.list(ctx, s.t, "stage_id = $2", "id", stageID)
	if err != nil {
		return playbooks.Playbook{}, err
	}
	if len(out) == 0 {
		return playbooks.Playbook{}, crm.NotFound("postgres.playbooks.GetByStage", "stage %s has no playbook", stageID)
	}
	return out[0], nil
}

func (s playbookStore) Create(ctx context.Context, p *playbooks.Playbook) error {
	return playbookTable.create(ctx, s.t, p)
}

func (s playbookStore) Update(ctx context.Context, p *playbooks.Playbook) error {
	return playbookTable.update(ctx, s.t, p)
}

func (s playbookStore) List(ctx context.Context) ([]playbooks.Playbook, error) {
	return playbookTable.list(ctx, s.t, "", "stage_id")
}

var (
	_ playbooks.Stores     = (*Tx)(nil)
	_ playbooks.HookStores = (*Tx)(nil)
)
