package sales

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/crm"
)

// CreditLink is what a sale and its purchase contract know of a credit application. Package credit keeps the
// applications and imports sales, so sales reads them through this port (credit.Application.SaleLink builds it;
// each adapter's CreditLinks store hands it out).
type CreditLink struct {
	ApplicationID crm.ID
	SaleID        crm.ID    // the sale the application finances
	Bank          string    // the lending bank, as printed
	Amount        crm.Money // the loan: the part of the price the bank pays
	TermMonths    int
	State         string // the application's state, for messages
	Linkable      bool   // approved or issued: a sale may link it
	Funds         bool   // approved, issued or closed: the contract states it as paid by the bank
}

// CreditLinkStore reads the credit applications of the context's dealer for sales. Every method returns a
// crm.KindForbidden error when the context carries no dealer.
type CreditLinkStore interface {
	// Get returns the link view of application id; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, applicationID crm.ID) (CreditLink, error)
}

// checkCreditLink refuses to link the sale to an application that is not a real credit of this sale: one of the
// dealer's applications (another dealer's is no application), made for this sale, approved or issued, in the
// sale's currency. The zero ID (no credit) and the application already linked pass. It returns crm.KindInvalid
// naming "credit_application_id".
func checkCreditLink(ctx context.Context, st Stores, sale Sale, id crm.ID) error {
	if id == (crm.ID{}) || id == sale.CreditApplicationID {
		return nil
	}
	bad := func(msg string, args ...any) error {
		var p crm.Problems
		p.Add("credit_application_id", msg, args...)
		return p.Err("sales")
	}
	link, err := st.CreditLinks().Get(ctx, id)
	if errors.Is(err, crm.ErrNotFound) {
		return bad("no such credit application %s", id)
	}
	if err != nil {
		return err
	}
	if sale.CreditApplicationID != (crm.ID{}) {
		cur, err := st.CreditLinks().Get(ctx, sale.CreditApplicationID)
		if err != nil && !errors.Is(err, crm.ErrNotFound) {
			return err
		}
		if err == nil && cur.State == "issued" {
			return bad("the sale's credit %s is issued; cancel it before linking another", sale.CreditApplicationID)
		}
	}
	switch {
	case link.SaleID != sale.ID:
		return bad("is an application for another sale")
	case !link.Linkable:
		return bad("must be approved or issued; it is %s", link.State)
	case sale.Amount.Currency != "" && link.Amount.Currency != sale.Amount.Currency:
		return bad("is in %s, the sale in %s", link.Amount.Currency, sale.Amount.Currency)
	}
	return nil
}

// creditTerms puts the linked application's bank, amount and term into the contract input. An application no
// longer funding the sale (rejected or cancelled since) is left out: the buyer then pays that part.
func creditTerms(ctx context.Context, st Stores, sale Sale, in *ContractInput) error {
	if sale.CreditApplicationID == (crm.ID{}) {
		return nil
	}
	link, err := st.CreditLinks().Get(ctx, sale.CreditApplicationID)
	if err != nil {
		return internalIfMissing(err)
	}
	if !link.Funds {
		return nil
	}
	in.CreditBank, in.CreditAmount, in.CreditTermMonths = link.Bank, link.Amount, link.TermMonths
	return nil
}
