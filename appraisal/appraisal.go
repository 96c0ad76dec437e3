package appraisal

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// Element is one point of a sheet's checklist: its area and name (from the template), the condition grade found,
// a note and the deduction from the reference price it causes.
type Element struct {
	ID        crm.ID
	Area      Area
	Name      string
	Grade     Grade
	Note      string
	Deduction crm.Money // not negative, in the reference price's currency
}

// Adjustment is a change of the price beyond the checklist's deductions: a premium (positive: a rare trim, full
// service history) or a discount (negative: demand, a second key missing), with its reason.
type Adjustment struct {
	Amount crm.Money // signed, in the reference price's currency
	Reason string
}

// PriceChange is one entry of a sheet's price history: who changed what when, and the price that resulted.
type PriceChange struct {
	At         time.Time
	By         crm.ID
	What       string    // "created", "reference_price", "adjustments", "element Капот (body)"
	Reference  crm.Money // the reference price after the change
	Deductions crm.Money // Σ deductions after the change
	Adjustment crm.Money // Σ adjustments after the change
	Proposed   crm.Money // the proposed price after the change
}

// Transition is one entry of a sheet's state history: who moved it when, from which state to which, and why.
type Transition struct {
	At      time.Time
	By      crm.ID
	From    State
	To      State
	Comment string
}

// Appraisal (Оценочный лист) is the appraisal sheet of a car offered to the dealer; see the package
// documentation. Build one with NewAppraisal; change it with its methods, which keep the price and the histories.
type Appraisal struct {
	crm.Meta
	VIN     catalog.VIN
	Make    string
	Model   string
	Year    int
	Mileage int    // odometer, km
	Color   string // colour as the registration document names it
	Owner   string // the owner as the registration document names them
	// Where the car came from: any of a lead, a customer and a sale of the dealer (all optional).
	LeadID     crm.ID
	CustomerID crm.ID
	SaleID     crm.ID

	State          State
	Elements       []Element
	ReferencePrice crm.Money // the market price of the car in good condition
	Adjustments    []Adjustment
	Justification  string    // the written reasoning behind the proposed price; required to submit
	Deductions     crm.Money // Σ of the elements' deductions (kept by the methods)
	ProposedPrice  crm.Money // ReferencePrice − Deductions + Σ adjustments (kept by the methods)
	PriceHistory   []PriceChange
	History        []Transition
	// TradeInSaleID is the sale that took the approved sheet as its trade-in; zero while none has.
	TradeInSaleID crm.ID
}

// Car is the car of a sheet as a caller describes it.
type Car struct {
	VIN     string
	Make    string
	Model   string
	Year    int
	Mileage int
	Color   string
	Owner   string
}

// Input is a new sheet as a caller describes it.
type Input struct {
	Car
	LeadID, CustomerID, SaleID crm.ID
	ReferencePrice             crm.Money
	Justification              string
}

// Limits of a sheet's values.
const (
	MaxMileage     = 3_000_000 // km
	MaxTextLength  = 2000      // characters of a note, a reason, a comment or the justification
	MaxAdjustments = 50
)

// NewAppraisal validates in and returns a new draft sheet of dealer, created at now by by, whose checklist is
// template's items, every element unchecked with no deduction. The VIN follows the dealer's VIN policy
// (dealer.StrictVIN, as for the catalog's vehicles); make and model are required; the year is a model year no
// later than next year; the mileage is 0 to MaxMileage; the reference price is positive with a currency. It
// returns a crm.KindInvalid error naming every wrong field ("vin", "year", "reference_price.amount", …).
func NewAppraisal(dealer crm.Dealer, in Input, template []TemplateItem, by crm.ID, now time.Time) (Appraisal, error) {
	var p crm.Problems
	a := Appraisal{LeadID: in.LeadID, CustomerID: in.CustomerID, SaleID: in.SaleID,
		Justification: strings.TrimSpace(in.Justification)}
	a.setCar(&p, dealer, in.Car, now)
	checkPrice(&p, "reference_price", in.ReferencePrice)
	checkText(&p, "justification", a.Justification)
	if len(template) == 0 {
		p.Add("template", "the checklist template is empty")
	}
	if err := p.Err("appraisal.NewAppraisal"); err != nil {
		return Appraisal{}, err
	}
	now = now.UTC()
	a.Meta = crm.NewMeta(dealer.ID, now)
	a.State = StateDraft
	a.ReferencePrice = in.ReferencePrice
	cur := in.ReferencePrice.Currency
	a.Elements = make([]Element, len(template))
	for i, it := range template {
		a.Elements[i] = Element{ID: crm.NewID(), Area: it.Area, Name: strings.TrimSpace(it.Name), Grade: GradeUnchecked,
			Deduction: crm.Zero(cur)}
	}
	a.Adjustments = []Adjustment{}
	a.reprice()
	a.notePrice("created", by, now)
	a.History = []Transition{{At: now, By: by, To: StateDraft}}
	return a, nil
}

