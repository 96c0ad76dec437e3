package sales

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// The sale's side of the stage playbooks (crm.Playbook, handed out by Stores.Playbook), in the unit of work of
// the change: opening a sale enters its stage; EditSale's stage move leaves the old stage (forward moves wait
// for its required steps; steps back never do) and enters the new one; winning closes the sale (as forward, then its open steps are cancelled), losing
// drops the sale (its open steps are cancelled); converting a lead leaves the lead's stage forward; forming the
// purchase contract is an event.

// Subject is sale s at its current stage as the playbook sees it.
func (s Sale) Subject() crm.StageSubject {
	return crm.StageSubject{Kind: crm.SubjectSale, ID: s.ID, StageID: s.StageID, OwnerID: s.OwnerID, CustomerID: s.CustomerID,
		PaymentMethod: string(s.PaymentMethod)}
}

// saleExit is how a sale leaves stage from for stage to.
func saleExit(from, to Stage) crm.StageExit {
	switch {
	case to.Kind == StageLost:
		return crm.ExitDropped
	case to.Kind == StageWon:
		return crm.ExitClosed
	case from.Kind == StageLost, to.Kind == StageOpen && to.Order < from.Order:
		return crm.ExitBack
	}
	return crm.ExitForward
}

// leaveSaleStage asks the playbook whether sale s (at its current stage) may leave it for stage to of p.
func leaveSaleStage(ctx context.Context, st Stores, p Pipeline, s Sale, to Stage) error {
	from, ok := p.Stage(s.StageID)
	if !ok {
		return nil
	}
	return st.Playbook().LeaveStage(ctx, s.Subject(), saleExit(from, to))
}

// leaveLeadForSale asks the playbook whether lead l may leave its stage to become a sale (a closing exit: its
// steps left open are cancelled).
func leaveLeadForSale(ctx context.Context, st Stores, l leads.Lead) error {
	s, ok, err := leads.LeadSubject(ctx, st.LeadStages(), l)
	if !ok || err != nil {
		return err
	}
	return st.Playbook().LeaveStage(ctx, s, crm.ExitClosed)
}
