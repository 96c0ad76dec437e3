package credit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// Service runs the credit desk: programs, applications and their moves, schedules. Each method runs in one unit
// of work; the dealer comes from the context (crm.WithDealer), the acting user from crm.ActorFrom. Every method
// returns crm.KindForbidden without a dealer; errors are wrapped with the method's name and keep their kind.
// Methods that change a record take the version the caller read (0: unconditional) and check it inside the unit
// of work that writes.
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
}

// NewService returns a service over uow, taking the time from clock (crm.SystemClock when nil). It panics when
// uow is nil: that is a wiring mistake, not a runtime condition.
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock) *Service {
	if uow == nil {
		panic("credit.NewService: nil unit of work")
	}
	if clock == nil {
		clock = crm.SystemClock{}
	}
	return &Service{uow: uow, clock: clock}
}

// CreateProgram validates in (NewProgram) and saves it. crm.KindInvalid naming every wrong field.
func (s *Service) CreateProgram(ctx context.Context, in ProgramInput) (Program, error) {
	var out Program
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		p, err := NewProgram(dealer, in, crm.Now(ctx))
		if err != nil {
			return err
		}
		if err := st.CreditPrograms().Create(ctx, &p); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, crm.Wrap("credit.Service.CreateProgram", err)
}

// GetProgram returns a program; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetProgram(ctx context.Context, id crm.ID) (Program, error) {
	var out Program
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.CreditPrograms().Get(ctx, id)
		return err
	})
	return out, crm.Wrap("credit.Service.GetProgram", err)
}

// UpdateProgram replaces the terms of the program read at expectedVersion with in (validated as NewProgram
// does). Applications already made keep the terms they were made with. crm.KindNotFound, crm.KindStaleVersion,
// crm.KindInvalid naming every wrong field.
func (s *Service) UpdateProgram(ctx context.Context, id crm.ID, expectedVersion int64, in ProgramInput) (Program, error) {
	var out Program
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		p, err := st.CreditPrograms().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("credit program", p.Version, expectedVersion); err != nil {
			return err
		}
		if err := p.Apply(in, crm.Now(ctx)); err != nil {
			return err
		}
		if err := st.CreditPrograms().Update(ctx, &p); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, crm.Wrap("credit.Service.UpdateProgram", err)
}

// ListPrograms returns the dealer's programs ordered by bank and name.
func (s *Service) ListPrograms(ctx context.Context) ([]Program, error) {
	var out []Program
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.CreditPrograms().List(ctx)
		return err
	})
	return out, crm.Wrap("credit.Service.ListPrograms", err)
}

// CreateApplication makes a draft application of a sale's customer to a program (NewApplication): the sale and
// the program must be the dealer's (crm.KindInvalid naming "sale_id" or "program_id" otherwise), and in is
// validated against the program with every wrong field named in one crm.KindInvalid error; nothing is saved then.
// The vehicle price defaults to the sale's price: its order's total when the order sells the car, else its amount.
// Making it completes, in the same unit of work, the sale's playbook steps waiting for a credit application.
func (s *Service) CreateApplication(ctx context.Context, in ApplicationInput) (Application, error) {
	var out Application
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		var p crm.Problems
		sale, err := reference(ctx, &p, "sale_id", in.SaleID, st.Sales().Get)
		if err != nil {
			return err
		}
		prog, err := reference(ctx, &p, "program_id", in.ProgramID, st.CreditPrograms().Get)
		if err != nil {
			return err
		}
		if err := p.Err("credit"); err != nil {
			if prog.ID != (crm.ID{}) { // name the program's problems too, in the same answer
				_, perr := NewApplication(dealer, in, sale, crm.Money{}, prog, crm.ActorFrom(ctx), crm.Now(ctx))
				p.Merge("", perr)
			}
			return p.Err("credit")
		}
		price, err := salePrice(ctx, st, sale)
		if err != nil {
			return err
		}
		a, err := NewApplication(dealer, in, sale, price, prog, crm.ActorFrom(ctx), crm.Now(ctx))
		if err != nil {
			return err
		}
		if err := st.CreditApplications().Create(ctx, &a); err != nil {
			return err
		}
		if err := st.Playbook().StepEvent(ctx, crm.StepEvent{Event: crm.EventCreditApplicationCreated, SaleID: a.SaleID}); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, crm.Wrap("credit.Service.CreateApplication", err)
}

// reference loads a record the input names; a missing ID or record is recorded in p under field (and the zero
// value returned with no error), any other failure returned.
func reference[T any](ctx context.Context, p *crm.Problems, field string, id crm.ID, get func(context.Context, crm.ID) (T, error)) (T, error) {
	var zero T
	if id == (crm.ID{}) {
		p.Add(field, "is required")
		return zero, nil
	}
	v, err := get(ctx, id)
	if errors.Is(err, crm.ErrNotFound) {
		p.Add(field, "no such record %s", id)
		return zero, nil
	}
	return v, err
}

// salePrice is what the buyer pays for the sale's car: its order's total when the order sells the car (has a
// vehicle line; the other lines are financed with it), else the sale's amount.
func salePrice(ctx context.Context, st Stores, sale sales.Sale) (crm.Money, error) {
	o, err := st.Orders().FindBySale(ctx, sale.ID)
	if errors.Is(err, crm.ErrNotFound) {
		return sale.Amount, nil
	}
	if err != nil {
		return crm.Money{}, err
	}
	for _, l := range o.Lines {
		if l.Kind == sales.LineVehicle {
			return o.Gross, nil
		}
	}
	return sale.Amount, nil
}

// GetApplication returns an application; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetApplication(ctx context.Context, id crm.ID) (Application, error) {
	var out Application
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.CreditApplications().Get(ctx, id)
		return err
	})
	return out, crm.Wrap("credit.Service.GetApplication", err)
}

