package playbooks

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
)

// Hooks is crm.Playbook over st, a unit of work's stores: what an adapter's transaction hands out as
// Tx.Playbook(), so that the steps are created, checked and completed in the transaction of the stage change or
// event that calls it.
func Hooks(st HookStores) crm.Playbook { return hooks{st} }

type hooks struct{ st HookStores }

// EnterStage implements crm.Playbook: first the subject's open tasks of the stage are brought to the stage's
// playbook as it is now (refresh), so that a stage entered again follows the current rules; then the stage's
// steps that apply to s and are not open for it already become tasks of the owner (s.OwnerID, else the acting
// user), due DueMinutes of the dealer's working hours after now (leads.ResponsePolicy.AddWorking: the hours the
// response target is counted in). A step whose event has happened already (stepHappened) is created done by
// itself, naming the event, instead of open. A subject the caller created in its unit of work (s.Created) has no
// task to read or refresh.
func (h hooks) EnterStage(ctx context.Context, s crm.StageSubject) error {
	p, err := h.st.Playbooks().GetByStage(ctx, s.StageID)
	if errors.Is(err, crm.ErrNotFound) { // never had a playbook (none is removed): no task of it can be open
		return nil
	}
	if err != nil {
		return err
	}
	var open []activities.Activity
	if !s.Created { // a subject created in this unit of work has no task yet: nothing to read or bring up to date
		if open, err = h.openSteps(ctx, s.Kind, s.ID); err != nil {
			return err
		}
		if err := h.refresh(ctx, s, p, open); err != nil {
			return err
		}
	}
	c, ok, err := h.creator(ctx, s, p)
	if !ok || err != nil {
		return err
	}
	for _, step := range c.p.Steps {
		if !step.applies(s) || hasStep(open, s.StageID, step.Key) {
			continue
		}
		if err := c.create(ctx, h, step); err != nil {
			return err
		}
	}
	return nil
}

// refresh brings the subject's open tasks of its stage (s.StageID) to the stage's playbook as it is now: a task
// whose step is still in the playbook and applies to s takes the step's title, English title, required flag,
// event and due time (DueMinutes of working hours counted from the task's creation, so entering again does not
// move a deadline the playbook did not change); a task whose step was removed from the playbook, or whose
// condition no longer holds, is cancelled (the playbook no longer asks for it). A task written this way is saved
// only when something changed.
func (h hooks) refresh(ctx context.Context, s crm.StageSubject, p Playbook, open []activities.Activity) error {
	now := crm.Now(ctx)
	var hours *leads.ResponsePolicy
	for _, a := range open {
		if a.Step.StageID != s.StageID {
			continue
		}
		in := activities.InputOf(a)
		ref := a.Step
		i := slices.IndexFunc(p.Steps, func(st Step) bool { return st.Key == a.Step.Key })
		if i < 0 || !p.Steps[i].applies(s) {
			in.Status = activities.Cancelled
		} else {
			step := p.Steps[i]
			in.Subject, in.Notes, in.DueAt = step.Title, step.TitleEn, time.Time{}
			ref.Required, ref.CompletesOn = step.Required, step.CompletesOn
			if step.DueMinutes > 0 {
				if hours == nil {
					pol, err := leads.ResponsePolicyIn(ctx, h.st.ResponsePolicies())
					if err != nil {
						return err
					}
					hours = &pol
				}
				in.DueAt = hours.AddWorking(a.CreatedAt, time.Duration(step.DueMinutes)*time.Minute)
			}
			if ref == a.Step && a.Subject == in.Subject && a.Notes == in.Notes && a.DueAt.Equal(in.DueAt) {
				continue
			}
		}
		if err := a.Edit(in, now); err != nil {
			return fmt.Errorf("playbook step %q of stage %s: %w", a.Step.Key, s.StageID, err)
		}
		a.Step = ref
		if err := h.st.Activities().Update(ctx, &a); err != nil {
			return err
		}
	}
	return nil
}

