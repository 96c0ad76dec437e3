package credit

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// Method is how a loan is repaid.
type Method string

// Repayment methods.
const (
	// Annuity repays in equal monthly payments (аннуитетный платёж): each is principal × i / (1 − (1 + i)^−n), i
	// the monthly rate; the interest share falls and the principal share grows over the term.
	Annuity Method = "annuity"
	// Differentiated repays the principal in equal parts (дифференцированный платёж), each month with the
	// interest on what is still owed, so payments fall over the term.
	Differentiated Method = "differentiated"
)

// Methods lists every repayment method.
func Methods() []Method { return []Method{Annuity, Differentiated} }

// Valid reports whether m is a known method.
func (m Method) Valid() bool { return m == Annuity || m == Differentiated }

// MaxTermMonths is the longest term a schedule is made for (50 years).
const MaxTermMonths = 600

// Installment is one monthly payment of a schedule: its number (1, 2, …), when it is due, how much is paid,
// how that splits into interest and principal, and the principal still owed after it.
type Installment struct {
	Number    int       `json:"number"`
	Due       time.Time `json:"due"`
	Payment   crm.Money `json:"payment"`   // Interest + Principal
	Interest  crm.Money `json:"interest"`  // the month's interest on the balance before the payment
	Principal crm.Money `json:"principal"` // the part of the loan repaid
	Balance   crm.Money `json:"balance"`   // still owed after the payment; zero after the last
}

// Schedule is a loan's payment schedule (график платежей): the installments in order and their sums.
type Schedule struct {
	Payments      []Installment `json:"payments"`
	TotalPaid     crm.Money     `json:"total_paid"`     // the sum of the payments
	TotalInterest crm.Money     `json:"total_interest"` // the sum of the interest; TotalPaid − principal
}

// First returns the first installment's payment (the monthly payment of an annuity, the largest payment of a
// differentiated schedule); the zero Money for an empty schedule.
func (s Schedule) First() crm.Money {
	if len(s.Payments) == 0 {
		return crm.Money{}
	}
	return s.Payments[0].Payment
}

// monthlyRatePrecision is how many decimal places the monthly rate and the annuity factor keep before the
// payment is rounded to the minor unit: far beyond what can move a kopeck on any amount a dealer lends.
const monthlyRatePrecision = 40