// GetApplicationSchedule returns the payment schedule of an application (Application.Schedule).
func (s *Service) GetApplicationSchedule(ctx context.Context, id crm.ID) (Schedule, error) {
	a, err := s.GetApplication(ctx, id)
	if err != nil {
		return Schedule{}, err
	}
	sched, err := a.Schedule()
	return sched, crm.Wrap("credit.Service.GetApplicationSchedule", err)
}

// ListApplications returns one page of the dealer's applications matching q, newest first. crm.KindInvalid
// naming "state", "limit" or "cursor".
func (s *Service) ListApplications(ctx context.Context, q ApplicationQuery) (ApplicationPage, error) {
	if err := q.Validate(); err != nil {
		return ApplicationPage{}, crm.Wrap("credit.Service.ListApplications", err)
	}
	q.Limit = crm.PageLimit(q.Limit)
	var out ApplicationPage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.CreditApplications().List(ctx, q)
		return err
	})
	return out, crm.Wrap("credit.Service.ListApplications", err)
}

// SubmitApplication sends a draft to the bank (draft → submitted).
func (s *Service) SubmitApplication(ctx context.Context, id crm.ID, expectedVersion int64, comment string) (Application, error) {
	return s.move(ctx, "credit.Service.SubmitApplication", id, expectedVersion, Submitted, comment)
}

// ApproveApplication records the bank's approval (submitted → approved).
func (s *Service) ApproveApplication(ctx context.Context, id crm.ID, expectedVersion int64, comment string) (Application, error) {
	return s.move(ctx, "credit.Service.ApproveApplication", id, expectedVersion, Approved, comment)
}

// RejectApplication records the bank's refusal (submitted → rejected).
func (s *Service) RejectApplication(ctx context.Context, id crm.ID, expectedVersion int64, comment string) (Application, error) {
	return s.move(ctx, "credit.Service.RejectApplication", id, expectedVersion, Rejected, comment)
}

// IssueApplication records that the bank paid the approved loan out (approved → issued). A sale is financed once:
// when another application of the sale is issued or closed it returns ErrAlreadyIssued, and of any number of
// applications of one sale issued at once exactly one succeeds (the sale is read first, which on PostgreSQL locks
// it; a partial unique index holds it too). An open sale links the issued application as its credit.
func (s *Service) IssueApplication(ctx context.Context, id crm.ID, expectedVersion int64, comment string) (Application, error) {
	return s.move(ctx, "credit.Service.IssueApplication", id, expectedVersion, Issued, comment)
}

// CancelApplication withdraws an application that is a draft, submitted, approved or issued (→ cancelled).
func (s *Service) CancelApplication(ctx context.Context, id crm.ID, expectedVersion int64, comment string) (Application, error) {
	return s.move(ctx, "credit.Service.CancelApplication", id, expectedVersion, Cancelled, comment)
}

// CloseApplication records that an issued loan is repaid (issued → closed).
func (s *Service) CloseApplication(ctx context.Context, id crm.ID, expectedVersion int64, comment string) (Application, error) {
	return s.move(ctx, "credit.Service.CloseApplication", id, expectedVersion, Closed, comment)
}

// move applies Application.Move in one unit of work and keeps the sale's credit link true: issuing links the
// application to its open sale, rejecting or cancelling the application an open sale links unlinks it. It
// returns crm.KindNotFound, crm.KindStaleVersion, ErrTransition (also for cancelling or rejecting the credit a won
// sale's contract states), and ErrAlreadyIssued when issuing.
func (s *Service) move(ctx context.Context, op string, id crm.ID, expectedVersion int64, to State, comment string) (Application, error) {
	var out Application
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		a, err := st.CreditApplications().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("credit application", a.Version, expectedVersion); err != nil {
			return err
		}
		now := crm.Now(ctx)
		if err := a.Move(to, crm.ActorFrom(ctx), comment, now); err != nil {
			return err
		}
		sale, err := st.Sales().Get(ctx, a.SaleID) // locks the sale: issues of one sale run one at a time
		if err != nil {
			return err
		}
		if (to == Cancelled || to == Rejected) && sale.Status == sales.StatusWon && sale.CreditApplicationID == a.ID {
			return fmt.Errorf("application %s pays for won sale %s, whose contract states it: %w", a.ID, sale.ID, ErrTransition)
		}
		if to == Issued {
			others, err := st.CreditApplications().ListBySale(ctx, a.SaleID)
			if err != nil {
				return err
			}
			for _, o := range others {
				if o.ID != a.ID && o.Financed() {
					return fmt.Errorf("application %s of sale %s is %s: %w", o.ID, a.SaleID, o.State, ErrAlreadyIssued)
				}
			}
		}
		if err := st.CreditApplications().Update(ctx, &a); err != nil {
			return err
		}
		out = a
		return relink(ctx, st, sale, a, now)
	})
	return out, crm.Wrap(op, err)
}

// relink keeps an open sale's credit link true after a moved: an issued application becomes the sale's credit; a
// rejected or cancelled one it links is unlinked. A won or lost sale keeps its link as it was signed.
func relink(ctx context.Context, st Stores, sale sales.Sale, a Application, now time.Time) error {
	if sale.Closed() {
		return nil
	}
	var next crm.ID
	switch {
	case a.State == Issued && sale.CreditApplicationID != a.ID:
		next = a.ID
	case (a.State == Rejected || a.State == Cancelled) && sale.CreditApplicationID == a.ID:
		next = crm.ID{}
	default:
		return nil
	}
	if err := sale.Apply(sales.Changes{CreditApplicationID: &next}, now); err != nil {
		return err
	}
	return st.Sales().Update(ctx, &sale)
}