// setCar validates and sets the car's data.
func (a *Appraisal) setCar(p *crm.Problems, dealer crm.Dealer, c Car, now time.Time) {
	if strings.TrimSpace(c.VIN) == "" {
		p.Add("vin", "is required")
	} else if vin, err := catalog.ParseVIN(c.VIN, dealer.StrictVIN); err != nil {
		p.Merge("", err)
	} else {
		a.VIN = vin
	}
	a.Make, a.Model = strings.TrimSpace(c.Make), strings.TrimSpace(c.Model)
	a.Color, a.Owner = strings.TrimSpace(c.Color), strings.TrimSpace(c.Owner)
	for _, f := range []struct {
		name, v string
	}{{"make", a.Make}, {"model", a.Model}} {
		p.Require(f.name, f.v)
		if utf8.RuneCountInString(f.v) > MaxNameLength {
			p.Add(f.name, "must be at most %d characters", MaxNameLength)
		}
	}
	for _, f := range []struct {
		name, v string
	}{{"color", a.Color}, {"owner", a.Owner}} {
		if utf8.RuneCountInString(f.v) > MaxNameLength {
			p.Add(f.name, "must be at most %d characters", MaxNameLength)
		}
	}
	if last := now.Year() + 1; c.Year < catalog.FirstModelYear || c.Year > last {
		p.Add("year", "must be a model year between %d and %d", catalog.FirstModelYear, last)
	}
	if c.Mileage < 0 || c.Mileage > MaxMileage {
		p.Add("mileage", "must be between 0 and %d km", MaxMileage)
	}
	a.Year, a.Mileage = c.Year, c.Mileage
}

// checkPrice records what is wrong with a price: it must be positive, with a valid currency.
func checkPrice(p *crm.Problems, field string, m crm.Money) {
	if !m.IsPositive() {
		p.Add(field+".amount", "must be positive")
	}
	if c, err := crm.ParseCurrency(string(m.Currency)); err != nil || c != m.Currency {
		p.Add(field+".currency", "is not an ISO 4217 code")
	}
}

func checkText(p *crm.Problems, field, s string) {
	if utf8.RuneCountInString(s) > MaxTextLength {
		p.Add(field, "must be at most %d characters", MaxTextLength)
	}
}

// Clone returns a deep copy.
func (a Appraisal) Clone() Appraisal {
	a.Elements = append([]Element(nil), a.Elements...)
	a.Adjustments = append([]Adjustment(nil), a.Adjustments...)
	a.PriceHistory = append([]PriceChange(nil), a.PriceHistory...)
	a.History = append([]Transition(nil), a.History...)
	return a
}

// Currency is the currency of the sheet's prices (the reference price's).
func (a Appraisal) Currency() crm.Currency { return a.ReferencePrice.Currency }

// Element returns the checklist element id.
func (a Appraisal) Element(id crm.ID) (Element, bool) {
	for _, e := range a.Elements {
		if e.ID == id {
			return e, true
		}
	}
	return Element{}, false
}

// AdjustmentTotal is the sum of the adjustments (zero in the sheet's currency when there are none).
func (a Appraisal) AdjustmentTotal() crm.Money {
	sum := crm.Zero(a.Currency())
	for _, adj := range a.Adjustments {
		sum.Amount = sum.Amount.Add(adj.Amount.Amount)
	}
	return sum
}

// reprice recomputes Deductions and ProposedPrice from the reference, the elements and the adjustments.
func (a *Appraisal) reprice() {
	cur := a.Currency()
	d := decimal.Zero
	for _, e := range a.Elements {
		d = d.Add(e.Deduction.Amount)
	}
	a.Deductions = crm.NewMoney(d, cur)
	a.ProposedPrice = crm.NewMoney(a.ReferencePrice.Amount.Sub(d).Add(a.AdjustmentTotal().Amount), cur)
}

// notePrice appends the current price to the history.
func (a *Appraisal) notePrice(what string, by crm.ID, now time.Time) {
	a.PriceHistory = append(a.PriceHistory, PriceChange{At: now, By: by, What: what, Reference: a.ReferencePrice,
		Deductions: a.Deductions, Adjustment: a.AdjustmentTotal(), Proposed: a.ProposedPrice})
}

