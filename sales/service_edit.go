package sales

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// Edit is every change of an open sale short of winning or losing it, applied together by EditSale: a stage
// move, a probability, and facts. Zero parts change nothing.
type Edit struct {
	StageID     crm.ID  // move to this open stage (Sale.MoveTo) when it is set and not the current one
	Probability *int    // then set the probability (Sale.SetProbability) when it differs
	Reason      string  // why: required for stepping back or reopening a lost sale, recorded in the history
	Changes     Changes // then edit the facts (Sale.Apply) unless Changes.IsZero
}

// IsZero reports whether e asks for nothing.
func (e Edit) IsZero() bool {
	return e.StageID == (crm.ID{}) && e.Probability == nil && e.Changes.IsZero()
}

// EditSale is the one way to change an open sale (winning and losing aside: WinSale, LoseSale). It applies e to
// the sale read at expectedVersion (0: unconditional; checked with crm.CheckVersion in the unit of work that
// writes) — the stage move, the probability, then the facts — so that either all of it happens or none does, and
// the version goes up once:
//   - the stage move follows the walk rules of Sale.MoveTo (forward records skipped stages; back and reopening
//     need a reason; won and lost only through WinSale and LoseSale); reopening a lost sale holds its vehicle
//     again, which fails with the vehicle's conflict when someone else has it meanwhile;
//   - the probability is at most the stage's maximum (Sale.SetProbability);
//   - the facts (amount, owner, insurance, service contract, payment method, trade-in appraisal, credit
//     applications; see Changes) follow Sale.Apply; a new owner must be a user of the dealer.
//
// The stage's playbook is followed in the same unit of work: a change of the payment method first reconsiders the conditional steps of the current stage (crm.Playbook.Reconsider: a credit step
// of a sale switched to cash is cancelled, one of a sale switched to credit created); a forward move waits for the
// required steps of the stage left (a *playbooks.StepOpenError, a conflict with code playbook_step_open naming the
// step), and the new stage's steps become the owner's tasks (after the facts are applied, so a sale switched to
// credit gets the credit step).
//
// An empty edit writes nothing and returns the sale as it is (after the same version check). It returns
// crm.KindStaleVersion, crm.KindNotFound, crm.KindInvalid naming the wrong fields ("stage_id", "reason",
// "probability", the facts'), ErrSaleClosed for a won sale (or facts of a lost one).
func (s *Service) EditSale(ctx context.Context, id crm.ID, expectedVersion int64, e Edit) (Sale, error) {
	if e.IsZero() {
		var sale Sale
		err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
			if sale, err = st.Sales().Get(ctx, id); err != nil {
				return err
			}
			return crm.CheckVersion("sale", sale.Version, expectedVersion)
		})
		return sale, wrap("sales.Service.EditSale", err)
	}
	out, err := s.change(ctx, id, expectedVersion, func(ctx context.Context, st Stores, sale *Sale, p Pipeline) error {
		now, by := crm.Now(ctx), crm.ActorFrom(ctx)
		moved := e.StageID != (crm.ID{}) && e.StageID != sale.StageID
		if changesConditions(*sale, e.Changes) && !sale.Closed() {
			// first, at the stage the sale is at: a credit step of a sale now paid in cash is cancelled (and no
			// longer holds a move in this same edit); one of a sale now paid by credit is created
			if err := reconsiderSale(ctx, st, *sale, sale.StageID, e.Changes); err != nil {
				return err
			}
		}
		if moved {
			wasLost := sale.Status == StatusLost
			before := *sale // leaves its stage with the edit's payment facts: a stage skipped asks for the credit step by them
			if e.Changes.PaymentMethod != nil {
				before.PaymentMethod = *e.Changes.PaymentMethod
			}
			if e.Changes.CreditApplicationID != nil {
				before.CreditApplicationID = *e.Changes.CreditApplicationID
			}
			if err := sale.MoveTo(p, e.StageID, e.Reason, by, now); err != nil {
				return err
			}
			to, _ := p.Stage(e.StageID)
			if err := leaveSaleStage(ctx, st, p, before, to); err != nil {
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
		if !e.Changes.IsZero() {
			if err := applyChanges(ctx, st, sale, e.Changes, now); err != nil {
				return err
			}
		}
		if moved {
			return st.Playbook().EnterStage(ctx, sale.Subject())
		}
		return nil
	})
	return out, wrap("sales.Service.EditSale", err)
}
