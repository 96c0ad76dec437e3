package catalog

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Configuration is a trim of a generation («комплектация»): its technical data, standard equipment, list price
// and the period the price is valid in, the options and option packs it offers with the rules between them, and
// the colours it comes in with their surcharges. A vehicle card may be built from it (VehicleBuild).
type Configuration struct {
	crm.Meta
	MakeID       crm.ID // kept by the service from the generation
	ModelID      crm.ID // kept by the service from the generation
	GenerationID crm.ID // the generation it is a trim of
	Code         string // the dealer's code, upper-case, unique per dealer ("VESTA-COMFORT")
	Name         string // the trim's name ("Comfort")
	Body         string // body type ("sedan", "SW Cross")
	Specs        VehicleSpecs
	Equipment    []string  // standard equipment, one item each
	Price        crm.Money // the list price of the configuration without options
	ValidFrom    time.Time // the price is valid from this instant (zero: always was)
	ValidTo      time.Time // until this instant, exclusive (zero: open)
	Options      []Option
	Colors       []Color
}

// OptionKind tells a single option from an option pack.
type OptionKind string

// Option kinds.
const (
	OptionSingle OptionKind = "option" // one item: a tow bar, heated seats
	OptionPack   OptionKind = "pack"   // several options sold together (Includes) at the pack's price
)

// OptionKinds returns every option kind.
func OptionKinds() []OptionKind { return []OptionKind{OptionSingle, OptionPack} }

// Option is an option or option pack a configuration offers, with its price and its rules. Rules name other
// options of the same configuration by code.
type Option struct {
	ID       crm.ID // given on creation, kept across edits (matched by code)
	Code     string // upper-case, unique within the configuration
	Name     string
	Kind     OptionKind
	Price    crm.Money
	Includes []string // a pack's options (single options), sold within it at no extra price
	Requires []string // options that must be chosen too (directly or in a pack)
	Excludes []string // options that cannot be chosen with this one (the rule holds both ways)
}

// ColorKind says where a colour is: the body or the interior.
type ColorKind string

// Colour kinds.
const (
	Exterior ColorKind = "exterior"
	Interior ColorKind = "interior"
)

// ColorKinds returns every colour kind.
func ColorKinds() []ColorKind { return []ColorKind{Exterior, Interior} }

// Color is a colour a configuration comes in, with its surcharge (zero for the base colours).
type Color struct {
	Code      string // upper-case, unique within the configuration and kind
	Name      string
	Kind      ColorKind
	Surcharge crm.Money
}

// NewConfiguration validates c and builds a configuration of dealer created at now (see Configuration.normalize
// for the rules). Options without an ID get one. It returns a crm.KindInvalid error naming each bad field
// (generation_id, code, name, price, valid_to, specs.*, equipment[i], options[i].code, options[i].requires[j],
// colors[i].surcharge, ...).
func NewConfiguration(dealer crm.Dealer, c Configuration, now time.Time) (Configuration, error) {
	var p crm.Problems
	c.normalize(&p, dealer, nil)
	if err := p.Err("catalog.NewConfiguration"); err != nil {
		return Configuration{}, err
	}
	c.Meta = crm.NewMeta(dealer.ID, now)
	return c, nil
}

// Edit replaces the configuration's data with card's, validated as NewConfiguration does. The generation (and so
// the model and make) is kept; an option keeps its ID when card names the same code without an ID. It returns a
// crm.KindInvalid error naming each bad field; c is then unchanged.
func (c *Configuration) Edit(dealer crm.Dealer, card Configuration) error {
	var p crm.Problems
	card.MakeID, card.ModelID, card.GenerationID = c.MakeID, c.ModelID, c.GenerationID
	card.normalize(&p, dealer, c.Options)
	if err := p.Err("catalog.Configuration.Edit"); err != nil {
		return err
	}
	card.Meta = c.Meta
	*c = card
	return nil
}

// Clone returns a deep copy.
func (c Configuration) Clone() Configuration {
	c.Equipment = slices.Clone(c.Equipment)
	c.Colors = slices.Clone(c.Colors)
	opts := make([]Option, len(c.Options))
	for i, o := range c.Options {
		o.Includes, o.Requires, o.Excludes = slices.Clone(o.Includes), slices.Clone(o.Requires), slices.Clone(o.Excludes)
		opts[i] = o
	}
	if c.Options == nil {
		opts = nil
	}
	c.Options = opts
	return c
}

// normalize trims and checks the configuration; old are the options stored before an edit, whose IDs are kept.
func (c *Configuration) normalize(p *crm.Problems, dealer crm.Dealer, old []Option) {
	c.Code = strings.ToUpper(strings.TrimSpace(c.Code))
	c.Name = strings.TrimSpace(c.Name)
	c.Body = strings.TrimSpace(c.Body)
	if c.GenerationID == (crm.ID{}) {
		p.Add("generation_id", "is required")
	}
	p.Require("code", c.Code)
	p.Require("name", c.Name)
	c.Specs.check(p)
	for i := range c.Equipment {
		c.Equipment[i] = strings.TrimSpace(c.Equipment[i])
		if c.Equipment[i] == "" {
			p.Add(fmt.Sprintf("equipment[%d]", i), "must not be blank")
		}
	}
	cur, ok := cardCurrency(p, "price", c.Price, dealer)
	if ok {
		c.Price = inCurrency(p, "price", c.Price, cur)
	}
	c.ValidFrom, c.ValidTo = utc(c.ValidFrom), utc(c.ValidTo)
	if !c.ValidFrom.IsZero() && !c.ValidTo.IsZero() && !c.ValidTo.After(c.ValidFrom) {
		p.Add("valid_to", "must be after valid_from")
	}
	c.normalizeOptions(p, cur, ok, old)
	c.normalizeColors(p, cur, ok)
}

