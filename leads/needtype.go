package leads

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// The need-type codes every dealer's directory is seeded with.
const (
	NeedCarPurchase = "car_purchase"
	NeedTradeIn     = "trade_in"
	NeedSpareParts  = "spare_parts"
	NeedAccessories = "accessories"
	NeedService     = "service"
)

// NeedType is one entry of a dealer's need-type directory: why leads come. Dealers add, rename, reorder and
// deactivate entries; the code is fixed once created. A deactivated need type stays on the leads that have it
// but cannot be given to new ones.
type NeedType struct {
	crm.Meta
	Code   string `json:"code"`
	Name   string `json:"name"`              // shown to users; the seeded entries are named in Russian
	NameEn string `json:"name_en,omitempty"` // the English name, for other locales
	Order  int    `json:"order"`
	Active bool   `json:"active"`
}

// DefaultNeedTypes returns the directory a dealer is seeded with, named as the product description names them
// («Покупка автомобиля», «Trade in», «Запасные части», «Аксессуары», «Сервис») with an English name beside.
func DefaultNeedTypes() []NeedType {
	return []NeedType{
		{Code: NeedCarPurchase, Name: "Покупка автомобиля", NameEn: "Car purchase", Order: 10, Active: true},
		{Code: NeedTradeIn, Name: "Trade in", NameEn: "Trade-in", Order: 20, Active: true},
		{Code: NeedSpareParts, Name: "Запасные части", NameEn: "Spare parts", Order: 30, Active: true},
		{Code: NeedAccessories, Name: "Аксессуары", NameEn: "Accessories", Order: 40, Active: true},
		{Code: NeedService, Name: "Сервис", NameEn: "Service", Order: 50, Active: true},
	}
}

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// NewNeedType validates and builds an active need type of dealer: a code of lower-case letters, digits and
// underscores (starting with a letter, at most 40) and a name.
func NewNeedType(dealer crm.ID, n NeedType, now time.Time) (NeedType, error) {
	var p crm.Problems
	n.Code = strings.TrimSpace(n.Code)
	if !codePattern.MatchString(n.Code) {
		p.Add("code", "must be lower-case letters, digits and _, starting with a letter, at most 40")
	}
	n.Name = strings.TrimSpace(n.Name)
	p.Require("name", n.Name)
	if err := p.Err("leads.NewNeedType"); err != nil {
		return NeedType{}, err
	}
	n.Meta = crm.NewMeta(dealer, now)
	n.Active = true
	return n, nil
}

// NeedTypeChange is an edit of a need type; nil fields stay as they are.
type NeedTypeChange struct {
	Name   *string `json:"name,omitempty"`
	Order  *int    `json:"order,omitempty"`
	Active *bool   `json:"active,omitempty"`
}

// Apply applies c to n at now; a blank name is refused.
func (n *NeedType) Apply(c NeedTypeChange, now time.Time) error {
	if c.Name != nil {
		name := strings.TrimSpace(*c.Name)
		if name == "" {
			return crm.Invalid("leads.NeedType.Apply", crm.FieldError{Field: "name", Message: "is required"})
		}
		n.Name = name
	}
	if c.Order != nil {
		n.Order = *c.Order
	}
	if c.Active != nil {
		n.Active = *c.Active
	}
	n.UpdatedAt = now
	return nil
}

// usable returns an error naming field when a lead cannot be given n.
func (n NeedType) usable(op, field string) error {
	if !n.Active {
		return crm.Invalid(op, crm.FieldError{Field: field, Message: fmt.Sprintf("need type %q is deactivated", n.Code)})
	}
	return nil
}
