package activities

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// Service keeps the dealer's activities. Each method runs in one unit of work; the dealer comes from the context
// (crm.WithDealer), the acting user from crm.ActorFrom. Every method returns crm.KindForbidden without a dealer;
// errors are wrapped with the method's name and keep their kind. Methods that change an activity take the
// version the caller read (0: unconditional) and check it inside the unit of work that writes.
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
}

// NewService returns a service over uow, taking the time from clock (crm.SystemClock when nil). It panics when
// uow is nil: that is a wiring mistake, not a runtime condition.
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock) *Service {
	if uow == nil {
		panic("activities.NewService: nil unit of work")
	}
	if clock == nil {
		clock = crm.SystemClock{}
	}
	return &Service{uow: uow, clock: clock}
}

// Create validates in and saves it as a new activity (New). The owner defaults to the acting user. The linked
// records and the owner must exist and be the dealer's, and the customer, when given beside a lead, sale or
// customer vehicle that names one, must be theirs; when not given it is taken from them. crm.KindInvalid naming
// every wrong field; nothing is saved then.
func (s *Service) Create(ctx context.Context, in Input) (Activity, error) {
	var out Activity
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		if in.OwnerID == (crm.ID{}) {
			in.OwnerID = crm.ActorFrom(ctx)
		}
		var p crm.Problems
		if err := resolve(ctx, st, &p, &in); err != nil {
			return err
		}
		a, err := New(dealer, in, crm.ActorFrom(ctx), crm.Now(ctx))
		p.Merge("", err)
		if err := p.Err("activities"); err != nil {
			return err
		}
		if err := st.Activities().Create(ctx, &a); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, crm.Wrap("activities.Service.Create", err)
}

// resolve checks that the records in names exist and are the dealer's, recording each missing one under its field,
// and fills in the customer from a linked lead, sale or customer vehicle (recording "customer_id" when it names
// another customer than the one given).
func resolve(ctx context.Context, st Stores, p *crm.Problems, in *Input) error {
	var customers []crm.ID
	if in.OwnerID != (crm.ID{}) {
		if err := exists(ctx, p, "owner_id", in.OwnerID, st.Users().Get); err != nil {
			return err
		}
	}
	if in.LeadID != (crm.ID{}) {
		l, err := st.Leads().Get(ctx, in.LeadID)
		if err := missing(p, "lead_id", in.LeadID, err); err != nil {
			return err
		}
		customers = append(customers, l.CustomerID)
	}
	if in.SaleID != (crm.ID{}) {
		sl, err := st.Sales().Get(ctx, in.SaleID)
		if err := missing(p, "sale_id", in.SaleID, err); err != nil {
			return err
		}
		customers = append(customers, sl.CustomerID)
	}
	if in.CustomerVehicleID != (crm.ID{}) {
		cv, err := st.CustomerVehicles().Get(ctx, in.CustomerVehicleID)
		if err := missing(p, "customer_vehicle_id", in.CustomerVehicleID, err); err != nil {
			return err
		}
		customers = append(customers, cv.CustomerID)
	}
	if in.CustomerID != (crm.ID{}) {
		if err := exists(ctx, p, "customer_id", in.CustomerID, st.Customers().Get); err != nil {
			return err
		}
	}
	for _, c := range customers {
		switch {
		case c == (crm.ID{}):
		case in.CustomerID == (crm.ID{}):
			in.CustomerID = c
		case in.CustomerID != c:
			p.Add("customer_id", "is not the customer of the linked lead, sale or customer vehicle (%s)", c)
			return nil
		}
	}
	return nil
}

// exists records under field a record get cannot find; any other failure is returned.
func exists[T any](ctx context.Context, p *crm.Problems, field string, id crm.ID, get func(context.Context, crm.ID) (T, error)) error {
	_, err := get(ctx, id)
	return missing(p, field, id, err)
}

// missing records a not-found err under field and returns any other error.
func missing(p *crm.Problems, field string, id crm.ID, err error) error {
	if errors.Is(err, crm.ErrNotFound) {
		p.Add(field, "no such record %s", id)
		return nil
	}
	return err
}

// Get returns an activity; crm.KindNotFound if missing or another dealer's.
func (s *Service) Get(ctx context.Context, id crm.ID) (Activity, error) {
	var out Activity
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Activities().Get(ctx, id)
		return err
	})
	return out, crm.Wrap("activities.Service.Get", err)
}