func (c *Configuration) normalizeOptions(p *crm.Problems, cur crm.Currency, curOK bool, old []Option) {
	kinds := map[string]OptionKind{}
	for i := range c.Options {
		o := &c.Options[i]
		f := fmt.Sprintf("options[%d]", i)
		o.Code = strings.ToUpper(strings.TrimSpace(o.Code))
		o.Name = strings.TrimSpace(o.Name)
		p.Require(f+".code", o.Code)
		p.Require(f+".name", o.Name)
		if o.Kind == "" {
			o.Kind = OptionSingle
		}
		if !slices.Contains(OptionKinds(), o.Kind) {
			p.Add(f+".kind", "must be option or pack")
		}
		if _, dup := kinds[o.Code]; dup && o.Code != "" {
			p.Add(f+".code", "%s is already an option of the configuration", o.Code)
		}
		kinds[o.Code] = o.Kind
		if curOK {
			o.Price = inCurrency(p, f+".price", o.Price, cur)
		}
		if o.ID == (crm.ID{}) {
			for _, was := range old {
				if was.Code == o.Code {
					o.ID = was.ID
				}
			}
		}
		if o.ID == (crm.ID{}) {
			o.ID = crm.NewID()
		}
		o.Includes, o.Requires, o.Excludes = codes(o.Includes), codes(o.Requires), codes(o.Excludes)
	}
	ids := map[crm.ID]bool{}
	for i, o := range c.Options {
		f := fmt.Sprintf("options[%d]", i)
		if ids[o.ID] {
			p.Add(f+".id", "is already the ID of another option")
		}
		ids[o.ID] = true
		if o.Kind == OptionSingle && len(o.Includes) > 0 {
			p.Add(f+".includes", "only a pack includes options")
		}
		if o.Kind == OptionPack && len(o.Includes) == 0 {
			p.Add(f+".includes", "a pack includes at least one option")
		}
		for _, r := range []struct {
			name  string
			codes []string
		}{{"includes", o.Includes}, {"requires", o.Requires}, {"excludes", o.Excludes}} {
			for j, code := range r.codes {
				g := fmt.Sprintf("%s.%s[%d]", f, r.name, j)
				kind, known := kinds[code]
				switch {
				case code == o.Code:
					p.Add(g, "an option cannot name itself")
				case !known:
					p.Add(g, "%s is not an option of the configuration", code)
				case r.name == "includes" && kind != OptionSingle:
					p.Add(g, "a pack includes single options only, not the pack %s", code)
				case r.name == "excludes" && slices.Contains(o.Requires, code):
					p.Add(g, "%s is also required", code)
				}
			}
		}
	}
}

func (c *Configuration) normalizeColors(p *crm.Problems, cur crm.Currency, curOK bool) {
	seen := map[ColorKind]map[string]bool{}
	for i := range c.Colors {
		col := &c.Colors[i]
		f := fmt.Sprintf("colors[%d]", i)
		col.Code = strings.ToUpper(strings.TrimSpace(col.Code))
		col.Name = strings.TrimSpace(col.Name)
		p.Require(f+".code", col.Code)
		p.Require(f+".name", col.Name)
		if !slices.Contains(ColorKinds(), col.Kind) {
			p.Add(f+".kind", "must be exterior or interior")
		}
		if seen[col.Kind] == nil {
			seen[col.Kind] = map[string]bool{}
		}
		if seen[col.Kind][col.Code] && col.Code != "" {
			p.Add(f+".code", "%s is already an %s colour of the configuration", col.Code, col.Kind)
		}
		seen[col.Kind][col.Code] = true
		if curOK {
			col.Surcharge = inCurrency(p, f+".surcharge", col.Surcharge, cur)
		}
	}
}

// codes trims and upper-cases option codes, dropping blanks and repeats.
func codes(in []string) []string {
	var out []string
	for _, s := range in {
		s = strings.ToUpper(strings.TrimSpace(s))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Invariants returns a crm.KindInvalid error when c breaks a rule every stored configuration keeps (a non-negative
// price and surcharges in the price's currency): the memory adapter refuses what PostgreSQL's CHECK refuses.
func (c *Configuration) Invariants() error {
	var p crm.Problems
	cur := c.Price.Currency
	storedMoney(&p, "price", c.Price, cur)
	for i, o := range c.Options {
		storedMoney(&p, fmt.Sprintf("options[%d].price", i), o.Price, cur)
	}
	for i, col := range c.Colors {
		storedMoney(&p, fmt.Sprintf("colors[%d].surcharge", i), col.Surcharge, cur)
	}
	return p.Err("catalog.Configuration")
}

// Option returns the option with that ID or code (codes compared without case).
func (c Configuration) Option(idOrCode string) (Option, bool) {
	key := strings.TrimSpace(idOrCode)
	for _, o := range c.Options {
		if o.ID.String() == strings.ToLower(key) || o.Code == strings.ToUpper(key) {
			return o, true
		}
	}
	return Option{}, false
}

// Color returns the colour of kind with that code (compared without case).
func (c Configuration) Color(kind ColorKind, code string) (Color, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, col := range c.Colors {
		if col.Kind == kind && col.Code == code {
			return col, true
		}
	}
	return Color{}, false
}

// ValidAt reports whether the configuration's price is valid at t: ValidFrom ≤ t < ValidTo.
func (c Configuration) ValidAt(t time.Time) bool {
	return (c.ValidFrom.IsZero() || !t.Before(c.ValidFrom)) && (c.ValidTo.IsZero() || t.Before(c.ValidTo))
}

// HasOption reports whether the configuration offers the option with that code.
func (c Configuration) HasOption(code string) bool {
	_, ok := c.Option(code)
	return ok
}