// Reconsider implements crm.Playbook: after a fact the conditions read changed (a sale's payment method) while s
// stays at its stage, the open steps of the stage whose condition no longer holds are
// cancelled, and the conditional steps that now apply and are neither open nor done for s at this stage are
// created (done at once when their event has happened). Unconditional steps are left as they are.
func (h hooks) Reconsider(ctx context.Context, s crm.StageSubject) error {
	p, err := h.st.Playbooks().GetByStage(ctx, s.StageID)
	if errors.Is(err, crm.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	c, ok, err := h.creator(ctx, s, p)
	if !ok || err != nil || !slices.ContainsFunc(c.p.Steps, func(st Step) bool { return st.OnlyIf != "" }) {
		return err
	}
	q := activities.Query{}
	if s.Kind == crm.SubjectLead {
		q.LeadID = s.ID
	} else {
		q.SaleID = s.ID
	}
	all, err := h.list(ctx, q)
	if err != nil {
		return err
	}
	now := crm.Now(ctx)
	for _, step := range c.p.Steps {
		if step.OnlyIf == "" {
			continue
		}
		applies, have := step.applies(s), false
		for _, a := range all {
			if a.Step.StageID != s.StageID || a.Step.Key != step.Key {
				continue
			}
			switch {
			case a.Status == activities.Done:
				have = true
			case a.Status == activities.Open && applies:
				have = true
			case a.Status == activities.Open: // its condition no longer holds: nothing left to do
				in := activities.InputOf(a)
				in.Status = activities.Cancelled
				if err := a.Edit(in, now); err != nil {
					return err
				}
				if err := h.st.Activities().Update(ctx, &a); err != nil {
					return err
				}
			}
		}
		if applies && !have {
			if err := c.create(ctx, h, step); err != nil {
				return err
			}
		}
	}
	return nil
}

// stepCreator makes the tasks of one stage's steps for one subject, in one unit of work.
type stepCreator struct {
	s        crm.StageSubject
	p        Playbook
	owner    crm.ID
	dealer   crm.ID
	now      time.Time
	hours    *leads.ResponsePolicy // the dealer's working hours, read once a step has a due time
	drives   *bool                 // whether s has a booked or completed test drive, read once a step waits for one
	contract *bool                 // whether sale s has a stored purchase contract, read once a step waits for one
}

// creator reads what creating s's steps of playbook p needs: ok is false when nothing is to be created (no owner,
// no steps).
func (h hooks) creator(ctx context.Context, s crm.StageSubject, p Playbook) (stepCreator, bool, error) {
	owner := s.OwnerID
	if owner == (crm.ID{}) {
		owner = crm.ActorFrom(ctx)
	}
	if owner == (crm.ID{}) || len(p.Steps) == 0 {
		return stepCreator{}, false, nil
	}
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return stepCreator{}, false, err
	}
	return stepCreator{s: s, p: p, owner: owner, dealer: dealer, now: crm.Now(ctx)}, true, nil
}

// create saves the task of step: open, or done by itself when its event has happened already.
func (c *stepCreator) create(ctx context.Context, h hooks, step Step) error {
	s := c.s
	in := activities.Input{Kind: activities.Task, Subject: step.Title, Notes: step.TitleEn, OwnerID: c.owner, CustomerID: s.CustomerID}
	if s.Kind == crm.SubjectLead {
		in.LeadID = s.ID
	} else {
		in.SaleID = s.ID
	}
	if step.DueMinutes > 0 {
		if c.hours == nil {
			pol, err := leads.ResponsePolicyIn(ctx, h.st.ResponsePolicies())
			if err != nil {
				return err
			}
			c.hours = &pol
		}
		in.DueAt = c.hours.AddWorking(c.now, time.Duration(step.DueMinutes)*time.Minute)
	}
	a, err := activities.New(c.dealer, in, crm.ActorFrom(ctx), c.now)
	if err != nil {
		return fmt.Errorf("playbook step %q of stage %s: %w", step.Key, s.StageID, err)
	}
	a.Step = activities.StepRef{StageID: s.StageID, Key: step.Key, Required: step.Required, CompletesOn: step.CompletesOn}
	done, err := c.happened(ctx, h, step.CompletesOn)
	if err != nil {
		return err
	}
	if done {
		if err := a.Complete(doneBefore(step.CompletesOn), "", crm.ActorFrom(ctx), c.now); err != nil {
			return err
		}
	}
	return h.st.Activities().Create(ctx, &a)
}

// doneBefore is the result of a step created done because its event happened before the stage was entered.
func doneBefore(e crm.StepEventKind) string {
	return "done by itself: " + string(e) + " (before the step was due)"
}

