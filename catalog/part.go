package catalog

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Part is a spare part or accessory the dealer sells.
type Part struct {
	crm.Meta
	Number           string    `json:"number"` // the manufacturer's part number, upper-case, unique per dealer
	Name             string    `json:"name"`
	CompatibleModels []string  `json:"compatible_models,omitempty"` // model names as written on vehicle cards
	Quantity         int       `json:"quantity"`                    // in stock, never negative
	Reserved         int       `json:"reserved"`                    // of Quantity, held for work in progress (0..Quantity)
	Price            crm.Money `json:"price"`
}

// Available returns the quantity in stock not reserved.
func (p *Part) Available() int { return p.Quantity - p.Reserved }

// Reserve holds n of the part in stock for work in progress (a service appointment started). It returns
// ErrInsufficientStock (a crm.KindConflict) when fewer than n are available, a crm.KindInvalid error naming
// "quantity" for n < 1; the part is then unchanged.
func (p *Part) Reserve(n int) error {
	if n < 1 {
		return crm.Invalid("catalog.Part.Reserve", crm.FieldError{Field: "quantity", Message: "must be positive"})
	}
	if p.Available() < n {
		return fmt.Errorf("part %s has %d available (%d in stock, %d reserved), cannot reserve %d: %w",
			p.Number, p.Available(), p.Quantity, p.Reserved, n, ErrInsufficientStock)
	}
	p.Reserved += n
	return nil
}

// Release gives back n reserved parts (the work was cancelled); at most what is reserved is released.
func (p *Part) Release(n int) error {
	p.Reserved -= min(max(n, 0), p.Reserved)
	return nil
}

// TakeReserved takes n reserved parts out of stock (the work is done): both the reservation and the quantity go
// down by n. It returns ErrInsufficientStock when fewer than n are reserved.
func (p *Part) TakeReserved(n int) error {
	if n < 0 || n > p.Reserved {
		return fmt.Errorf("part %s has %d reserved, cannot take %d: %w", p.Number, p.Reserved, n, ErrInsufficientStock)
	}
	p.Reserved -= n
	p.Quantity -= n
	return nil
}

// NewPart validates p and builds a part of dealer created at now. The number is trimmed and upper-cased, blank and
// repeated compatible models are dropped, and a price without currency takes the dealer's. It returns a
// crm.KindInvalid error naming each bad field: number, name, quantity, price.
func NewPart(dealer crm.Dealer, p Part, now time.Time) (Part, error) {
	var pr crm.Problems
	p.normalize(&pr, dealer)
	if err := pr.Err("catalog.NewPart"); err != nil {
		return Part{}, err
	}
	p.Meta = crm.NewMeta(dealer.ID, now)
	p.Reserved = 0
	return p, nil
}

// Edit replaces the part's number, name, compatible models and price with card's, validated as NewPart does; the
// quantity changes only through AdjustStock. It returns a crm.KindInvalid error naming each bad field.
func (p *Part) Edit(dealer crm.Dealer, card Part) error {
	card.Quantity, card.Reserved = p.Quantity, p.Reserved
	var pr crm.Problems
	card.normalize(&pr, dealer)
	if err := pr.Err("catalog.Part.Edit"); err != nil {
		return err
	}
	card.Meta = p.Meta
	*p = card
	return nil
}

func (p *Part) normalize(pr *crm.Problems, dealer crm.Dealer) {
	p.Number = strings.ToUpper(strings.TrimSpace(p.Number))
	p.Name = strings.TrimSpace(p.Name)
	pr.Require("number", p.Number)
	pr.Require("name", p.Name)
	if p.Quantity < 0 {
		pr.Add("quantity", "must not be negative")
	} else if p.Quantity > math.MaxInt32 {
		pr.Add("quantity", "is too large")
	}
	if cur, ok := cardCurrency(pr, "price", p.Price, dealer); ok {
		p.Price = inCurrency(pr, "price", p.Price, cur)
	}
	var models []string
	for _, m := range p.CompatibleModels {
		if m = strings.TrimSpace(m); m != "" && !containsString(models, m) {
			models = append(models, m)
		}
	}
	p.CompatibleModels = models
}

// AdjustStock changes the quantity in stock by delta (negative when parts leave). It returns
// ErrInsufficientStock (a crm.KindConflict) when the quantity would go below zero, and a crm.KindInvalid error
// naming "delta" when it would pass 2147483647 (what the database holds); the part is then unchanged.
func (p *Part) AdjustStock(delta int) error {
	if delta > 0 && delta > math.MaxInt32-p.Quantity {
		return crm.Invalid("catalog.Part.AdjustStock", crm.FieldError{Field: "delta", Message: "would take the quantity past 2147483647"})
	}
	if delta < 0 && p.Quantity+delta < p.Reserved {
		return fmt.Errorf("part %s has %d (%d reserved), cannot take %d: %w", p.Number, p.Quantity, p.Reserved, -delta, ErrInsufficientStock)
	}
	p.Quantity += delta
	return nil
}

// Invariants returns a crm.KindInvalid error when p breaks a rule every stored part keeps (non-negative quantity
// and price): the memory adapter refuses what PostgreSQL's CHECK constraints refuse.
func (p *Part) Invariants() error {
	var pr crm.Problems
	if p.Quantity < 0 {
		pr.Add("quantity", "must not be negative")
	}
	if p.Quantity > math.MaxInt32 {
		pr.Add("quantity", "is too large")
	}
	if p.Reserved < 0 || p.Reserved > p.Quantity {
		pr.Add("reserved", "must be between 0 and the quantity")
	}
	if p.Price.IsNegative() {
		pr.Add("price", "must not be negative")
	}
	return pr.Err("catalog.Part")
}

// Clone returns a deep copy.
func (p Part) Clone() Part {
	p.CompatibleModels = cloneStrings(p.CompatibleModels)
	return p
}

// CompatibleWith reports whether the part fits model (compared case-insensitively).
func (p *Part) CompatibleWith(model string) bool {
	for _, m := range p.CompatibleModels {
		if strings.EqualFold(m, model) {
			return true
		}
	}
	return false
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
