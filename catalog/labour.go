package catalog

import (
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// Labour is a labour operation the workshop sells: an oil change, a wheel alignment. Over HTTP and in product
// search it is a "service" (/api/v1/services, kind "service"); in Go it is Labour so that it is never confused
// with the application services (catalog.Service, leads.Service, ...).
type Labour struct {
	crm.Meta
	Code        string          `json:"code"` // the dealer's operation code, upper-case, unique per dealer
	Name        string          `json:"name"`
	LabourHours decimal.Decimal `json:"labour_hours"` // standard time, never negative
	Price       crm.Money       `json:"price"`
}

// NewLabour validates s and builds a labour operation of dealer created at now. The code is trimmed and upper-cased,
// and a price without currency takes the dealer's. It returns a crm.KindInvalid error naming each bad field: code,
// name, labour_hours, price.
func NewLabour(dealer crm.Dealer, s Labour, now time.Time) (Labour, error) {
	var p crm.Problems
	s.normalize(&p, dealer)
	if err := p.Err("catalog.NewLabour"); err != nil {
		return Labour{}, err
	}
	s.Meta = crm.NewMeta(dealer.ID, now)
	return s, nil
}

// Edit replaces the labour operation's code, name, labour hours and price with card's, validated as NewLabour does.
// It returns a crm.KindInvalid error naming each bad field.
func (s *Labour) Edit(dealer crm.Dealer, card Labour) error {
	var p crm.Problems
	card.normalize(&p, dealer)
	if err := p.Err("catalog.Labour.Edit"); err != nil {
		return err
	}
	card.Meta = s.Meta
	*s = card
	return nil
}

func (s *Labour) normalize(p *crm.Problems, dealer crm.Dealer) {
	s.Code = strings.ToUpper(strings.TrimSpace(s.Code))
	s.Name = strings.TrimSpace(s.Name)
	p.Require("code", s.Code)
	p.Require("name", s.Name)
	if s.LabourHours.IsNegative() {
		p.Add("labour_hours", "must not be negative")
	}
	if cur, ok := cardCurrency(p, "price", s.Price, dealer); ok {
		s.Price = inCurrency(p, "price", s.Price, cur)
	}
}

// Invariants returns a crm.KindInvalid error when s breaks a rule every stored labour operation keeps (non-negative
// labour hours and price): the memory adapter refuses what PostgreSQL's CHECK constraints refuse.
func (s *Labour) Invariants() error {
	var p crm.Problems
	if s.LabourHours.IsNegative() {
		p.Add("labour_hours", "must not be negative")
	}
	if s.Price.IsNegative() {
		p.Add("price", "must not be negative")
	}
	return p.Err("catalog.Labour")
}
