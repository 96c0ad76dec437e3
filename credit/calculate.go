package credit

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/dealercrm/dealercrm/crm"
)

// CalcInput is a loan to calculate without storing anything: the credit desk's calculator.
type CalcInput struct {
	// Method is how the loan is repaid; "" is Annuity.
	Method Method
	// Amount is the principal; without a currency it is in the dealer's currency.
	Amount crm.Money
	// AnnualRatePercent is the nominal rate a year, 6.9 for 6.9 %.
	AnnualRatePercent decimal.Decimal
	// TermMonths is the number of monthly payments.
	TermMonths int
	// FirstDue is the first payment's date; zero is a month from now (DueDate of the clock's time).
	FirstDue time.Time
}

// Calculate returns the payment schedule of in (NewSchedule) after filling its defaults: the annuity method, the
// dealer's currency for an amount without one (read only then), the first payment a month from now. It stores
// nothing. crm.KindForbidden without a dealer in ctx; crm.KindInvalid naming every wrong field as NewSchedule does.
func (s *Service) Calculate(ctx context.Context, in CalcInput) (Schedule, error) {
	const op = "credit.Service.Calculate"
	dealerID, err := crm.DealerFrom(ctx)
	if err != nil {
		return Schedule{}, crm.Wrap(op, err)
	}
	if in.Method == "" {
		in.Method = Annuity
	}
	if in.FirstDue.IsZero() {
		in.FirstDue = DueDate(s.clock.Now(), 1)
	}
	if in.Amount.Currency == "" {
		err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
			d, err := st.Dealers().Get(ctx, dealerID)
			in.Amount.Currency = d.Currency
			return err
		})
		if err != nil {
			return Schedule{}, crm.Wrap(op, err)
		}
	}
	sched, err := NewSchedule(in.Method, in.Amount, in.AnnualRatePercent, in.TermMonths, in.FirstDue)
	return sched, crm.Wrap(op, err)
}
