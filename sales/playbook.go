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

// Subject is sale s at its current stage as the playbook sees it: with its lead (whose test drives count as the
// sale's), and with a linked credit application as the credit application made.
func (s Sale) Subject() crm.StageSubject {
	sub := crm.StageSubject{Kind: crm.SubjectSale, ID: s.ID, StageID: s.StageID, OwnerID: s.OwnerID, CustomerID: s.CustomerID,
		PaymentMethod: string(s.PaymentMethod), LeadID: s.LeadID}
	if s.CreditApplicationID != (crm.ID{}) {
		sub.Happened = []crm.StepEventKind{crm.EventCreditApplicationCreated}
	}
	return sub
}

// changesConditions reports whether c changes the fact the steps' conditions read (playbooks' payment_credit: the
// payment method) of sale s. Linking or unlinking a credit application alone does not: a sale still paid by
// credit still needs its application (the step was done when the application was made).
func changesConditions(s Sale, c Changes) bool {
	return c.PaymentMethod != nil && *c.PaymentMethod != s.PaymentMethod
}

// reconsiderSale tells the playbook that sale s's payment method changed at stage stageID (its stage before a move
// in the same edit, so that a credit step of a sale switched to cash no longer holds the move).
func reconsiderSale(ctx context.Context, st Stores, s Sale, stageID crm.ID, c Changes) error {
	if c.PaymentMethod != nil {
		s.PaymentMethod = *c.PaymentMethod
	}
	if c.CreditApplicationID != nil {
		s.CreditApplicationID = *c.CreditApplicationID
	}
	s.StageID = stageID
	return st.Playbook().Reconsider(ctx, s.Subject())
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

// leaveSaleStage asks the playbook whether sale s (at its current stage) may leave it for stage to of p: a
// forward move or a win passes the open stages between them (Pipeline.OpenBetween), whose required steps must
// have happened by their events.
func leaveSaleStage(ctx context.Context, st Stores, p Pipeline, s Sale, to Stage) error {
	from, ok := p.Stage(s.StageID)
	if !ok {
		return nil
	}
	sub, exit := s.Subject(), saleExit(from, to)
	if exit == crm.ExitForward || exit == crm.ExitClosed {
		for _, passed := range p.OpenBetween(from, to) {
			sub.Passed = append(sub.Passed, passed.ID)
		}
	}
	return st.Playbook().LeaveStage(ctx, sub, exit)
}

// leaveLeadForSale asks the playbook whether lead l may leave its stage to become a sale (a closing exit: its
// steps left open are cancelled).
func leaveLeadForSale(ctx context.Context, st Stores, l leads.Lead) error {
	s, ok, err := leads.LeadSubject(ctx, st.LeadStages(), l)
	if !ok || err != nil {
		return err
	}
	if s.Passed, err = leads.PassedStages(ctx, st.LeadStages(), l.Stage, leads.StageConverted); err != nil {
		return err
	}
	return st.Playbook().LeaveStage(ctx, s, crm.ExitClosed)
}
