package catalog

import (
	"github.com/dealercrm/dealercrm/crm"
)

// cardCurrency returns the currency of a card's money: m's own, or the dealer's default when m has none (RUB when
// the dealer has none either). A currency that is not an ISO 4217 code is recorded against field; ok is then false.
func cardCurrency(p *crm.Problems, field string, m crm.Money, dealer crm.Dealer) (cur crm.Currency, ok bool) {
	switch {
	case m.Currency != "":
		cur = m.Currency
	case dealer.Currency != "":
		cur = dealer.Currency
	default:
		cur = "RUB"
	}
	c, err := crm.ParseCurrency(string(cur))
	if err != nil {
		p.Add(field, "currency %q is not an ISO 4217 code", cur)
		return "", false
	}
	return c, true
}

// inCurrency checks that m is a non-negative amount in cur (a valid code) and returns it with the currency filled
// in (an amount without currency is taken to be in cur). Problems are recorded against field.
func inCurrency(p *crm.Problems, field string, m crm.Money, cur crm.Currency) crm.Money {
	if m.Currency == "" {
		m.Currency = cur
	}
	c, err := crm.ParseCurrency(string(m.Currency))
	switch {
	case err != nil:
		p.Add(field, "currency %q is not an ISO 4217 code", m.Currency)
		return m
	case c != cur:
		p.Add(field, "must be in %s like the other amounts, not %s", cur, c)
		return m
	}
	m.Currency = c
	if m.IsNegative() {
		p.Add(field, "must not be negative")
	}
	crm.CheckMoney(p, field, m)
	return m
}

// storedMoney reports what the database refuses of a stored amount: a negative amount or one in another
// currency than cur.
func storedMoney(p *crm.Problems, field string, m crm.Money, cur crm.Currency) {
	if m.IsNegative() {
		p.Add(field, "must not be negative")
	}
	if m.Currency != cur {
		p.Add(field, "must be in %s, not %q", cur, m.Currency)
	}
}
