package playbooks

import (
	"context"
	"errors"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// Service reads and edits the dealer's playbooks. Each method runs in one unit of work; the dealer comes from the
// context (crm.WithDealer). Every method returns crm.KindForbidden without a dealer; errors are wrapped with the
// method's name and keep their kind.
type Service struct {
	uow crm.UnitOfWork[Stores]
}

// NewService returns a service over uow. It panics when uow is nil: that is a wiring mistake.
func NewService(uow crm.UnitOfWork[Stores]) *Service {
	if uow == nil {
		panic("playbooks.NewService: nil unit of work")
	}
	return &Service{uow: uow}
}

// stageOf finds the dealer's lead stage or sales stage with id: whose it is and its code. KindNotFound if the
// dealer has no stage with that ID.
func stageOf(ctx context.Context, st Stores, id crm.ID) (crm.SubjectKind, string, error) {
	ls, err := st.LeadStages().List(ctx)
	if err != nil {
		return "", "", err
	}
	for _, s := range ls {
		if s.ID == id {
			return crm.SubjectLead, s.Code, nil
		}
	}
	s, err := st.SalesStages().Get(ctx, id)
	if errors.Is(err, crm.ErrNotFound) {
		return "", "", crm.NotFound("playbooks", "the dealer has no lead stage or sales stage %s", id)
	}
	if err != nil {
		return "", "", err
	}
	return crm.SubjectSale, s.Code, nil
}

// GetPlaybook returns the playbook of the dealer's lead stage or sales stage stageID: the stored one, or, when the
// stage has none, an empty one of version 0 (a stage the dealer added later starts without steps).
// crm.KindNotFound if the dealer has no such stage.
func (s *Service) GetPlaybook(ctx context.Context, stageID crm.ID) (Playbook, error) {
	var out Playbook
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		p, err := st.Playbooks().GetByStage(ctx, stageID)
		if err == nil {
			out = p
			return nil
		}
		if !errors.Is(err, crm.ErrNotFound) {
			return err
		}
		subject, code, err := stageOf(ctx, st, stageID)
		if err != nil {
			return err
		}
		out = Playbook{StageID: stageID, Subject: subject, StageCode: code, Steps: []Step{}}
		return nil
	})
	return out, crm.Wrap("playbooks.Service.GetPlaybook", err)
}

// CreatePlaybook stores the first playbook of stage stageID — a stage at version 0, whose steps are none or the
// defaults never stored — with steps (CheckSteps). A stage with a stored playbook is refused with
// ErrVersionRequired: replacing it needs the version read (PutPlaybook), so that a writer who never read it
// cannot overwrite another's steps (over HTTP a PUT without If-Match). crm.KindNotFound for a stage the dealer does
// not have, crm.KindInvalid naming every wrong field.
func (s *Service) CreatePlaybook(ctx context.Context, stageID crm.ID, steps []Step) (Playbook, error) {
	const op = "playbooks.Service.CreatePlaybook"
	var out Playbook
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		subject, code, err := stageOf(ctx, st, stageID)
		if err != nil {
			return err
		}
		steps := append([]Step{}, steps...)
		if err := CheckSteps(subject, steps); err != nil {
			return err
		}
		cur, err := st.Playbooks().GetByStage(ctx, stageID)
		if err == nil {
			return fmt.Errorf("stage %s has a playbook at version %d: %w", stageID, cur.Version, ErrVersionRequired)
		}
		if !errors.Is(err, crm.ErrNotFound) {
			return err
		}
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		p := Playbook{Meta: crm.NewMeta(dealer, crm.Now(ctx)), StageID: stageID, Subject: subject, StageCode: code, Steps: steps}
		if err := st.Playbooks().Create(ctx, &p); err != nil {
			if crm.CodeOf(err) == crm.CodeDuplicate { // another writer created it meanwhile
				return fmt.Errorf("stage %s has a playbook: %w", stageID, ErrVersionRequired)
			}
			return err
		}
		out = p
		return nil
	})
	return out, crm.Wrap(op, err)
}

