package credit

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

// State is where a credit application stands.
type State string

// Application states: draft → submitted → approved or rejected → issued → closed, and cancelled from draft,
// submitted, approved or issued. Rejected, closed and cancelled are final.
const (
	Draft     State = "draft"     // being put together
	Submitted State = "submitted" // sent to the bank
	Approved  State = "approved"  // the bank agreed; a sale may link it
	Rejected  State = "rejected"  // the bank refused; final
	Issued    State = "issued"    // the bank paid the loan out; at most one per sale
	Closed    State = "closed"    // repaid; final
	Cancelled State = "cancelled" // withdrawn; final
)

// States lists every state in lifecycle order.
func States() []State {
	return []State{Draft, Submitted, Approved, Rejected, Issued, Closed, Cancelled}
}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	for _, k := range States() {
		if k == s {
			return true
		}
	}
	return false
}

// Final reports whether nothing can follow s (rejected, closed, cancelled).
func (s State) Final() bool { return s == Rejected || s == Closed || s == Cancelled }

// moves lists the states each state may move to.
var moves = map[State][]State{
	Draft:     {Submitted, Cancelled},
	Submitted: {Approved, Rejected, Cancelled},
	Approved:  {Issued, Cancelled},
	Issued:    {Closed, Cancelled},
}

// ErrTransition: the application's state does not allow the move (approving a draft, issuing a rejected
// application, anything after closed). A conflict.
var ErrTransition = &crm.Error{Kind: crm.KindConflict, Code: CodeTransition, Message: "the credit application's state does not allow it"}

// ErrAlreadyIssued: another application of the sale is issued (or was, and is closed); a sale is financed once.
// A conflict.
var ErrAlreadyIssued = &crm.Error{Kind: crm.KindConflict, Code: CodeAlreadyIssued, Message: "another credit application of the sale is issued"}

// Transition is one entry of an application's history: who moved it when from which state to which, and why.
// The first entry is the creation (From empty, To draft).
type Transition struct {
	From    State
	To      State
	At      time.Time
	By      crm.ID
	Comment string
}

// Application (кредитная заявка) asks a bank, through one of its programs, to finance a sale's car for the sale's
// customer. The program's bank, name and rate are copied in when it is made, so a later change of the program does
// not change it.
type Application struct {
	crm.Meta
	SaleID         crm.ID
	CustomerID     crm.ID // the sale's customer
	ProgramID      crm.ID
	Bank           string // the program's, when applied
	ProgramName    string // the program's, when applied
	VehiclePrice   crm.Money
	DownPayment    crm.Money // paid by the buyer
	Amount         crm.Money // the loan
	TermMonths     int
	AnnualRate     decimal.Decimal // the program's, when applied; percent
	Method         Method
	MonthlyPayment crm.Money // the schedule's first payment
	State          State
	IssuedAt       time.Time // when it was issued; zero before
	History        []Transition
}

// ApplicationInput is an application as a caller describes it.
type ApplicationInput struct {
	SaleID       crm.ID
	ProgramID    crm.ID
	VehiclePrice crm.Money // default: the sale's price (its order's total when the order sells the car, else its amount)
	DownPayment  crm.Money // zero when the buyer pays nothing down
	Amount       crm.Money
	TermMonths   int
	Method       Method // default Annuity
	Comment      string // recorded with the creation
}

// NewApplication validates in against the sale and the program and returns it as a new draft application of
// dealer made at now by by. price is the sale's price, used when in has no vehicle price. Every wrong field is
// named in one crm.KindInvalid error:
//   - sale_id: the sale is lost;
//   - program_id: the program is inactive, or not valid on now's date;
//   - method: not annuity or differentiated;
//   - term_months: outside the program's terms;
//   - amount: not positive, finer than the currency's minor unit, outside the program's amounts, or with the down
//     payment above the vehicle price; amount.currency: not the program's;
//   - down_payment: negative, or below the program's minimum share of the vehicle price;
//     down_payment.currency: not the program's;
//   - vehicle_price: missing (a sale without a price) or not positive; vehicle_price.currency: not the program's.
//
// A zero sale (the caller could not find it) skips the checks that need its price, so that the program's own
// problems can be named beside the missing sale; such an application is never valid (sale_id is the caller's to
// name).
func NewApplication(dealer crm.ID, in ApplicationInput, sale sales.Sale, price crm.Money, prog Program, by crm.ID, now time.Time) (Application, error) {
	var p crm.Problems
	cur := prog.Currency
	if sale.Status == sales.StatusLost {
		p.Add("sale_id", "the sale is lost")
	}
	if !prog.Active {
		p.Add("program_id", "the program is not active")
	} else if !prog.ValidOn(now) {
		p.Add("program_id", "the program is valid %s, not on %s", prog.validity(), now.UTC().Format(time.DateOnly))
	}
	if in.Method == "" {
		in.Method = Annuity
	}
	if !in.Method.Valid() {
		p.Add("method", "must be annuity or differentiated")
	}
	if in.TermMonths < prog.MinTermMonths || in.TermMonths > prog.MaxTermMonths {
		p.Add("term_months", "must be %d to %d months for program %q", prog.MinTermMonths, prog.MaxTermMonths, prog.Name)
	}
	amountOK := checkMoney(&p, "amount", in.Amount, cur, false)
	if amountOK && (in.Amount.Amount.LessThan(prog.MinAmount.Amount) || in.Amount.Amount.GreaterThan(prog.MaxAmount.Amount)) {
		p.Add("amount", "must be %s to %s for program %q", prog.MinAmount, prog.MaxAmount, prog.Name)
		amountOK = false
	}
	down := in.DownPayment
	if down.Currency == "" && down.IsZero() {
		down = crm.Zero(cur)
	}
	downOK := checkMoney(&p, "down_payment", down, cur, true)
	vp := in.VehiclePrice
	if vp.Currency == "" && vp.IsZero() {
		vp = price
		if !vp.IsPositive() && sale.ID != (crm.ID{}) {
			p.Add("vehicle_price", "is required: the sale has no price yet")
		}
	}
	priceOK := vp.IsPositive() && checkMoney(&p, "vehicle_price", vp, cur, false)
	if priceOK && downOK {
		share := down.Amount.Mul(decimal.NewFromInt(100))
		if share.LessThan(vp.Amount.Mul(prog.MinDownPaymentPercent)) {
			p.Add("down_payment", "must be at least %s%% of the vehicle price %s", prog.MinDownPaymentPercent, vp)
		}
		if amountOK && in.Amount.Amount.Add(down.Amount).GreaterThan(vp.Amount) {
			p.Add("amount", "with the down payment %s exceeds the vehicle price %s", down, vp)
		}
	}
	if err := p.Err("credit.NewApplication"); err != nil {
		return Application{}, err
	}
	sched, err := NewSchedule(in.Method, in.Amount, prog.AnnualRate, in.TermMonths, DueDate(dateOf(now), 1))
	if err != nil {
		return Application{}, err
	}
	now = now.UTC()
	return Application{Meta: crm.NewMeta(dealer, now), SaleID: sale.ID, CustomerID: sale.CustomerID, ProgramID: prog.ID,
		Bank: prog.Bank, ProgramName: prog.Name, VehiclePrice: vp, DownPayment: down, Amount: in.Amount,
		TermMonths: in.TermMonths, AnnualRate: prog.AnnualRate, Method: in.Method, MonthlyPayment: sched.First(),
		State: Draft, History: []Transition{{To: Draft, At: now, By: by, Comment: strings.TrimSpace(in.Comment)}}}, nil
}

