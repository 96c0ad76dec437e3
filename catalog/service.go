package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// Service is the catalog's application service: it loads records through the unit of work, calls the rule on
// the record and saves it, all inside one transaction. The dealer comes from the context (crm.WithDealer); every
// method returns crm.KindForbidden when there is none. Every method that changes a record takes the version the
// caller read (expectedVersion; 0 for an unconditional write) and checks it with crm.CheckVersion inside the unit
// of work that writes.
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
}

// NewService returns a catalog service over uow, telling time with clock (crm.SystemClock when nil). It panics
// when uow is nil: that is a wiring mistake, not a runtime condition.
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock) *Service {
	if uow == nil {
		panic("catalog.NewService: nil unit of work")
	}
	if clock == nil {
		clock = crm.SystemClock{}
	}
	return &Service{uow: uow, clock: clock}
}

// dealerOf reads the context's dealer record (for its VIN policy and currency); KindForbidden without a dealer in
// ctx, KindNotFound when the dealer does not exist.
func dealerOf(ctx context.Context, s Stores) (crm.Dealer, error) {
	id, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.Dealer{}, err
	}
	return s.Dealers().Get(ctx, id)
}
