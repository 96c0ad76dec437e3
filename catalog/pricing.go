package catalog

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// Selection is what a buyer chooses on a configuration: options and packs (each by its ID or its code) and the
// colours (by code; "" chooses none).
type Selection struct {
	Options       []string
	ExteriorColor string
	InteriorColor string
}

// PriceLineKind says what a line of a quote prices.
type PriceLineKind string

// Quote line kinds.
const (
	LineConfiguration PriceLineKind = "configuration"
	LineOption        PriceLineKind = "option"
	LinePack          PriceLineKind = "pack"
	LineExteriorColor PriceLineKind = "exterior_color"
	LineInteriorColor PriceLineKind = "interior_color"
	LinePriceRule     PriceLineKind = "price_rule"
)

// PriceLineKinds returns every quote line kind.
func PriceLineKinds() []PriceLineKind {
	return []PriceLineKind{LineConfiguration, LineOption, LinePack, LineExteriorColor, LineInteriorColor, LinePriceRule}
}

// PriceLine is one line of a quote: what it prices and its amount (a price rule's may be negative).
type PriceLine struct {
	Kind   PriceLineKind
	Code   string // the configuration's, option's or colour's code; empty for a price rule
	Name   string
	Amount crm.Money
}

// Quote is the price of a configuration as chosen: the configuration, each chosen option or pack, each colour's
// surcharge, then each of the dealer's price rules that applies; Total is the sum of the lines, to the kopeck.
type Quote struct {
	ConfigurationID crm.ID
	Selection       Selection // as chosen, normalised: option codes, colour codes
	Lines           []PriceLine
	Total           crm.Money
	At              time.Time // the instant the prices were valid at
	AllOptions      []string  // the codes of every option the quote includes (its packs' too), sorted
}

// Chosen is a selection checked against its configuration: the options in the order chosen, every option they
// amount to (packs' included ones too), and the colours.
type Chosen struct {
	Options   []Option // as chosen
	Effective []Option // Options plus the options of chosen packs, each once
	Exterior  *Color
	Interior  *Color
}

// Choose checks sel against the configuration: every option offered, none chosen twice or beside a chosen pack
// that includes it, no two that exclude each other (both named), none missing one it requires, the colours
// offered. It returns a crm.KindInvalid error naming every wrong field as the HTTP body does: option_ids[i],
// exterior_color, interior_color.
func (c Configuration) Choose(sel Selection) (Chosen, error) {
	problems := map[int][]string{}
	note := func(i int, format string, args ...any) {
		problems[i] = append(problems[i], fmt.Sprintf(format, args...))
	}
	var (
		out     Chosen
		index   = map[string]int{} // option code → index in sel.Options of the choice that brings it
		chosen  []int              // index in sel.Options of each of out.Options
		packOf  = map[string]string{}
		p       crm.Problems
		fieldOf = func(i int) string { return fmt.Sprintf("option_ids[%d]", i) }
	)
	for i, ref := range sel.Options {
		o, ok := c.Option(ref)
		if !ok {
			note(i, "%q is not an option of configuration %s", strings.TrimSpace(ref), c.Code)
			continue
		}
		if j, dup := index[o.Code]; dup && chosenAt(chosen, j) {
			note(i, "%s is already chosen", o.Code)
			continue
		}
		index[o.Code] = i
		chosen = append(chosen, i)
		out.Options = append(out.Options, o)
	}
	// The packs bring their options; an option chosen beside a pack that includes it is chosen twice.
	for k, o := range out.Options {
		if o.Kind != OptionPack {
			continue
		}
		for _, code := range o.Includes {
			if j, dup := index[code]; dup && j != chosen[k] {
				note(j, "%s is already in the pack %s", code, o.Code)
			}
			index[code] = chosen[k]
			packOf[code] = o.Code
		}
	}
	for code := range index {
		o, _ := c.Option(code)
		out.Effective = append(out.Effective, o)
	}
	sort.Slice(out.Effective, func(i, j int) bool { return out.Effective[i].Code < out.Effective[j].Code })
	for _, o := range out.Effective {
		i := index[o.Code]
		for _, x := range o.Excludes {
			if j, ok := index[x]; ok {
				note(i, "%s excludes %s", o.Code, x)
				note(j, "%s is excluded by %s", x, o.Code)
			}
		}
		for _, r := range o.Requires {
			if _, ok := index[r]; !ok {
				note(i, "%s requires %s, which is not chosen", o.Code, r)
			}
		}
	}
	keys := make([]int, 0, len(problems))
	for i := range problems {
		keys = append(keys, i)
	}
	sort.Ints(keys)
	for _, i := range keys {
		p.Add(fieldOf(i), "%s", strings.Join(dedupe(problems[i]), "; "))
	}
	for _, pick := range []struct {
		field string
		kind  ColorKind
		code  string
		into  **Color
	}{{"exterior_color", Exterior, sel.ExteriorColor, &out.Exterior}, {"interior_color", Interior, sel.InteriorColor, &out.Interior}} {
		if strings.TrimSpace(pick.code) == "" {
			continue
		}
		col, ok := c.Color(pick.kind, pick.code)
		if !ok {
			p.Add(pick.field, "%q is not an %s colour of configuration %s", strings.TrimSpace(pick.code), pick.kind, c.Code)
			continue
		}
		*pick.into = &col
	}
	if err := p.Err("catalog.Configuration.Choose"); err != nil {
		return Chosen{}, err
	}
	return out, nil
}

