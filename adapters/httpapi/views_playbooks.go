package httpapi

import (
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/playbooks"
)

// stepIO is one step of a playbook, in and out.
type stepIO struct {
	Key         string `json:"key" oa:"required" max:"64" doc:"stable name, unique in the playbook: lower-case letters, digits, _"`
	Title       string `json:"title" oa:"required" max:"200" doc:"the task's subject"`
	TitleEn     string `json:"title_en,omitempty" max:"200" doc:"the English title"`
	Required    bool   `json:"required,omitempty" doc:"the lead or sale cannot move forward from the stage while the task is open, nor skip the stage unless the step's event has happened (409 playbook_step_open)"`
	DueMinutes  int    `json:"due_minutes,omitempty" doc:"the task is due this many minutes after the stage is entered; 0: no due time"`
	CompletesOn string `json:"completes_on,omitempty" enum:"PlaybookEvent" doc:"the event that completes the task by itself"`
	OnlyIf      string `json:"only_if,omitempty" enum:"PlaybookCondition" doc:"created only for sales paid by credit (sales stages)"`
}

// playbookIn is the body of PUT /api/v1/playbooks/{stage_id}: the whole list of steps.
type playbookIn struct {
	Steps []stepIO `json:"steps" oa:"required"`
}

func (in playbookIn) steps() []playbooks.Step {
	out := make([]playbooks.Step, 0, len(in.Steps))
	for _, s := range in.Steps {
		out = append(out, playbooks.Step{Key: s.Key, Title: s.Title, TitleEn: s.TitleEn, Required: s.Required, DueMinutes: s.DueMinutes,
			CompletesOn: crm.StepEventKind(s.CompletesOn), OnlyIf: playbooks.Condition(s.OnlyIf)})
	}
	return out
}

// playbookOut is a stage's playbook as answers show it.
type playbookOut struct {
	StageID   crm.ID   `json:"stage_id"`
	Subject   string   `json:"subject" enum:"PlaybookSubject"`
	StageCode string   `json:"stage_code"`
	Steps     []stepIO `json:"steps"`
	Version   int64    `json:"version" doc:"0 while the stage has no playbook"`
	UpdatedAt *stamp   `json:"updated_at"`
}

func playbookView(p playbooks.Playbook) playbookOut {
	out := playbookOut{StageID: p.StageID, Subject: string(p.Subject), StageCode: p.StageCode, Steps: []stepIO{}, Version: p.Version}
	for _, s := range p.Steps {
		out.Steps = append(out.Steps, stepIO{Key: s.Key, Title: s.Title, TitleEn: s.TitleEn, Required: s.Required, DueMinutes: s.DueMinutes,
			CompletesOn: string(s.CompletesOn), OnlyIf: string(s.OnlyIf)})
	}
	if p.Version > 0 {
		out.UpdatedAt = stampPtr(&p.UpdatedAt)
	}
	return out
}

// stagePlaybookOut is one item of GET /api/v1/playbooks: a stage with its playbook.
type stagePlaybookOut struct {
	playbookOut
	Kind      string `json:"kind" enum:"PlaybookSubject" doc:"lead: a lead stage's; sale: a sales stage's (the same as subject)"`
	StageName string `json:"stage_name" doc:"the stage's name in the dealer's directory"`
}

func stagePlaybookView(p playbooks.StagePlaybook) stagePlaybookOut {
	return stagePlaybookOut{playbookOut: playbookView(p.Playbook), Kind: string(p.Subject), StageName: p.StageName}
}
