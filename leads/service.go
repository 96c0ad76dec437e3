package leads

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Service orchestrates leads, their directories, test drives and imports: each method loads what it needs in one
// unit of work, calls the rule on the domain type and saves. The dealer comes from the context (crm.WithDealer),
// the acting user from crm.ActorFrom.
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
	cfg   Config
}

// NewService returns a service over uow and clock with the test-drive schedule cfg (at most one; zero fields and
// a missing cfg take the defaults of Config). It panics when cfg is invalid (see Config.Validate): that is a
// wiring mistake, not a runtime condition.
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock, cfg ...Config) *Service {
	var c Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	if err := c.Validate(); err != nil {
		panic(err)
	}
	return &Service{uow: uow, clock: clock, cfg: c.withDefaults()}
}

// Config returns the service's test-drive schedule, defaults filled in.
func (s *Service) Config() Config { return s.cfg }

// SeedDirectories gives the context's dealer the default need types and lead stages it lacks. It is idempotent:
// entries the dealer has (renamed or deactivated ones included) are left alone. Services also seed lazily on
// first use, so calling it when a dealer is created is optional.
func (s *Service) SeedDirectories(ctx context.Context) error {
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error { return seed(ctx, st, s.clock) })
	return wrap("leads.Service.SeedDirectories", err)
}

// ensureSeeded seeds the directories inside a read-write unit when the dealer's are incomplete.
func ensureSeeded(ctx context.Context, st Stores, clock crm.Clock) error {
	stages, err := st.LeadStages().List(ctx)
	if err != nil {
		return err
	}
	types, err := st.NeedTypes().List(ctx)
	if err != nil {
		return err
	}
	if len(stages) >= len(DefaultLeadStages()) && len(types) > 0 {
		return nil
	}
	return seed(ctx, st, clock)
}

func seed(ctx context.Context, st Stores, clock crm.Clock) error {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	now := stamp(clock.Now())
	for _, n := range DefaultNeedTypes() {
		if _, err := st.NeedTypes().GetByCode(ctx, n.Code); err == nil {
			continue
		} else if !errors.Is(err, crm.ErrNotFound) {
			return err
		}
		n.Meta = crm.NewMeta(dealer, stamp(now))
		if err := st.NeedTypes().Create(ctx, &n); err != nil && !errors.Is(err, crm.ErrConflict) {
			return err
		}
	}
	for _, def := range DefaultLeadStages() {
		if _, err := st.LeadStages().GetByCode(ctx, def.Code); err == nil {
			continue
		} else if !errors.Is(err, crm.ErrNotFound) {
			return err
		}
		stage, err := NewLeadStage(dealer, def.Code, "", now)
		if err != nil {
			return err
		}
		if err := st.LeadStages().Create(ctx, &stage); err != nil && !errors.Is(err, crm.ErrConflict) {
			return err
		}
	}
	return nil
}

// dealerOf reads the context's dealer in a read-only unit of its own, so that the business unit of work does not
// lock the dealer's row (every booking and import of the dealer would queue behind it). A missing dealer gives the
// zero Dealer: the callers only need its name, address and currency.
func (s *Service) dealerOf(ctx context.Context, id crm.ID) (crm.Dealer, error) {
	var d crm.Dealer
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		d, err = st.Dealers().Get(ctx, id)
		return err
	})
	if errors.Is(err, crm.ErrNotFound) {
		return crm.Dealer{}, nil
	}
	return d, err
}

// checkVersion refuses a caller's version that is not the stored one; 0 skips the check.
func checkVersion(op string, m crm.Meta, version int64) error {
	if version != 0 && version != m.Version {
		return crm.Stale(op, "%s is at version %d, not %d", m.ID, m.Version, version)
	}
	return nil
}

// wrap prefixes err with the operation, keeping its kind.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}

// now returns the clock's time in UTC to the microsecond (what every adapter stores).
func (s *Service) now() time.Time { return stamp(s.clock.Now()) }

// stamp returns t in UTC truncated to the microsecond, so that a record reads back equal from every adapter.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
