package sales

import (
	"context"
	"errors"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// Service orchestrates the sales domain: stages, sales, orders, winning and losing. Each method runs in one unit
// of work: it loads what it needs, calls the rule on the domain type (Sale, Order, Pipeline, catalog.Vehicle,
// leads.Lead, leads.TestDrive) and saves. The dealer comes from the context (crm.WithDealer), the acting user
// (recorded in histories) from crm.ActorFrom. Every method returns crm.KindForbidden without a dealer in the
// context; errors are wrapped with the method's name and keep their kind. Every method that changes a record takes
// the version the caller read (expectedVersion; 0 for an unconditional write) and checks it with crm.CheckVersion
// inside the unit of work that writes.
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
}

// NewService returns a service over uow, taking the time from clock (crm.SystemClock when nil). It panics when
// uow is nil: that is a wiring mistake, not a runtime condition.
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock) *Service {
	if uow == nil {
		panic("sales.NewService: nil unit of work")
	}
	if clock == nil {
		clock = crm.SystemClock{}
	}
	return &Service{uow: uow, clock: clock}
}

// pipeline loads the dealer's stage directory.
func pipeline(ctx context.Context, st Stores) (Pipeline, error) {
	stages, err := st.SalesStages().List(ctx)
	if err != nil {
		return nil, err
	}
	return NewPipeline(stages), nil
}

// reference loads a record the input names by ID; a missing record is invalid input naming field.
func reference[T any](ctx context.Context, field string, id crm.ID, get func(context.Context, crm.ID) (T, error)) (T, error) {
	v, err := get(ctx, id)
	if errors.Is(err, crm.ErrNotFound) {
		var zero T
		return zero, crm.Invalid("sales", crm.FieldError{Field: field, Message: fmt.Sprintf("no such record %s", id)})
	}
	return v, err
}

// checkOwner refuses an owner that is not a user of the context's dealer (another dealer's user is no user);
// the zero ID (no owner) passes.
func checkOwner(ctx context.Context, st Stores, owner crm.ID) error {
	if owner == (crm.ID{}) {
		return nil
	}
	_, err := reference(ctx, "owner_id", owner, st.Users().Get)
	return err
}

// wrap names op on err (one operation name per message); see crm.Wrap.
func wrap(op string, err error) error { return crm.Wrap(op, err) }
