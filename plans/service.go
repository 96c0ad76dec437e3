package plans

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Service keeps the dealer's sales plans and measures them. Each method runs in one unit of work; the dealer
// comes from the context (crm.WithDealer), the acting user from crm.ActorFrom. Every method returns
// crm.KindForbidden without a dealer; errors are wrapped with the method's name and keep their kind and code.
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
}

// NewService returns a service over uow, taking the time from clock (crm.SystemClock when nil). It panics when
// uow is nil: that is a wiring mistake, not a runtime condition.
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock) *Service {
	if uow == nil {
		panic("plans.NewService: nil unit of work")
	}
	if clock == nil {
		clock = crm.SystemClock{}
	}
	return &Service{uow: uow, clock: clock}
}

// CreatePlan validates in (New), checks that the scope's manager is a user of the dealer and its need type one
// of the dealer's, and saves the plan with its first revision. It returns crm.KindInvalid naming every wrong
// field ("scope.owner_id", "scope.need_type" too) and ErrOverlap when another plan of the scope covers one of its
// days; nothing is saved then.
func (s *Service) CreatePlan(ctx context.Context, in Input) (Plan, error) {
	var out Plan
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		var pr crm.Problems
		if err := checkScope(ctx, st, &pr, in.Scope); err != nil {
			return err
		}
		p, err := New(dealer, in, crm.Now(ctx))
		pr.Merge("", err)
		if err := pr.Err("plans"); err != nil {
			return err
		}
		if err := st.Plans().Create(ctx, &p); err != nil {
			return err
		}
		out = p
		return st.Plans().AddRevision(ctx, RevisionOf(p, crm.ActorFrom(ctx)))
	})
	return out, crm.Wrap("plans.Service.CreatePlan", err)
}

// UpdatePlan replaces the plan's period, scope and targets with in (the rules of CreatePlan) on the version the
// caller read (0: unconditional), keeping the new version as a revision beside the earlier ones. Values equal to
// the stored ones write nothing and keep the version. It returns crm.KindStaleVersion, crm.KindNotFound,
// crm.KindInvalid and ErrOverlap.
func (s *Service) UpdatePlan(ctx context.Context, id crm.ID, expectedVersion int64, in Input) (Plan, error) {
	var out Plan
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		p, err := st.Plans().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("sales plan", p.Version, expectedVersion); err != nil {
			return err
		}
		var pr crm.Problems
		if err := checkScope(ctx, st, &pr, in.Scope); err != nil {
			return err
		}
		next := p
		pr.Merge("", next.Apply(in, crm.Now(ctx)))
		if err := pr.Err("plans"); err != nil {
			return err
		}
		if next.Input().Same(p.Input()) {
			out = p
			return nil
		}
		if err := st.Plans().Update(ctx, &next); err != nil {
			return err
		}
		out = next
		return st.Plans().AddRevision(ctx, RevisionOf(next, crm.ActorFrom(ctx)))
	})
	return out, crm.Wrap("plans.Service.UpdatePlan", err)
}

// checkScope records "scope.owner_id" when the manager is not a user of the dealer and "scope.need_type" when the
// need type is not one of the dealer's; other errors are returned.
func checkScope(ctx context.Context, st Stores, pr *crm.Problems, sc Scope) error {
	if sc.OwnerID != (crm.ID{}) {
		if _, err := st.Users().Get(ctx, sc.OwnerID); crm.KindOf(err) == crm.KindNotFound {
			pr.Add("scope.owner_id", "is not a user of the dealer")
		} else if err != nil {
			return err
		}
	}
	if sc.NeedType != "" {
		if _, err := st.NeedTypes().GetByCode(ctx, sc.NeedType); crm.KindOf(err) == crm.KindNotFound {
			pr.Add("scope.need_type", "is not one of the dealer's need types")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// GetPlan returns the plan; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetPlan(ctx context.Context, id crm.ID) (Plan, error) {
	var out Plan
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Plans().Get(ctx, id)
		return err
	})
	return out, crm.Wrap("plans.Service.GetPlan", err)
}

// ListPlans returns the plans with a day in [from, to) (zero bounds do not limit), of one manager when ownerID
// is set, ordered by start.
func (s *Service) ListPlans(ctx context.Context, from, to time.Time, ownerID crm.ID) ([]Plan, error) {
	var out []Plan
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Plans().List(ctx, from, to, ownerID)
		return err
	})
	return out, crm.Wrap("plans.Service.ListPlans", err)
}

// ListPlanRevisions returns every kept version of the plan, oldest first; crm.KindNotFound for an unknown plan.
func (s *Service) ListPlanRevisions(ctx context.Context, id crm.ID) ([]Revision, error) {
	var out []Revision
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		if _, err := st.Plans().Get(ctx, id); err != nil {
			return err
		}
		var err error
		out, err = st.Plans().Revisions(ctx, id)
		return err
	})
	return out, crm.Wrap("plans.Service.ListPlanRevisions", err)
}

// GetPlanProgress measures the plan against the sales (ProgressOf over the store's Actuals); crm.KindNotFound
// for an unknown plan.
func (s *Service) GetPlanProgress(ctx context.Context, id crm.ID) (Progress, error) {
	var out Progress
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		p, err := st.Plans().Get(ctx, id)
		if err != nil {
			return err
		}
		a, err := st.PlanProgress().Actuals(ctx, p.Query())
		if err != nil {
			return err
		}
		out = ProgressOf(p, a)
		return nil
	})
	return out, crm.Wrap("plans.Service.GetPlanProgress", err)
}