// commitPrice keeps next when its proposed price is not negative (crm.KindInvalid naming field otherwise), and
// records a price change when any figure changed.
func (a *Appraisal) commitPrice(next Appraisal, field, what string, by crm.ID, now time.Time) error {
	next.reprice()
	if next.ProposedPrice.IsNegative() {
		return crm.Invalid("appraisal.Appraisal", crm.FieldError{Field: field,
			Message: fmt.Sprintf("would make the proposed price negative (%s)", next.ProposedPrice)})
	}
	changed := !next.ProposedPrice.Equal(a.ProposedPrice) || !next.ReferencePrice.Equal(a.ReferencePrice) ||
		!next.Deductions.Equal(a.Deductions) || !next.AdjustmentTotal().Equal(a.AdjustmentTotal())
	next.UpdatedAt = now.UTC()
	if changed {
		next.notePrice(what, by, now.UTC())
	}
	*a = next
	return nil
}

func (a *Appraisal) mustBeDraft() error {
	if a.State != StateDraft {
		return fmt.Errorf("appraisal %s is %s: %w", a.ID, a.State, ErrNotDraft)
	}
	return nil
}

// ElementChange is what may change on a checklist element; nil fields stay as they are.
type ElementChange struct {
	Grade     *Grade
	Note      *string
	Deduction *crm.Money
}

// EditElement changes element id of a draft: its grade, note or deduction (not negative, in the sheet's
// currency; the proposed price may not become negative). A changed deduction is recorded in PriceHistory. It
// returns ErrNotDraft, crm.KindNotFound for an unknown element, or crm.KindInvalid naming "grade", "note" or
// "deduction.amount"/"deduction.currency"; on error a is unchanged.
func (a *Appraisal) EditElement(id crm.ID, c ElementChange, by crm.ID, now time.Time) error {
	if err := a.mustBeDraft(); err != nil {
		return err
	}
	next := a.Clone()
	i := -1
	for k, e := range next.Elements {
		if e.ID == id {
			i = k
		}
	}
	if i < 0 {
		return crm.NotFound("appraisal.Appraisal.EditElement", "appraisal %s has no element %s", a.ID, id)
	}
	e := &next.Elements[i]
	var p crm.Problems
	if c.Grade != nil {
		if !c.Grade.Valid() {
			p.Add("grade", "must be one of %s", gradeList())
		}
		e.Grade = *c.Grade
	}
	if c.Note != nil {
		e.Note = strings.TrimSpace(*c.Note)
		checkText(&p, "note", e.Note)
	}
	if c.Deduction != nil {
		d := *c.Deduction
		if d.Currency == "" && d.IsZero() {
			d = crm.Zero(a.Currency())
		}
		switch {
		case d.Currency != a.Currency():
			p.Add("deduction.currency", "must be %s, the reference price's currency", a.Currency())
		case d.IsNegative():
			p.Add("deduction.amount", "must not be negative")
		}
		e.Deduction = d
	}
	if err := p.Err("appraisal.Appraisal.EditElement"); err != nil {
		return err
	}
	return a.commitPrice(next, "deduction.amount", fmt.Sprintf("element %s (%s)", e.Name, e.Area), by, now)
}

func gradeList() string {
	names := make([]string, 0, len(Grades()))
	for _, g := range Grades() {
		names = append(names, string(g))
	}
	return strings.Join(names, ", ")
}

// Changes are the edits of a draft beyond its checklist: the car, the reference price, the adjustments (replaced
// whole when non-nil; an empty list clears them) and the justification. Nil fields stay as they are.
type Changes struct {
	Car            *Car
	ReferencePrice *crm.Money
	Adjustments    []Adjustment
	Justification  *string
}

// IsZero reports whether c changes nothing.
func (c Changes) IsZero() bool {
	return c.Car == nil && c.ReferencePrice == nil && c.Adjustments == nil && c.Justification == nil
}

