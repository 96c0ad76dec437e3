package leads

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/crm"
)

// Service orchestrates leads, their directories, test drives and imports: each method loads what it needs in one
// unit of work, calls the rule on the domain type and saves. The dealer comes from the context (crm.WithDealer),
// the acting user from crm.ActorFrom. Every method that changes a record takes the version the caller read (0 for
// an unconditional write) and checks it with crm.CheckVersion inside the unit of work that writes.
type Service struct {
	uow   crm.UnitOfWork[Stores]
	clock crm.Clock
	cfg   Config
}

// NewService returns a service over uow and clock (crm.SystemClock when nil) with the test-drive schedule cfg (at
// most one; zero fields and a missing cfg take the defaults of Config). It panics when uow is nil or cfg is
// invalid (see Config.Validate): that is a wiring mistake, not a runtime condition.
func NewService(uow crm.UnitOfWork[Stores], clock crm.Clock, cfg ...Config) *Service {
	if uow == nil {
		panic("leads.NewService: nil unit of work")
	}
	if clock == nil {
		clock = crm.SystemClock{}
	}
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

// SeedDirectories gives the context's dealer the default need types and lead stages it lacks, in one unit of
// work (see the package function SeedDirectories). Dealers get their directories when they are added
// (stack.AddDealer) and existing dealers from the PostgreSQL migration step; no other method seeds.
func (s *Service) SeedDirectories(ctx context.Context) error {
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error { return SeedDirectories(ctx, st) })
	return wrap("leads.Service.SeedDirectories", err)
}

// DirectoryStores is what seeding the leads directories writes.
type DirectoryStores interface {
	NeedTypes() NeedTypeStore
	LeadStages() LeadStageStore
}

// SeedDirectories creates, inside the caller's read-write unit of work, the default need types
// (DefaultNeedTypes) and lead stages (DefaultLeadStages) the context's dealer lacks. It is idempotent: entries
// the dealer has, renamed or deactivated ones included, are left alone, and a concurrent seeder's entry counts as
// there (the stores' KindConflict). A dealer-onboarding step calls it with the dealer's creation.
func SeedDirectories(ctx context.Context, st DirectoryStores) error {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	now := crm.Now(ctx)
	for _, n := range DefaultNeedTypes() {
		if _, err := st.NeedTypes().GetByCode(ctx, n.Code); err == nil {
			continue
		} else if !errors.Is(err, crm.ErrNotFound) {
			return err
		}
		n.Meta = crm.NewMeta(dealer, now)
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

// wrap names op on err (one operation name per message); see crm.Wrap.
func wrap(op string, err error) error { return crm.Wrap(op, err) }
