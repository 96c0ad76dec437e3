package sales

import (
	"context"
	"errors"
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// The trade-in of a sale: an approved appraisal sheet (package appraisal) of the dealer, taken by at most one
// sale, whose proposed price the buyer is credited with. Sale.TradeInAppraisalID is the link; the sheet records
// the sale that took it (appraisal.Appraisal.TradeInSaleID), under its row lock on PostgreSQL, so two sales
// racing for one sheet get one winner, and a partial unique index holds one sheet per sale.

// linkTradeIn makes the appraisal id the trade-in of sale (the zero ID: no trade-in), releasing the sheet the sale
// had before. The sheet must be the dealer's (crm.KindInvalid naming "trade_in_appraisal_id" otherwise), approved
// (appraisal.ErrNotApproved), not the trade-in of another sale (appraisal.ErrTradeInTaken) and priced in the
// sale's currency, cur (crm.KindInvalid). It sets sale.TradeInAppraisalID; the caller saves the sale.
func linkTradeIn(ctx context.Context, st Stores, sale *Sale, cur crm.Currency, id crm.ID) error {
	if id == sale.TradeInAppraisalID {
		return nil
	}
	now := crm.Now(ctx)
	if err := releaseTradeIn(ctx, st, sale); err != nil {
		return err
	}
	if id == (crm.ID{}) {
		return nil
	}
	a, err := reference(ctx, "trade_in_appraisal_id", id, st.Appraisals().Get)
	if err != nil {
		return err
	}
	if cur != "" && a.Currency() != cur {
		return crm.Invalid("sales", crm.FieldError{Field: "trade_in_appraisal_id",
			Message: fmt.Sprintf("the appraisal is priced in %s, the sale in %s", a.Currency(), cur)})
	}
	if err := a.TakeAsTradeIn(sale.ID, now); err != nil {
		return fmt.Errorf("trade_in_appraisal_id: %w", err)
	}
	if err := st.Appraisals().Update(ctx, &a); err != nil {
		return err
	}
	sale.TradeInAppraisalID = id
	return nil
}

// releaseTradeIn gives the sale's trade-in sheet back (it may then be another sale's) and clears the link.
func releaseTradeIn(ctx context.Context, st Stores, sale *Sale) error {
	if sale.TradeInAppraisalID == (crm.ID{}) {
		return nil
	}
	a, err := st.Appraisals().Get(ctx, sale.TradeInAppraisalID)
	switch {
	case errors.Is(err, crm.ErrNotFound):
		sale.TradeInAppraisalID = crm.ID{}
		return nil
	case err != nil:
		return err
	}
	if a.TradeInSaleID == sale.ID {
		a.Release(crm.Now(ctx))
		if err := st.Appraisals().Update(ctx, &a); err != nil {
			return err
		}
	}
	sale.TradeInAppraisalID = crm.ID{}
	return nil
}

// tradeInTerms puts the sale's trade-in in the contract's input: the car as printed and its price, credited
// against the total (the remainder is the buyer's own funds and the credit). A sale without one is left as is.
func tradeInTerms(ctx context.Context, st Stores, sale Sale, in *ContractInput) error {
	if sale.TradeInAppraisalID == (crm.ID{}) {
		return nil
	}
	a, err := st.Appraisals().Get(ctx, sale.TradeInAppraisalID)
	if err != nil {
		return internalIfMissing(err)
	}
	in.TradeInVehicle, in.TradeInAmount = a.Title(), a.ProposedPrice
	return nil
}

// TradeIn is the trade-in credit of a sale as its order and contract state it.
type TradeIn struct {
	AppraisalID crm.ID
	Vehicle     string    // the car, as the contract prints it
	Amount      crm.Money // the approved sheet's proposed price, credited to the buyer
}

// BankCredit is the part of a sale's price a bank pays, as its contract states it.
type BankCredit struct {
	ApplicationID crm.ID
	Bank          string
	Amount        crm.Money
	TermMonths    int
}

// Settlement is how a sale's price is paid: the total of its order (or its amount), the credit lines against it
// (the trade-in and the bank credit) and what remains for the buyer to pay from own funds.
type Settlement struct {
	Total     crm.Money
	TradeIn   *TradeIn    // nil without a trade-in
	Credit    *BankCredit // nil without a credit that funds the sale
	Remainder crm.Money
}

// GetSaleSettlement returns how the sale is paid, from the same links its contract states: the order's gross
// total (the sale's amount without an order) less the trade-in credit and the bank credit is the remainder.
// crm.KindNotFound for an unknown sale.
func (s *Service) GetSaleSettlement(ctx context.Context, saleID crm.ID) (Settlement, error) {
	var out Settlement
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		out = Settlement{} // fn may run more than once
		sale, err := st.Sales().Get(ctx, saleID)
		if err != nil {
			return err
		}
		order, err := st.Orders().FindBySale(ctx, sale.ID)
		switch {
		case err == nil:
			out.Total = salePrice(sale, &order)
		case errors.Is(err, crm.ErrNotFound):
			out.Total = salePrice(sale, nil)
		default:
			return err
		}
		var in ContractInput
		if err := paymentLinks(ctx, st, sale, &in); err != nil {
			return err
		}
		out.Remainder = out.Total
		if sale.TradeInAppraisalID != (crm.ID{}) {
			out.TradeIn = &TradeIn{AppraisalID: sale.TradeInAppraisalID, Vehicle: in.TradeInVehicle, Amount: in.TradeInAmount}
			if out.Remainder, err = out.Remainder.Sub(in.TradeInAmount); err != nil {
				return err
			}
		}
		if in.CreditAmount.IsPositive() {
			out.Credit = &BankCredit{ApplicationID: sale.CreditApplicationID, Bank: in.CreditBank, Amount: in.CreditAmount,
				TermMonths: in.CreditTermMonths}
			if out.Remainder, err = out.Remainder.Sub(in.CreditAmount); err != nil {
				return err
			}
		}
		return nil
	})
	return out, wrap("sales.Service.GetSaleSettlement", err)
}