// Apply edits a draft: the car (validated as NewAppraisal does), the reference price (positive, in the sheet's
// currency), the adjustments (each non-zero, in the sheet's currency, with a reason; at most MaxAdjustments) and
// the justification. A changed price is recorded in PriceHistory. It returns ErrNotDraft or crm.KindInvalid
// naming every wrong field ("reference_price.amount", "adjustments[1].reason", …); on error a is unchanged.
func (a *Appraisal) Apply(dealer crm.Dealer, c Changes, by crm.ID, now time.Time) error {
	if err := a.mustBeDraft(); err != nil {
		return err
	}
	next := a.Clone()
	var p crm.Problems
	if c.Car != nil {
		next.setCar(&p, dealer, *c.Car, now)
	}
	var what []string
	if c.ReferencePrice != nil {
		checkPrice(&p, "reference_price", *c.ReferencePrice)
		if c.ReferencePrice.Currency != a.Currency() {
			p.Add("reference_price.currency", "must stay %s (the checklist's deductions are in it)", a.Currency())
		}
		next.ReferencePrice = *c.ReferencePrice
		what = append(what, "reference_price")
	}
	if c.Adjustments != nil {
		if len(c.Adjustments) > MaxAdjustments {
			p.Add("adjustments", "must hold at most %d adjustments", MaxAdjustments)
		}
		next.Adjustments = make([]Adjustment, len(c.Adjustments))
		for i, adj := range c.Adjustments {
			f := fmt.Sprintf("adjustments[%d].", i)
			adj.Reason = strings.TrimSpace(adj.Reason)
			if adj.Amount.Currency != a.Currency() {
				p.Add(f+"amount.currency", "must be %s, the reference price's currency", a.Currency())
			}
			if adj.Amount.IsZero() {
				p.Add(f+"amount.amount", "must not be zero")
			}
			p.Require(f+"reason", adj.Reason)
			checkText(&p, f+"reason", adj.Reason)
			next.Adjustments[i] = adj
		}
		what = append(what, "adjustments")
	}
	if c.Justification != nil {
		next.Justification = strings.TrimSpace(*c.Justification)
		checkText(&p, "justification", next.Justification)
	}
	if err := p.Err("appraisal.Appraisal.Apply"); err != nil {
		return err
	}
	field := "reference_price.amount"
	if c.ReferencePrice == nil {
		field = "adjustments"
	}
	return a.commitPrice(next, field, strings.Join(what, ", "), by, now)
}

// Act applies a transition: submit (a draft; it needs a justification, crm.KindInvalid naming "justification"),
// approve or reject (a submitted sheet; rejecting needs a comment, crm.KindInvalid naming "comment"). Whether by
// may approve or reject is the service's check. It returns ErrTransition when the state does not allow the
// action (crm.KindInvalid naming "action" for an unknown one); on error a is unchanged.
func (a *Appraisal) Act(action Action, comment string, by crm.ID, now time.Time) error {
	t, ok := transitions[action]
	if !ok {
		return crm.Invalid("appraisal.Appraisal.Act", crm.FieldError{Field: "action", Message: "must be submit, approve or reject"})
	}
	if a.State != t.from {
		return fmt.Errorf("cannot %s appraisal %s, which is %s: %w", action, a.ID, a.State, ErrTransition)
	}
	comment = strings.TrimSpace(comment)
	var p crm.Problems
	checkText(&p, "comment", comment)
	if action == ActionSubmit && a.Justification == "" {
		p.Add("justification", "is required to submit: say how the proposed price was reached")
	}
	if action == ActionReject && comment == "" {
		p.Add("comment", "is required to reject")
	}
	if err := p.Err("appraisal.Appraisal.Act"); err != nil {
		return err
	}
	now = now.UTC()
	a.History = append(a.History, Transition{At: now, By: by, From: a.State, To: t.to, Comment: comment})
	a.State, a.UpdatedAt = t.to, now
	return nil
}

// TakeAsTradeIn makes the approved sheet the trade-in of sale. It returns ErrNotApproved for a sheet that is not
// approved, and ErrTradeInTaken when another sale has it (taken says by which sale); taking it again for the same
// sale changes nothing. Whether another sale's hold has lapsed (the sale is lost) is the caller's judgement: it
// calls Release first.
func (a *Appraisal) TakeAsTradeIn(sale crm.ID, now time.Time) error {
	if a.State != StateApproved {
		return fmt.Errorf("appraisal %s is %s: %w", a.ID, a.State, ErrNotApproved)
	}
	if a.TradeInSaleID != (crm.ID{}) && a.TradeInSaleID != sale {
		return fmt.Errorf("appraisal %s is the trade-in of sale %s: %w", a.ID, a.TradeInSaleID, ErrTradeInTaken)
	}
	a.TradeInSaleID, a.UpdatedAt = sale, now.UTC()
	return nil
}

// Release frees the sheet from the sale that took it as its trade-in.
func (a *Appraisal) Release(now time.Time) {
	a.TradeInSaleID, a.UpdatedAt = crm.ID{}, now.UTC()
}

// Title is how the car is named in a contract: "Kia Rio, 2018 г. в., VIN …, пробег 84 000 км".
func (a Appraisal) Title() string {
	s := strings.TrimSpace(a.Make + " " + a.Model)
	if a.Year > 0 {
		s += fmt.Sprintf(", %d г. в.", a.Year)
	}
	if a.VIN != "" {
		s += ", VIN " + string(a.VIN)
	}
	if a.Color != "" {
		s += ", цвет " + a.Color
	}
	return s + fmt.Sprintf(", пробег %s км", groupThousands(a.Mileage))
}

// groupThousands writes n with a space between groups of three digits ("84 000").
func groupThousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && r != '-' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
