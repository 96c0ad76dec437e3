package sales

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// StageInput is a stage as a caller describes it when creating one.
type StageInput struct {
	Code           string    `json:"code"`
	Name           string    `json:"name"`
	Order          int       `json:"order"`
	MaxProbability int       `json:"max_probability"`
	Kind           StageKind `json:"kind"`
}

// StageUpdate is what may change on an existing stage. Code and kind never change (sales and their histories
// refer to them); a new maximum probability applies to sales as they next enter the stage.
type StageUpdate struct {
	Name           string `json:"name"`
	Order          int    `json:"order"`
	MaxProbability int    `json:"max_probability"`
}

// SeedStages gives the context's dealer the default stages (DefaultStages) when its directory is empty, and
// returns the directory, in one unit of work (see the package function SeedStages). crm.KindNotFound if the
// dealer does not exist.
func (s *Service) SeedStages(ctx context.Context) ([]Stage, error) {
	var out []Stage
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = SeedStages(ctx, st)
		return err
	})
	if err != nil {
		return nil, wrap("sales.Service.SeedStages", err)
	}
	return out, nil
}

// StageSeedStores is what seeding the sales-stage directory reads and writes.
type StageSeedStores interface {
	Dealers() crm.DealerStore
	SalesStages() StageStore
}

// SeedStages creates, inside the caller's read-write unit of work, the default stages (DefaultStages) when the
// context's dealer has none, and returns the dealer's directory. It is idempotent: a dealer that has stages keeps
// them as they are and nothing is created. It reads the dealer's record first, which on PostgreSQL locks it, so
// concurrent seeders create the defaults once. crm.KindNotFound if the dealer does not exist. A
// dealer-onboarding step calls it with the dealer's creation.
func SeedStages(ctx context.Context, st StageSeedStores) ([]Stage, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := st.Dealers().Get(ctx, dealer); err != nil {
		return nil, err
	}
	existing, err := st.SalesStages().List(ctx)
	if err != nil || len(existing) > 0 {
		return existing, err
	}
	var out []Stage
	now := crm.Now(ctx)
	for _, def := range DefaultStages() {
		stage, err := NewStage(dealer, def, now)
		if err != nil {
			return nil, err
		}
		if err := st.SalesStages().Create(ctx, &stage); err != nil {
			return nil, err
		}
		out = append(out, stage)
	}
	return out, nil
}

// ListStages returns the dealer's stage directory ordered by order number (empty before seeding).
func (s *Service) ListStages(ctx context.Context) ([]Stage, error) {
	var out []Stage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.SalesStages().List(ctx)
		return err
	})
	return out, wrap("sales.Service.ListStages", err)
}

// GetStage returns one stage; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetStage(ctx context.Context, id crm.ID) (Stage, error) {
	var out Stage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.SalesStages().Get(ctx, id)
		return err
	})
	return out, wrap("sales.Service.GetStage", err)
}

// CreateStage adds a stage to the dealer's directory. The stage must be valid on its own (NewStage:
// crm.KindInvalid naming the field) and fit the directory (Pipeline.Validate: crm.KindConflict for a taken code,
// order number or second won/lost stage; crm.KindInvalid naming "max_probability" when open stages' probability
// would decrease with order).
func (s *Service) CreateStage(ctx context.Context, in StageInput) (Stage, error) {
	var out Stage
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := lockDealer(ctx, st)
		if err != nil {
			return err
		}
		stage, err := NewStage(dealer, Stage{Code: in.Code, Name: in.Name, Order: in.Order, MaxProbability: in.MaxProbability, Kind: in.Kind}, crm.Now(ctx))
		if err != nil {
			return err
		}
		p, err := pipeline(ctx, st)
		if err != nil {
			return err
		}
		if err := p.With(stage).Validate(); err != nil {
			return err
		}
		if err := st.SalesStages().Create(ctx, &stage); err != nil {
			return err
		}
		out = stage
		return nil
	})
	return out, wrap("sales.Service.CreateStage", err)
}

// UpdateStage renames, renumbers or re-caps a stage read at expectedVersion, with the checks of CreateStage;
// crm.KindStaleVersion if the stage changed meanwhile, crm.KindNotFound if it does not exist.
func (s *Service) UpdateStage(ctx context.Context, id crm.ID, expectedVersion int64, in StageUpdate) (Stage, error) {
	var out Stage
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		if _, err := lockDealer(ctx, st); err != nil {
			return err
		}
		stage, err := st.SalesStages().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("stage", stage.Version, expectedVersion); err != nil {
			return err
		}
		stage.Name, stage.Order, stage.MaxProbability = in.Name, in.Order, in.MaxProbability
		if err := stage.validate(); err != nil {
			return err
		}
		p, err := pipeline(ctx, st)
		if err != nil {
			return err
		}
		if err := p.With(stage).Validate(); err != nil {
			return err
		}
		if err := st.SalesStages().Update(ctx, &stage); err != nil {
			return err
		}
		out = stage
		return nil
	})
	return out, wrap("sales.Service.UpdateStage", err)
}

// lockDealer reads the context's dealer; in a read-write unit of work on PostgreSQL this locks the dealer's row,
// which serialises changes to the dealer's stage directory.
func lockDealer(ctx context.Context, st Stores) (crm.ID, error) {
	id, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.ID{}, err
	}
	if _, err := st.Dealers().Get(ctx, id); err != nil {
		return crm.ID{}, err
	}
	return id, nil
}
