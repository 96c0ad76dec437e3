package playbooks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
)

// Hooks is crm.Playbook over st, a unit of work's stores: what an adapter's transaction hands out as
// Tx.Playbook(), so that the steps are created, checked and completed in the transaction of the stage change or
// event that calls it.
func Hooks(st HookStores) crm.Playbook { return hooks{st} }

type hooks struct{ st HookStores }

// EnterStage implements crm.Playbook: the stage's steps that apply to s and are not open for it already become
// open tasks of the owner (s.OwnerID, else the acting user), due DueMinutes after now.
func (h hooks) EnterStage(ctx context.Context, s crm.StageSubject) error {
	owner := s.OwnerID
	if owner == (crm.ID{}) {
		owner = crm.ActorFrom(ctx)
	}
	if owner == (crm.ID{}) {
		return nil
	}
	p, err := h.st.Playbooks().GetByStage(ctx, s.StageID)
	if errors.Is(err, crm.ErrNotFound) {
		return nil
	}
	if err != nil || len(p.Steps) == 0 {
		return err
	}
	open, err := h.openSteps(ctx, s.Kind, s.ID)
	if err != nil {
		return err
	}
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	now := crm.Now(ctx)
	for _, step := range p.Steps {
		if !step.applies(s) || hasStep(open, s.StageID, step.Key) {
			continue
		}
		in := activities.Input{Kind: activities.Task, Subject: step.Title, Notes: step.TitleEn, OwnerID: owner, CustomerID: s.CustomerID}
		if s.Kind == crm.SubjectLead {
			in.LeadID = s.ID
		} else {
			in.SaleID = s.ID
		}
		if step.DueMinutes > 0 {
			in.DueAt = now.Add(time.Duration(step.DueMinutes) * time.Minute)
		}
		a, err := activities.New(dealer, in, crm.ActorFrom(ctx), now)
		if err != nil {
			return fmt.Errorf("playbook step %q of stage %s: %w", step.Key, s.StageID, err)
		}
		a.Step = activities.StepRef{StageID: s.StageID, Key: step.Key, Required: step.Required, CompletesOn: step.CompletesOn}
		if err := h.st.Activities().Create(ctx, &a); err != nil {
			return err
		}
	}
	return nil
}

func hasStep(open []activities.Activity, stage crm.ID, key string) bool {
	for _, a := range open {
		if a.Step.StageID == stage && a.Step.Key == key {
			return true
		}
	}
	return false
}

// LeaveStage implements crm.Playbook.
func (h hooks) LeaveStage(ctx context.Context, s crm.StageSubject, exit crm.StageExit) error {
	if exit == crm.ExitBack {
		return nil
	}
	open, err := h.openSteps(ctx, s.Kind, s.ID)
	if err != nil {
		return err
	}
	if exit != crm.ExitDropped {
		for _, a := range open {
			if a.Step.StageID == s.StageID && a.Step.Required {
				return newStepOpenError(s.StageID, a.Step.Key, a.Subject, a.ID)
			}
		}
	}
	if exit != crm.ExitDropped && exit != crm.ExitClosed {
		return nil
	}
	// dropped, or closed (won, converted): no step of the subject is left to do
	now := crm.Now(ctx)
	for _, a := range open {
		in := activities.InputOf(a)
		in.Status = activities.Cancelled
		if err := a.Edit(in, now); err != nil {
			return err
		}
		if err := h.st.Activities().Update(ctx, &a); err != nil {
			return err
		}
	}
	return nil
}

// StepEvent implements crm.Playbook: the open steps waiting for e.Event of e's lead, sale or customer are completed
// by the acting user, their result naming the event.
func (h hooks) StepEvent(ctx context.Context, e crm.StepEvent) error {
	seen := map[crm.ID]bool{}
	now := crm.Now(ctx)
	for _, q := range []activities.Query{{LeadID: e.LeadID}, {SaleID: e.SaleID}, {CustomerID: e.CustomerID}} {
		if q == (activities.Query{}) {
			continue
		}
		q.Status = activities.Open
		list, err := h.list(ctx, q)
		if err != nil {
			return err
		}
		for _, a := range list {
			if seen[a.ID] || a.Step.CompletesOn != e.Event {
				continue
			}
			seen[a.ID] = true
			if err := a.Complete("done by itself: "+string(e.Event), "", crm.ActorFrom(ctx), now); err != nil {
				return err
			}
			if err := h.st.Activities().Update(ctx, &a); err != nil {
				return err
			}
		}
	}
	return nil
}

// openSteps are the open playbook tasks of the lead or sale.
func (h hooks) openSteps(ctx context.Context, kind crm.SubjectKind, id crm.ID) ([]activities.Activity, error) {
	q := activities.Query{Status: activities.Open}
	if kind == crm.SubjectLead {
		q.LeadID = id
	} else {
		q.SaleID = id
	}
	return h.list(ctx, q)
}

// list reads every page of q, keeping the playbook steps.
func (h hooks) list(ctx context.Context, q activities.Query) ([]activities.Activity, error) {
	var out []activities.Activity
	q.Limit = crm.MaxPageLimit
	for {
		page, err := h.st.Activities().List(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, a := range page.Items {
			if !a.Step.IsZero() {
				out = append(out, a)
			}
		}
		if page.NextCursor == "" {
			return out, nil
		}
		q.Cursor = page.NextCursor
	}
}
