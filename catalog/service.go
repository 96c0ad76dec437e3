package catalog

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// Service is the catalog's application service: it loads records through the unit of work, calls the rule on
// the record and saves it, all inside one transaction. The dealer comes from the context (crm.WithDealer); every
// method returns crm.KindForbidden when there is none.
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
}

// NewService returns a catalog service over uow, telling time with clock (crm.SystemClock when nil).
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock) *Service {
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

// checkVersion refuses to change a record that moved on since the caller read it.
func checkVersion(op string, stored, expected int64) error {
	if stored != expected {
		return crm.Stale(op, "the record is at version %d, not %d", stored, expected)
	}
	return nil
}