// checkMoney records what is wrong with m under field (negative, or not positive unless zeroOK; finer than the
// minor unit; not in cur) and reports whether it may be compared.
func checkMoney(p *crm.Problems, field string, m crm.Money, cur crm.Currency, zeroOK bool) bool {
	ok := true
	switch {
	case m.IsNegative():
		p.Add(field, "must not be negative")
		ok = false
	case m.IsZero() && !zeroOK:
		p.Add(field, "must be a positive amount")
		ok = false
	case !m.Amount.Equal(m.Amount.Round(cur.MinorUnits())):
		p.Add(field, "has more decimal places than %s has minor digits", cur)
		ok = false
	}
	if m.Currency != cur {
		p.Add(field+".currency", "must be %s, the program's currency", cur)
		ok = false
	}
	return ok
}

func (p Program) validity() string {
	if p.ValidTo.IsZero() {
		return "from " + p.ValidFrom.Format(time.DateOnly)
	}
	return fmt.Sprintf("from %s to %s", p.ValidFrom.Format(time.DateOnly), p.ValidTo.Format(time.DateOnly))
}

// Move moves the application to state to at now by by, with a comment, and records it in History: draft →
// submitted → approved or rejected; approved → issued (IssuedAt set) → closed; cancelled from draft, submitted,
// approved or issued. Any other move is ErrTransition; an unknown state is crm.KindInvalid naming "state".
// Whether the sale already has an issued application is the service's check.
func (a *Application) Move(to State, by crm.ID, comment string, now time.Time) error {
	if !to.Valid() {
		return crm.Invalid("credit.Application.Move", crm.FieldError{Field: "state", Message: "is not a state of a credit application"})
	}
	allowed := false
	for _, s := range moves[a.State] {
		allowed = allowed || s == to
	}
	if !allowed {
		return fmt.Errorf("credit application %s is %s, it cannot become %s: %w", a.ID, a.State, to, ErrTransition)
	}
	now = now.UTC()
	a.History = append(a.History, Transition{From: a.State, To: to, At: now, By: by, Comment: strings.TrimSpace(comment)})
	a.State = to
	if to == Issued {
		a.IssuedAt = now
	}
	a.UpdatedAt = now
	return nil
}

// Financed reports whether the bank pays or has paid the loan: issued or closed. A sale has at most one such
// application.
func (a Application) Financed() bool { return a.State == Issued || a.State == Closed }

// FirstDue is the due date of the first payment: a month after the day the application was issued, or, before
// that, a month after the day it was made.
func (a Application) FirstDue() time.Time {
	from := a.CreatedAt
	if !a.IssuedAt.IsZero() {
		from = a.IssuedAt
	}
	return DueDate(dateOf(from), 1)
}

// Schedule returns the application's payment schedule (NewSchedule with its method, amount, rate and term, the
// first payment due on FirstDue).
func (a Application) Schedule() (Schedule, error) {
	return NewSchedule(a.Method, a.Amount, a.AnnualRate, a.TermMonths, a.FirstDue())
}

// SaleLink is what the sale and its contract know of the application (sales.CreditLink): a sale may link it when
// it is approved or issued; its bank, amount and term are printed on the contract while it is approved, issued or
// closed.
func (a Application) SaleLink() sales.CreditLink {
	return sales.CreditLink{ApplicationID: a.ID, SaleID: a.SaleID, Bank: a.Bank, Amount: a.Amount, TermMonths: a.TermMonths,
		State: string(a.State), Linkable: a.State == Approved || a.State == Issued,
		Funds: a.State == Approved || a.State == Issued || a.State == Closed}
}

// Clone returns a deep copy.
func (a Application) Clone() Application {
	a.History = append([]Transition(nil), a.History...)
	return a
}