// PutPlaybook replaces the steps of stage stageID's playbook with steps (CheckSteps), the playbook read at
// expectedVersion (0: unconditional; a stage without a stored playbook is at version 0, and any other expected
// version is stale). Lead and sale already at the stage keep the tasks they have; the new steps apply from the next
// entry. crm.KindNotFound for a stage the dealer does not have, crm.KindStaleVersion, crm.KindInvalid naming
// every wrong field (steps[i].title, ...).
func (s *Service) PutPlaybook(ctx context.Context, stageID crm.ID, expectedVersion int64, steps []Step) (Playbook, error) {
	const op = "playbooks.Service.PutPlaybook"
	var out Playbook
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		subject, code, err := stageOf(ctx, st, stageID)
		if err != nil {
			return err
		}
		steps := append([]Step{}, steps...)
		if err := CheckSteps(subject, steps); err != nil {
			return err
		}
		p, err := st.Playbooks().GetByStage(ctx, stageID)
		switch {
		case errors.Is(err, crm.ErrNotFound):
			if err := crm.CheckVersion(op, 0, expectedVersion); err != nil {
				return err
			}
			dealer, err := crm.DealerFrom(ctx)
			if err != nil {
				return err
			}
			p = Playbook{Meta: crm.NewMeta(dealer, crm.Now(ctx)), StageID: stageID, Subject: subject, StageCode: code, Steps: steps}
			if err := st.Playbooks().Create(ctx, &p); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if err := crm.CheckVersion(op, p.Version, expectedVersion); err != nil {
				return err
			}
			p.Steps, p.StageCode = steps, code
			if err := st.Playbooks().Update(ctx, &p); err != nil {
				return err
			}
		}
		out = p
		return nil
	})
	return out, crm.Wrap(op, err)
}

// StagePlaybook is one stage of the dealer's lead-stage or sales-stage directory with its playbook (an empty one of
// version 0 when the stage has none stored), as ListPlaybooks answers.
type StagePlaybook struct {
	Playbook
	StageName string // the stage's name in the directory (Russian in the seeded directories)
}

// ListPlaybooks returns the playbook of every stage of the dealer: the lead stages in their order, then the sales
// stages in theirs, each with the stage's name; a stage without a stored playbook is at version 0 with no steps.
func (s *Service) ListPlaybooks(ctx context.Context) ([]StagePlaybook, error) {
	var out []StagePlaybook
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		out = out[:0] // fn may run more than once
		stored, err := st.Playbooks().List(ctx)
		if err != nil {
			return err
		}
		byStage := map[crm.ID]Playbook{}
		for _, p := range stored {
			byStage[p.StageID] = p
		}
		add := func(id crm.ID, subject crm.SubjectKind, code, name string) {
			p, ok := byStage[id]
			if !ok {
				p = Playbook{StageID: id, Subject: subject, Steps: []Step{}}
			}
			p.StageCode = code
			out = append(out, StagePlaybook{Playbook: p, StageName: name})
		}
		ls, err := st.LeadStages().List(ctx)
		if err != nil {
			return err
		}
		for _, s := range ls {
			add(s.ID, crm.SubjectLead, s.Code, s.Name)
		}
		ss, err := st.SalesStages().List(ctx)
		if err != nil {
			return err
		}
		for _, s := range ss {
			add(s.ID, crm.SubjectSale, s.Code, s.Name)
		}
		return nil
	})
	return out, crm.Wrap("playbooks.Service.ListPlaybooks", err)
}

// Seed gives the context's dealer the default playbook (DefaultSteps) of every lead stage and sales stage that has
// defaults and no playbook yet, inside the caller's unit of work (so seeding a new dealer's directories and its
// playbooks is one unit). It is idempotent: a stage with a playbook, even an emptied one, is left as it is. It
// returns how many playbooks it created.
func Seed(ctx context.Context, st Stores) (int, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return 0, err
	}
	have, err := st.Playbooks().List(ctx)
	if err != nil {
		return 0, err
	}
	done := map[crm.ID]bool{}
	for _, p := range have {
		done[p.StageID] = true
	}
	type stage struct {
		id      crm.ID
		subject crm.SubjectKind
		code    string
	}
	var stages []stage
	ls, err := st.LeadStages().List(ctx)
	if err != nil {
		return 0, err
	}
	for _, s := range ls {
		stages = append(stages, stage{s.ID, crm.SubjectLead, s.Code})
	}
	ss, err := st.SalesStages().List(ctx)
	if err != nil {
		return 0, err
	}
	for _, s := range ss {
		stages = append(stages, stage{s.ID, crm.SubjectSale, s.Code})
	}
	n := 0
	for _, s := range stages {
		steps := DefaultSteps(s.subject, s.code)
		if done[s.id] || len(steps) == 0 {
			continue
		}
		p := Playbook{Meta: crm.NewMeta(dealer, crm.Now(ctx)), StageID: s.id, Subject: s.subject, StageCode: s.code, Steps: steps}
		if err := st.Playbooks().Create(ctx, &p); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
