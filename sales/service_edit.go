package sales

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// Edit is several changes of one sale applied together: a stage move, a probability, and facts. Nil and empty
// parts change nothing.
type Edit struct {
	StageID     *crm.ID // move to this open stage (as MoveStage) when it is not the current one
	Probability *int    // then set the probability (as SetProbability) when it differs
	Reason      string  // why: required for stepping back or reopening, recorded in the history
	Changes     Changes // then edit the facts (as UpdateSale); zero Changes edit nothing
	HasChanges  bool    // whether Changes is to be applied
}

// EditSale applies e to the sale read at expectedVersion in one unit of work: the stage move, the probability,
// then the facts, each by the same rules as MoveStage, SetProbability and UpdateSale, so that either all of them
// happen or none does. The version goes up once. It returns the errors of those three methods.
func (s *Service) EditSale(ctx context.Context, id crm.ID, expectedVersion int64, e Edit) (Sale, error) {
	if e.StageID == nil && e.Probability == nil && !e.HasChanges {
		// Nothing asked: answer the sale as it is (checking the version), write nothing.
		sale, err := s.GetSale(ctx, id)
		if err == nil {
			err = checkVersion("sale", sale.Meta, expectedVersion)
		}
		return sale, wrap("sales.Service.EditSale", err)
	}
	out, err := s.change(ctx, id, expectedVersion, func(ctx context.Context, st Stores, sale *Sale, p Pipeline) error {
		now, by := s.now(), crm.ActorFrom(ctx)
		if e.StageID != nil && *e.StageID != sale.StageID {
			wasLost := sale.Status == StatusLost
			if err := sale.MoveTo(p, *e.StageID, e.Reason, by, now); err != nil {
				return err
			}
			if wasLost && sale.VehicleID != (crm.ID{}) {
				if err := s.hold(ctx, st, *sale); err != nil {
					return err
				}
			}
		}
		if e.Probability != nil && *e.Probability != sale.Probability {
			if err := sale.SetProbability(p, *e.Probability, e.Reason, by, now); err != nil {
				return err
			}
		}
		if e.HasChanges {
			return applyChanges(ctx, st, sale, e.Changes, now)
		}
		return nil
	})
	return out, wrap("sales.Service.EditSale", err)
}
