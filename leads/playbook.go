package leads

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/crm"
)

// The lead's side of the stage playbooks (crm.Playbook, handed out by Stores.Playbook): creating a lead enters
// stage new, MoveLeadStage leaves one stage and enters another, assigning an owner enters the current stage again
// (the steps a lead without an owner could not get), booking a test drive is an event. All of it runs in the unit of
// work of the change.

// LeadSubject is lead l at its current stage as the playbook sees it. ok is false when the dealer's directory has
// no entry for the stage (a directory never seeded): then the lead has no playbook.
func LeadSubject(ctx context.Context, st LeadStageStore, l Lead) (s crm.StageSubject, ok bool, err error) {
	stage, err := st.GetByCode(ctx, l.Stage)
	if errors.Is(err, crm.ErrNotFound) {
		return crm.StageSubject{}, false, nil
	}
	if err != nil {
		return crm.StageSubject{}, false, err
	}
	return crm.StageSubject{Kind: crm.SubjectLead, ID: l.ID, StageID: stage.ID, OwnerID: l.OwnerID, CustomerID: l.CustomerID}, true, nil
}

// enterLeadStage gives lead l the steps of its current stage; created says l was created in this unit of work
// (crm.StageSubject.Created: it has no task yet).
func enterLeadStage(ctx context.Context, st Stores, l Lead, created bool) error {
	s, ok, err := LeadSubject(ctx, st.LeadStages(), l)
	if !ok || err != nil {
		return err
	}
	s.Created = created
	return st.Playbook().EnterStage(ctx, s)
}

// LeadExit is how a lead leaving stage from for stage to leaves it: dropped when disqualified, back to a stage of
// a lower order, closed when converted, forward otherwise.
func LeadExit(from, to string) crm.StageExit {
	if to == StageDisqualified {
		return crm.ExitDropped
	}
	if to == StageConverted {
		return crm.ExitClosed
	}
	order := map[string]int{}
	for _, s := range DefaultLeadStages() {
		order[s.Code] = s.Order
	}
	if order[to] < order[from] {
		return crm.ExitBack
	}
	return crm.ExitForward
}

// leaveLeadStage asks the playbook whether lead l may leave its current stage for stage to.
func leaveLeadStage(ctx context.Context, st Stores, l Lead, to string) error {
	s, ok, err := LeadSubject(ctx, st.LeadStages(), l)
	if !ok || err != nil {
		return err
	}
	exit := LeadExit(l.Stage, to)
	if exit == crm.ExitForward {
		if s.Passed, err = PassedStages(ctx, st.LeadStages(), l.Stage, to); err != nil {
			return err
		}
	}
	return st.Playbook().LeaveStage(ctx, s, exit)
}

// PassedStages returns the directory IDs of the open lead stages a forward move from stage from to stage to
// skips (strictly between them in the fixed order; for converted, every open stage after from), in order: the
// stages whose required playbook steps the move must honour (crm.StageSubject.Passed). A stage missing from the
// dealer's directory has no playbook and is left out.
func PassedStages(ctx context.Context, st LeadStageStore, from, to string) ([]crm.ID, error) {
	order := map[string]int{}
	for _, s := range DefaultLeadStages() {
		order[s.Code] = s.Order
	}
	var out []crm.ID
	for _, s := range DefaultLeadStages() {
		if s.Kind != StageOpen || s.Order <= order[from] || s.Order >= order[to] {
			continue
		}
		stage, err := st.GetByCode(ctx, s.Code)
		if errors.Is(err, crm.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, stage.ID)
	}
	return out, nil
}