// NewSchedule makes the payment schedule of a loan of principal at annualRatePercent (6.9 for 6.9 % a year,
// a nominal rate: the monthly rate is a twelfth of it) repaid by method in months monthly payments, the first
// due on firstDue and each next on the same day of the following month (the month's last day when it is
// shorter). Every amount is rounded half away from zero to the currency's minor unit: the interest of each month
// on the balance owed; an annuity's payment once, from the exact formula; a differentiated schedule's principal
// share once (principal / months). The last payment absorbs the rounding: it repays exactly the balance left, so
// the principal shares add up to the principal to the minor unit and the last balance is zero.
//
// It returns a crm.KindInvalid error naming every wrong argument: "method" (not Annuity or Differentiated),
// "amount" (not positive, finer than the currency's minor unit, or
// without a valid currency), "annual_rate" (negative or 100 and above),
// "term_months" (1 to MaxTermMonths), "first_due" (zero).
func NewSchedule(method Method, principal crm.Money, annualRatePercent decimal.Decimal, months int, firstDue time.Time) (Schedule, error) {
	var p crm.Problems
	if !method.Valid() {
		p.Add("method", "must be annuity or differentiated")
	}
	validateAmount(&p, "amount", principal)
	if annualRatePercent.IsNegative() || annualRatePercent.GreaterThanOrEqual(decimal.NewFromInt(100)) {
		p.Add("annual_rate", "must be a percent from 0 to below 100")
	}
	if months < 1 || months > MaxTermMonths {
		p.Add("term_months", "must be 1 to %d", MaxTermMonths)
	}
	if firstDue.IsZero() {
		p.Add("first_due", "is required")
	}
	if err := p.Err("credit.NewSchedule"); err != nil {
		return Schedule{}, err
	}
	cur := principal.Currency
	places := cur.MinorUnits()
	round := func(d decimal.Decimal) decimal.Decimal { return d.Round(places) }
	i := annualRatePercent.DivRound(decimal.NewFromInt(1200), monthlyRatePrecision)
	n := decimal.NewFromInt(int64(months))
	amount := principal.Amount

	var annuity, share decimal.Decimal
	switch method {
	case Annuity:
		annuity = round(annuityPayment(amount, i, months))
	case Differentiated:
		share = round(amount.Div(n))
	}
	s := Schedule{Payments: make([]Installment, 0, months)}
	paid, interestSum, balance := decimal.Zero, decimal.Zero, amount
	money := func(d decimal.Decimal) crm.Money { return crm.Money{Amount: d, Currency: cur} }
	for k := 1; k <= months; k++ {
		interest := round(balance.Mul(i))
		var part decimal.Decimal
		switch {
		case k == months:
			part = balance
		case method == Annuity:
			part = annuity.Sub(interest)
		default:
			part = share
		}
		if part.GreaterThan(balance) { // a rounding overshoot can only shorten the tail, never owe less than zero
			part = balance
		}
		if part.IsNegative() {
			part = decimal.Zero
		}
		balance = balance.Sub(part)
		pay := part.Add(interest)
		paid, interestSum = paid.Add(pay), interestSum.Add(interest)
		s.Payments = append(s.Payments, Installment{Number: k, Due: DueDate(firstDue, k-1), Payment: money(pay),
			Interest: money(interest), Principal: money(part), Balance: money(balance)})
	}
	s.TotalPaid, s.TotalInterest = money(paid), money(interestSum)
	return s, nil
}

// annuityPayment is the exact annuity payment of amount at monthly rate i over n months (amount / n at no
// interest), to monthlyRatePrecision places.
func annuityPayment(amount, i decimal.Decimal, n int) decimal.Decimal {
	if i.IsZero() {
		return amount.DivRound(decimal.NewFromInt(int64(n)), monthlyRatePrecision)
	}
	one := decimal.NewFromInt(1)
	growth := one
	base := one.Add(i)
	for range n { // (1 + i)^n by repeated multiplication, truncated to the working precision each step
		growth = growth.Mul(base).Round(monthlyRatePrecision)
	}
	// amount × i × (1+i)^n / ((1+i)^n − 1), the same as amount × i / (1 − (1+i)^−n)
	return amount.Mul(i).Mul(growth).DivRound(growth.Sub(one), monthlyRatePrecision)
}

// DueDate is the date of the installment months after first: the same day of the month, or the month's last
// day when the month is shorter (31 January + 1 month = 28 or 29 February), at first's time of day, in UTC.
func DueDate(first time.Time, months int) time.Time {
	first = first.UTC()
	y, m, d := first.Date()
	target := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := target.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	h, mi, sec := first.Clock()
	return time.Date(target.Year(), target.Month(), d, h, mi, sec, first.Nanosecond(), time.UTC)
}

// validateAmount records in p what is wrong with m as a positive amount in a valid currency under field.
func validateAmount(p *crm.Problems, field string, m crm.Money) {
	if !m.IsPositive() {
		p.Add(field, "must be a positive amount")
	} else if m.Amount.Exponent() < -m.Currency.MinorUnits() && !m.Amount.Equal(m.Amount.Round(m.Currency.MinorUnits())) {
		p.Add(field, "has more decimal places than %s has minor digits (%d)", m.Currency, m.Currency.MinorUnits())
	}
	validateCurrency(p, field+".currency", m.Currency)
}

func validateCurrency(p *crm.Problems, field string, c crm.Currency) {
	if got, err := crm.ParseCurrency(string(c)); err != nil || got != c {
		p.Add(field, "must be an ISO 4217 code in capitals")
	}
}
