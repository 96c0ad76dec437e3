package credit

import (
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// Program (кредитная программа) is a partner bank's loan offer: its annual rate, the terms, amounts and minimum
// down payment it accepts, its currency, and when and whether it may be applied for.
type Program struct {
	crm.Meta
	Bank                  string          // the lending bank, as printed on the contract: "ПАО «Банк»"
	Name                  string          // the program's name: "Автокредит Стандарт"
	AnnualRate            decimal.Decimal // percent a year: 6.9
	MinTermMonths         int             // the shortest term, months (≥ 1)
	MaxTermMonths         int             // the longest term, months (≤ MaxTermMonths)
	MinDownPaymentPercent decimal.Decimal // of the vehicle price, 0–100
	MinAmount             crm.Money       // the smallest loan
	MaxAmount             crm.Money       // the largest loan
	Currency              crm.Currency    // of every amount
	ValidFrom             time.Time       // the first day applications may be made (a date, UTC midnight)
	ValidTo               time.Time       // the last day (a date, UTC midnight); zero: open-ended
	Active                bool            // the dealer offers it now
}

// ProgramInput is a program as a caller describes it, to create one or to replace one's terms.
type ProgramInput struct {
	Bank                  string
	Name                  string
	AnnualRate            decimal.Decimal
	MinTermMonths         int
	MaxTermMonths         int
	MinDownPaymentPercent decimal.Decimal
	MinAmount             crm.Money
	MaxAmount             crm.Money
	Currency              crm.Currency // default: the amounts' currency
	ValidFrom             time.Time    // required; its date counts
	ValidTo               time.Time    // optional; its date counts
	Active                bool
}

// NewProgram validates in and returns it as a new program of dealer created at now. The bank and the name are
// required; the rate is 0 to below 100 %; the terms 1 ≤ min ≤ max ≤ MaxTermMonths; the minimum down payment 0 to
// below 100 %; the amounts positive, min ≤ max, in the program's currency; valid_from required and not after
// valid_to. It returns a crm.KindInvalid error naming every wrong field (bank, name, annual_rate,
// min_term_months, max_term_months, min_down_payment_percent, min_amount, max_amount, currency, valid_from,
// valid_to).
func NewProgram(dealer crm.ID, in ProgramInput, now time.Time) (Program, error) {
	p, err := in.program("credit.NewProgram")
	if err != nil {
		return Program{}, err
	}
	p.Meta = crm.NewMeta(dealer, now)
	return p, nil
}

// Apply replaces the program's terms with in, validated as NewProgram does; on error p is unchanged.
func (p *Program) Apply(in ProgramInput, now time.Time) error {
	next, err := in.program("credit.Program.Apply")
	if err != nil {
		return err
	}
	next.Meta = p.Meta
	next.UpdatedAt = now.UTC()
	*p = next
	return nil
}

// Input returns the program's terms as an input, for a caller that changes some of them.
func (p Program) Input() ProgramInput {
	return ProgramInput{Bank: p.Bank, Name: p.Name, AnnualRate: p.AnnualRate, MinTermMonths: p.MinTermMonths,
		MaxTermMonths: p.MaxTermMonths, MinDownPaymentPercent: p.MinDownPaymentPercent, MinAmount: p.MinAmount,
		MaxAmount: p.MaxAmount, Currency: p.Currency, ValidFrom: p.ValidFrom, ValidTo: p.ValidTo, Active: p.Active}
}

func (in ProgramInput) program(op string) (Program, error) {
	var p crm.Problems
	hundred := decimal.NewFromInt(100)
	out := Program{Bank: strings.TrimSpace(in.Bank), Name: strings.TrimSpace(in.Name), AnnualRate: in.AnnualRate,
		MinTermMonths: in.MinTermMonths, MaxTermMonths: in.MaxTermMonths, MinDownPaymentPercent: in.MinDownPaymentPercent,
		MinAmount: in.MinAmount, MaxAmount: in.MaxAmount, Currency: in.Currency, ValidFrom: dateOf(in.ValidFrom),
		ValidTo: dateOf(in.ValidTo), Active: in.Active}
	p.Require("bank", out.Bank)
	p.Require("name", out.Name)
	if out.AnnualRate.IsNegative() || out.AnnualRate.GreaterThanOrEqual(hundred) {
		p.Add("annual_rate", "must be a percent from 0 to below 100")
	}
	if out.MinTermMonths < 1 || out.MinTermMonths > MaxTermMonths {
		p.Add("min_term_months", "must be 1 to %d", MaxTermMonths)
	}
	if out.MaxTermMonths < 1 || out.MaxTermMonths > MaxTermMonths {
		p.Add("max_term_months", "must be 1 to %d", MaxTermMonths)
	} else if out.MaxTermMonths < out.MinTermMonths {
		p.Add("max_term_months", "must not be below min_term_months")
	}
	if out.MinDownPaymentPercent.IsNegative() || out.MinDownPaymentPercent.GreaterThanOrEqual(hundred) {
		p.Add("min_down_payment_percent", "must be a percent from 0 to below 100")
	}
	if out.Currency == "" {
		out.Currency = out.MinAmount.Currency
	}
	validateCurrency(&p, "currency", out.Currency)
	for _, m := range []struct {
		field string
		v     crm.Money
	}{{"min_amount", out.MinAmount}, {"max_amount", out.MaxAmount}} {
		if !m.v.IsPositive() {
			p.Add(m.field, "must be a positive amount")
		}
		if m.v.Currency != out.Currency {
			p.Add(m.field+".currency", "must be the program's currency %s", out.Currency)
		}
	}
	if out.MaxAmount.Amount.LessThan(out.MinAmount.Amount) && out.MaxAmount.IsPositive() {
		p.Add("max_amount", "must not be below min_amount")
	}
	if out.ValidFrom.IsZero() {
		p.Add("valid_from", "is required")
	}
	if !out.ValidTo.IsZero() && out.ValidTo.Before(out.ValidFrom) {
		p.Add("valid_to", "must not be before valid_from")
	}
	return out, p.Err(op)
}

// ValidOn reports whether the program may be applied for on day (its calendar date in UTC): active, and day
// within [ValidFrom, ValidTo] (ValidTo zero: no end).
func (p Program) ValidOn(day time.Time) bool {
	d := dateOf(day)
	return p.Active && !d.Before(p.ValidFrom) && (p.ValidTo.IsZero() || !d.After(p.ValidTo))
}

// dateOf is t's calendar date in UTC, at midnight; the zero time stays zero.
func dateOf(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
