package catalog

import (
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// PriceRule is one of the dealer's own price rules, applied on top of a configuration's price (Configuration.Quote):
// a percentage of the subtotal (configuration + options + colours) and/or a fixed amount, positive for a mark-up,
// negative for a discount. It applies to every configuration under the make, model, generation or configuration
// it names (zero IDs match any), while valid.
type PriceRule struct {
	crm.Meta
	Name            string
	MakeID          crm.ID
	ModelID         crm.ID
	GenerationID    crm.ID
	ConfigurationID crm.ID
	Percent         decimal.Decimal // of the subtotal: 1.5 adds 1.5 %, -3 takes 3 % off; greater than -100
	Amount          crm.Money       // added (negative: taken off), in the dealer's currency
	ValidFrom       time.Time       // zero: always was
	ValidTo         time.Time       // exclusive; zero: open
}

// NewPriceRule validates r and builds a price rule of dealer created at now. An amount without currency is in the
// dealer's. It returns a crm.KindInvalid error naming each bad field: name, percent, amount, valid_to.
func NewPriceRule(dealer crm.Dealer, r PriceRule, now time.Time) (PriceRule, error) {
	if err := r.normalize("catalog.NewPriceRule", dealer); err != nil {
		return PriceRule{}, err
	}
	r.Meta = crm.NewMeta(dealer.ID, now)
	return r, nil
}

// Edit replaces the rule with card, validated as NewPriceRule does.
func (r *PriceRule) Edit(dealer crm.Dealer, card PriceRule) error {
	if err := card.normalize("catalog.PriceRule.Edit", dealer); err != nil {
		return err
	}
	card.Meta = r.Meta
	*r = card
	return nil
}

func (r *PriceRule) normalize(op string, dealer crm.Dealer) error {
	var p crm.Problems
	r.Name = strings.TrimSpace(r.Name)
	p.Require("name", r.Name)
	if r.Percent.LessThanOrEqual(decimal.NewFromInt(-100)) {
		p.Add("percent", "must be greater than -100")
	}
	cur, ok := cardCurrency(&p, "amount", crm.Money{}, dealer)
	if ok {
		if r.Amount.Currency == "" {
			r.Amount.Currency = cur
		}
		if c, err := crm.ParseCurrency(string(r.Amount.Currency)); err != nil || c != cur {
			p.Add("amount", "must be in %s, the dealer's currency", cur)
		} else {
			r.Amount.Currency = c
		}
	}
	r.ValidFrom, r.ValidTo = utc(r.ValidFrom), utc(r.ValidTo)
	if !r.ValidFrom.IsZero() && !r.ValidTo.IsZero() && !r.ValidTo.After(r.ValidFrom) {
		p.Add("valid_to", "must be after valid_from")
	}
	return p.Err(op)
}

// AppliesTo reports whether the rule applies to configuration c at instant at.
func (r PriceRule) AppliesTo(c Configuration, at time.Time) bool {
	match := func(want, got crm.ID) bool { return want == (crm.ID{}) || want == got }
	return match(r.MakeID, c.MakeID) && match(r.ModelID, c.ModelID) && match(r.GenerationID, c.GenerationID) &&
		match(r.ConfigurationID, c.ID) && (r.ValidFrom.IsZero() || !at.Before(r.ValidFrom)) &&
		(r.ValidTo.IsZero() || at.Before(r.ValidTo))
}