func chosenAt(chosen []int, i int) bool { return slices.Contains(chosen, i) }

func dedupe(in []string) []string {
	var out []string
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Quote prices sel on the configuration at instant at: the configuration's list price, each chosen option or
// pack (a pack's options are in its price), the colours' surcharges, then every rule of rules that applies
// (PriceRule.AppliesTo), each on the subtotal before the rules, in the order given. It refuses, naming every
// wrong field at once (Choose's, and configuration_id when the price is not valid at at, or when the rules
// would take the total below zero), with a crm.KindInvalid error.
func (c Configuration) Quote(sel Selection, rules []PriceRule, at time.Time) (Quote, error) {
	var p crm.Problems
	if !c.ValidAt(at) {
		p.Add("configuration_id", "the price of %s is not valid on %s (valid %s)", c.Code, at.Format(time.DateOnly), c.validity())
	}
	ch, err := c.Choose(sel)
	p.Merge("", err)
	if err := p.Err("catalog.Configuration.Quote"); err != nil {
		return Quote{}, err
	}
	q := Quote{ConfigurationID: c.ID, At: at, Selection: Selection{}}
	add := func(l PriceLine) { q.Lines = append(q.Lines, l) }
	add(PriceLine{Kind: LineConfiguration, Code: c.Code, Name: c.Name, Amount: c.Price})
	for _, o := range ch.Options {
		kind := LineOption
		if o.Kind == OptionPack {
			kind = LinePack
		}
		add(PriceLine{Kind: kind, Code: o.Code, Name: o.Name, Amount: o.Price})
		q.Selection.Options = append(q.Selection.Options, o.Code)
	}
	if col := ch.Exterior; col != nil {
		add(PriceLine{Kind: LineExteriorColor, Code: col.Code, Name: col.Name, Amount: col.Surcharge})
		q.Selection.ExteriorColor = col.Code
	}
	if col := ch.Interior; col != nil {
		add(PriceLine{Kind: LineInteriorColor, Code: col.Code, Name: col.Name, Amount: col.Surcharge})
		q.Selection.InteriorColor = col.Code
	}
	subtotal := crm.Zero(c.Price.Currency)
	for _, l := range q.Lines {
		subtotal.Amount = subtotal.Amount.Add(l.Amount.Amount)
	}
	total := subtotal
	for _, r := range rules {
		if !r.AppliesTo(c, at) {
			continue
		}
		amount := subtotal.Mul(r.Percent.Div(decimal.NewFromInt(100))).Round()
		if r.Amount.Currency == c.Price.Currency {
			amount.Amount = amount.Amount.Add(r.Amount.Amount)
		} else if !r.Amount.IsZero() {
			return Quote{}, crm.Invalid("catalog.Configuration.Quote", crm.FieldError{Field: "configuration_id",
				Message: fmt.Sprintf("price rule %q is in %s, the configuration in %s", r.Name, r.Amount.Currency, c.Price.Currency)})
		}
		add(PriceLine{Kind: LinePriceRule, Name: r.Name, Amount: amount})
		total.Amount = total.Amount.Add(amount.Amount)
	}
	if total.IsNegative() {
		return Quote{}, crm.Invalid("catalog.Configuration.Quote", crm.FieldError{Field: "configuration_id",
			Message: "the dealer's price rules take the total below zero"})
	}
	q.Total = total
	for _, o := range ch.Effective {
		q.AllOptions = append(q.AllOptions, o.Code)
	}
	return q, nil
}

func (c Configuration) validity() string {
	from, to := "always", "open"
	if !c.ValidFrom.IsZero() {
		from = c.ValidFrom.Format(time.DateOnly)
	}
	if !c.ValidTo.IsZero() {
		to = c.ValidTo.Format(time.DateOnly)
	}
	return "from " + from + " until " + to
}