// Update replaces the activity read at expectedVersion with in (Activity.Edit; the links checked as Create does,
// a customer taken from them when in names none). crm.KindNotFound, crm.KindStaleVersion, ErrNotOpen,
// crm.KindInvalid naming every wrong field.
func (s *Service) Update(ctx context.Context, id crm.ID, expectedVersion int64, in Input) (Activity, error) {
	var out Activity
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		a, err := st.Activities().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("activity", a.Version, expectedVersion); err != nil {
			return err
		}
		var p crm.Problems
		if err := resolve(ctx, st, &p, &in); err != nil {
			return err
		}
		unchanged := a.Status != Open && (in.Status == "" || in.Status == a.Status) && a.same(in)
		editErr := a.Edit(in, crm.Now(ctx))
		if editErr != nil && !errors.Is(editErr, crm.ErrInvalid) {
			if err := p.Err("activities"); err != nil {
				return err
			}
			return editErr
		}
		p.Merge("", editErr)
		if err := p.Err("activities"); err != nil {
			return err
		}
		if unchanged {
			out = a
			return nil
		}
		if a.Status == Cancelled && a.CompletedBy == (crm.ID{}) {
			a.CompletedBy = crm.ActorFrom(ctx)
		}
		if err := st.Activities().Update(ctx, &a); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, crm.Wrap("activities.Service.Update", err)
}

// Complete makes the open activity read at expectedVersion done by the acting user with its result, and a call's
// outcome (Activity.Complete). Completing a call that reached the customer (Outcome.Contacted) on a lead or sale completes, in the same unit of work, the
// playbook steps of that lead or sale that wait for a call (crm.EventCallCompleted); completing the first such call, an e-mail
// or a meeting on a lead records the lead's first contact and response time (leads.Lead.RecordFirstContact). crm.KindNotFound, crm.KindStaleVersion, ErrNotOpen (done or cancelled; of any
// number of completions at once exactly one succeeds), crm.KindInvalid naming "result" or "outcome".
func (s *Service) Complete(ctx context.Context, id crm.ID, expectedVersion int64, result string, outcome Outcome) (Activity, error) {
	var out Activity
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		a, err := st.Activities().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("activity", a.Version, expectedVersion); err != nil {
			return err
		}
		if err := a.Complete(result, outcome, crm.ActorFrom(ctx), crm.Now(ctx)); err != nil {
			return err
		}
		if err := st.Activities().Update(ctx, &a); err != nil {
			return err
		}
		if err := recordFirstContact(ctx, st, a); err != nil {
			return err
		}
		if a.Kind == Call && a.Outcome.Contacted() && (a.LeadID != crm.ID{} || a.SaleID != crm.ID{}) {
			if err := st.Playbook().StepEvent(ctx, crm.StepEvent{Event: crm.EventCallCompleted, LeadID: a.LeadID, SaleID: a.SaleID}); err != nil {
				return err
			}
		}
		out = a
		return nil
	})
	return out, crm.Wrap("activities.Service.Complete", err)
}

// recordFirstContact stores on a's lead, when a is a call, e-mail or meeting on a lead that has had no contact yet,
// that the first contact happened now and its response time in the dealer's working hours.
func recordFirstContact(ctx context.Context, st Stores, a Activity) error {
	if a.LeadID == (crm.ID{}) || (a.Kind != Call && a.Kind != Email && a.Kind != Meeting) || (a.Kind == Call && !a.Outcome.Contacted()) {
		return nil
	}
	l, err := st.Leads().Get(ctx, a.LeadID)
	if err != nil || !l.FirstResponseAt.IsZero() {
		return err
	}
	p, err := leads.ResponsePolicyIn(ctx, st.ResponsePolicies())
	if err != nil {
		return err
	}
	l.RecordFirstContact(a.CompletedAt, p)
	return st.Leads().Update(ctx, &l)
}

// List returns one page of the dealer's activities matching q, newest first. crm.KindInvalid naming "status",
// "limit" or "cursor".
func (s *Service) List(ctx context.Context, q Query) (Page, error) {
	if err := q.Validate(); err != nil {
		return Page{}, crm.Wrap("activities.Service.List", err)
	}
	q.Limit = crm.PageLimit(q.Limit)
	var out Page
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Activities().List(ctx, q)
		return err
	})
	return out, crm.Wrap("activities.Service.List", err)
}

// MyOpen returns one page of the acting user's open activities, newest first (cursor as for List).
func (s *Service) MyOpen(ctx context.Context, limit int, cursor string) (Page, error) {
	return s.List(ctx, Query{OwnerID: crm.ActorFrom(ctx), Status: Open, Limit: limit, Cursor: cursor})
}

// Overdue returns one page of owner's open activities due before now (the service's clock), newest first
// (cursor as for List). A zero owner lists every user's.
func (s *Service) Overdue(ctx context.Context, owner crm.ID, limit int, cursor string) (Page, error) {
	return s.List(ctx, Query{OwnerID: owner, Status: Open, DueBefore: s.clock.Now(), Limit: limit, Cursor: cursor})
}