// happened reports whether event e has happened to the subject already: the caller says so (StageSubject.Happened:
// a sale with a linked credit application), or, for a test drive booked, the lead, the sale's lead or the customer
// has a booked or completed drive, or, for a contract formed, the sale has a stored purchase contract.
func (c *stepCreator) happened(ctx context.Context, h hooks, e crm.StepEventKind) (bool, error) {
	if e == "" {
		return false, nil
	}
	if slices.Contains(c.s.Happened, e) {
		return true, nil
	}
	if e == crm.EventContractFormed && c.s.Kind == crm.SubjectSale {
		if c.contract == nil {
			docs, err := h.st.Documents().ListBySubject(ctx, c.s.ID)
			if err != nil {
				return false, err
			}
			has := slices.ContainsFunc(docs, func(d crm.Document) bool { return d.Kind == sales.ContractDocumentKind })
			c.contract = &has
		}
		return *c.contract, nil
	}
	if e != crm.EventTestDriveBooked {
		return false, nil
	}
	if c.drives == nil {
		has, err := hasDrive(ctx, h.st.TestDrives(), c.s)
		if err != nil {
			return false, err
		}
		c.drives = &has
	}
	return *c.drives, nil
}

// hasDrive reports whether the subject's lead (the lead itself, or the lead a sale came from) or its customer has a
// booked or completed test drive.
func hasDrive(ctx context.Context, st leads.TestDriveStore, s crm.StageSubject) (bool, error) {
	lead := s.LeadID
	if s.Kind == crm.SubjectLead {
		lead = s.ID
	}
	var lists []func() ([]leads.TestDrive, error)
	if lead != (crm.ID{}) {
		lists = append(lists, func() ([]leads.TestDrive, error) { return st.ListByLead(ctx, lead) })
	}
	if s.CustomerID != (crm.ID{}) {
		lists = append(lists, func() ([]leads.TestDrive, error) { return st.ListByCustomer(ctx, s.CustomerID) })
	}
	for _, list := range lists {
		drives, err := list()
		if err != nil {
			return false, err
		}
		for _, d := range drives {
			if d.Status == leads.TestDriveBooked || d.Status == leads.TestDriveCompleted {
				return true, nil
			}
		}
	}
	return false, nil
}

// pass checks the stages a forward move skips (s.Passed, in order) as if each were entered and left at once: a
// required step that applies to s passes when its event has happened already (what would create it done on
// entry: stepCreator.happened); any other refuses the move with a *StepOpenError naming the step — and its open
// task when one is left from an earlier visit, else no activity (none is created). Nothing is written: a skipped
// stage's steps, optional or required, do not become tasks.
func (h hooks) pass(ctx context.Context, s crm.StageSubject, open []activities.Activity) error {
	if len(s.Passed) == 0 {
		return nil
	}
	c := stepCreator{s: s}
	for _, stage := range s.Passed {
		p, err := h.st.Playbooks().GetByStage(ctx, stage)
		if errors.Is(err, crm.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		for _, step := range p.Steps {
			if !step.Required || !step.applies(s) {
				continue
			}
			done, err := c.happened(ctx, h, step.CompletesOn)
			if err != nil {
				return err
			}
			if done {
				continue
			}
			var task crm.ID
			title := step.Title
			if i := slices.IndexFunc(open, func(a activities.Activity) bool { return a.Step.StageID == stage && a.Step.Key == step.Key }); i >= 0 {
				task, title = open[i].ID, open[i].Subject
			}
			return newStepOpenError(stage, step.Key, title, task)
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
		if err := h.pass(ctx, s, open); err != nil {
			return err
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
//
// Steps read ahead by the unit of work (StepsReadAhead) are used instead of listing them.
func (h hooks) StepEvent(ctx context.Context, e crm.StepEvent) error {
	now := crm.Now(ctx)
	if r, ok := h.st.(StepsReadAhead); ok {
		if steps, ok := r.StepsAhead(e); ok {
			for _, a := range steps {
				if err := h.completeOnEvent(ctx, a, e, now); err != nil {
					return err
				}
			}
			return nil
		}
	}
	seen := map[crm.ID]bool{}
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
			if err := h.completeOnEvent(ctx, a, e, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// completeOnEvent completes open step a by the acting user, its result naming event e.
func (h hooks) completeOnEvent(ctx context.Context, a activities.Activity, e crm.StepEvent, now time.Time) error {
	if err := a.Complete("done by itself: "+string(e.Event), "", crm.ActorFrom(ctx), now); err != nil {
		return err
	}
	return h.st.Activities().Update(ctx, &a)
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
