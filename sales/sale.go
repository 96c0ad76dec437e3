package sales

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// Status is where a sale stands: open while it is being worked, won or lost when closed. It follows the kind of
// the sale's stage.
type Status string

// Sale statuses.
const (
	StatusOpen Status = "open"
	StatusWon  Status = "won"
	StatusLost Status = "lost"
)

// PaymentMethod says how the customer pays. Empty means not decided yet.
type PaymentMethod string

// Payment methods.
const (
	PayCash     PaymentMethod = "cash"          // in cash at the dealer's till (наличные)
	PayTransfer PaymentMethod = "bank_transfer" // by bank transfer to the dealer's account (безналичный расчёт)
	PayCredit   PaymentMethod = "credit"
	PayTradeIn  PaymentMethod = "trade_in"
	PayMixed    PaymentMethod = "mixed" // e.g. trade-in plus credit
)

// Valid reports whether m is a known method or empty.
func (m PaymentMethod) Valid() bool {
	switch m {
	case "", PayCash, PayTransfer, PayCredit, PayTradeIn, PayMixed:
		return true
	}
	return false
}

// StageChange is one entry of a sale's stage history: who moved it when, from which stage to which, the
// probability it then had, and why. A probability change keeps the stage (From equals To). Skipped entries
// record the open stages jumped over by a forward move, each with that stage's maximum probability.
type StageChange struct {
	At          time.Time `json:"at"`
	By          crm.ID    `json:"by,omitzero"`
	FromStageID crm.ID    `json:"from_stage_id,omitzero"`
	FromCode    string    `json:"from_code,omitempty"`
	ToStageID   crm.ID    `json:"to_stage_id"`
	ToCode      string    `json:"to_code"`
	Probability int       `json:"probability"`
	Reason      string    `json:"reason,omitempty"`
	Skipped     bool      `json:"skipped,omitempty"`
}

// Sale (Продажа, Возможность) is a deal in progress: a customer, a vehicle, an owner, an amount, a stage and a
// probability capped by the stage, and the facts of the deal (insurance, service contract, payment method, the
// trade-in appraisal, and the credit: a checked link to an approved or issued credit application). Stage, probability and status change
// only through MoveTo, SetProbability, Win and Lose, which enforce the walk rules and keep History.
//
// While a sale is open and has a vehicle, the vehicle is held for it (a catalog reservation for sale whose
// RefID is the sale's ID).
type Sale struct {
	crm.Meta
	CustomerID          crm.ID                   `json:"customer_id"`
	VehicleID           crm.ID                   `json:"vehicle_id,omitzero"`
	OwnerID             crm.ID                   `json:"owner_id,omitzero"`     // the sales manager
	LeadID              crm.ID                   `json:"lead_id,omitzero"`      // the lead it was converted from
	Amount              crm.Money                `json:"amount"`                // the expected deal amount
	ExternalID          string                   `json:"external_id,omitempty"` // the sale's ID in the embedder's system; unique per dealer when set
	StageID             crm.ID                   `json:"stage_id"`
	StageCode           string                   `json:"stage_code"`
	Status              Status                   `json:"status"`
	Probability         int                      `json:"probability"` // percent, at most the stage's maximum
	TradeInAppraisalID  crm.ID                   `json:"trade_in_appraisal_id,omitzero"`
	CreditApplicationID crm.ID                   `json:"credit_application_id,omitzero"` // the credit paying part of the price; set by EditSale (checked) and by issuing an application
	Insurance           catalog.VehicleInsurance `json:"insurance"`
	ServiceContract     bool                     `json:"service_contract"`
	PaymentMethod       PaymentMethod            `json:"payment_method,omitempty"`
	LostReason          string                   `json:"lost_reason,omitempty"`
	WonAt               time.Time                `json:"won_at,omitzero"`
	ExpectedClose       time.Time                `json:"expected_close,omitzero"` // the day the sale is expected to close (midnight UTC); the plan forecast counts open sales by it
	LostAt              time.Time                `json:"lost_at,omitzero"`
	History             []StageChange            `json:"history"`
}

// NewSale validates s and returns it as a new open sale of dealer at stage, created at now by by: the customer is
// required; the stage must be open; the amount cannot be negative and needs a currency; the payment method must
// be known; an insurance needs an insurer for its policy and a period that ends after it starts. The probability
// becomes the stage's maximum and the history starts with the entry into the stage. Fields set by the rules
// (status, probability, won/lost facts, history) are ignored. It returns a crm.KindInvalid error naming every
// wrong field.
func NewSale(dealer crm.ID, s Sale, stage Stage, by crm.ID, now time.Time) (Sale, error) {
	var p crm.Problems
	if s.CustomerID == (crm.ID{}) {
		p.Add("customer_id", "is required")
	}
	if stage.ID == (crm.ID{}) {
		p.Add("stage_id", "is required")
	} else if stage.Kind != StageOpen {
		p.Add("stage_id", "must be an open stage (won and lost are reached through Win and Lose)")
	}
	s.validateFacts(&p)
	if err := p.Err("sales.NewSale"); err != nil {
		return Sale{}, err
	}
	now = now.UTC()
	s.Meta = crm.NewMeta(dealer, now)
	s.Status = StatusOpen
	s.StageID, s.StageCode, s.Probability = stage.ID, stage.Code, stage.MaxProbability
	s.LostReason, s.WonAt, s.LostAt = "", time.Time{}, time.Time{}
	s.CreditApplicationID = crm.ID{} // an application names its sale, so a new sale has none yet
	s.History = []StageChange{{At: now, By: by, ToStageID: stage.ID, ToCode: stage.Code, Probability: stage.MaxProbability}}
	return s, nil
}

func (s *Sale) validateFacts(p *crm.Problems) {
	validateMoney(p, "amount", s.Amount, "")
	crm.NormalizeExternalID(p, "external_id", &s.ExternalID)
	if !s.PaymentMethod.Valid() {
		p.Add("payment_method", "must be cash, bank_transfer, credit, trade_in or mixed")
	}
	aftersales.ValidateInsurance(p, "insurance.", s.Insurance)
	s.Insurance.ValidFrom, s.Insurance.ValidTo = utc(s.Insurance.ValidFrom), utc(s.Insurance.ValidTo)
	if !s.ExpectedClose.IsZero() {
		s.ExpectedClose = DateOf(s.ExpectedClose)
	}
}

// DateOf is the calendar day of t in UTC, as midnight UTC (the form of Sale.ExpectedClose).
func DateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Closed reports whether the sale is won or lost.
func (s Sale) Closed() bool { return s.Status != StatusOpen }

// Holder is for whom the sale holds its vehicle: the sale, its customer and its lead. A test-drive reservation
// of the same lead or customer is therefore the same holder.
func (s Sale) Holder() catalog.Holder {
	return catalog.Holder{LeadID: s.LeadID, SaleID: s.ID, CustomerID: s.CustomerID}
}

// Reservation is the catalog reservation by which the sale holds its vehicle (purpose sale, RefID the sale).
func (s Sale) Reservation(now time.Time) catalog.Reservation {
	return catalog.Reservation{Purpose: catalog.ForSale, RefID: s.ID, Holder: s.Holder(), CreatedAt: now.UTC()}
}

// MoveTo moves an open sale to the open stage stageID of pipeline p and sets its probability to that stage's
// maximum. The walk rules:
//   - forward (a higher order number) is allowed; every open stage jumped over is recorded in History as a
//     skipped entry with its own maximum probability, so the history shows the whole walk;
//   - back (a lower order number) is allowed to an open stage only, and needs a reason;
//   - won and lost stages are reached only through Win and Lose;
//   - a won sale cannot move (ErrSaleClosed); a lost sale may be reopened to any open stage with a reason.
//
// It returns crm.KindInvalid naming "stage_id" (unknown, closed or current stage) or "reason" (missing),
// ErrSaleClosed for a won sale, and ErrNoStage when the sale's current stage is not in p.
func (s *Sale) MoveTo(p Pipeline, stageID crm.ID, reason string, by crm.ID, now time.Time) error {
	const op = "sales.Sale.MoveTo"
	to, ok := p.Stage(stageID)
	if !ok {
		return crm.Invalid(op, crm.FieldError{Field: "stage_id", Message: "no such stage"})
	}
	if to.Kind != StageOpen {
		return crm.Invalid(op, crm.FieldError{Field: "stage_id", Message: "won and lost stages are reached through Win and Lose"})
	}
	reason = strings.TrimSpace(reason)
	now = now.UTC()
	switch s.Status {
	case StatusWon:
		return fmt.Errorf("sale %s is won: %w", s.ID, ErrSaleClosed)
	case StatusLost:
		if reason == "" {
			return crm.Invalid(op, crm.FieldError{Field: "reason", Message: "is required to reopen a lost sale"})
		}
		s.record(now, by, s.StageID, s.StageCode, to, to.MaxProbability, reason, false)
		s.Status, s.LostReason, s.LostAt = StatusOpen, "", time.Time{}
		s.enter(to, now)
		return nil
	}
	cur, ok := p.Stage(s.StageID)
	if !ok {
		return fmt.Errorf("sale %s is at stage %s (%q), which is not in the directory: %w", s.ID, s.StageID, s.StageCode, ErrNoStage)
	}
	switch {
	case to.ID == cur.ID:
		return crm.Invalid(op, crm.FieldError{Field: "stage_id", Message: "is the sale's current stage"})
	case to.Order < cur.Order:
		if reason == "" {
			return crm.Invalid(op, crm.FieldError{Field: "reason", Message: "is required to step back to an earlier stage"})
		}
	default:
		prev := cur
		for _, skipped := range p.OpenBetween(cur, to) {
			s.record(now, by, prev.ID, prev.Code, skipped, skipped.MaxProbability, "", true)
			prev = skipped
		}
		s.record(now, by, prev.ID, prev.Code, to, to.MaxProbability, reason, false)
		s.enter(to, now)
		return nil
	}
	s.record(now, by, cur.ID, cur.Code, to, to.MaxProbability, reason, false)
	s.enter(to, now)
	return nil
}

// SetProbability lowers (or raises back) the probability of an open sale within its stage: 0 to the stage's
// maximum. The change is recorded in History (From and To are the current stage). It returns crm.KindInvalid
// naming "probability", ErrSaleClosed for a won or lost sale, and ErrNoStage when the current stage is not in p.
func (s *Sale) SetProbability(p Pipeline, probability int, reason string, by crm.ID, now time.Time) error {
	if s.Closed() {
		return fmt.Errorf("sale %s is %s: %w", s.ID, s.Status, ErrSaleClosed)
	}
	cur, ok := p.Stage(s.StageID)
	if !ok {
		return fmt.Errorf("sale %s is at stage %s (%q), which is not in the directory: %w", s.ID, s.StageID, s.StageCode, ErrNoStage)
	}
	var pr crm.Problems
	if probability < 0 || probability > cur.MaxProbability {
		pr.Add("probability", "must be between 0 and %d (the maximum of stage %q)", cur.MaxProbability, cur.Code)
	}
	if strings.TrimSpace(reason) == "" {
		pr.Add("reason", "is required for a probability change (the history says why)")
	}
	if err := pr.Err("sales.Sale.SetProbability"); err != nil {
		return err
	}
	now = now.UTC()
	s.record(now, by, cur.ID, cur.Code, cur, probability, strings.TrimSpace(reason), false)
	s.Probability, s.UpdatedAt = probability, now
	return nil
}

// Win closes an open sale as won: it moves to p's won stage with probability 100 and WonAt set. The sale needs a
// vehicle (crm.KindInvalid naming "vehicle_id"). It returns ErrSaleClosed for a won or lost sale and ErrNoStage
// when p has no won stage. Selling the vehicle and recording the customer vehicle are the service's part.
func (s *Sale) Win(p Pipeline, by crm.ID, now time.Time) error {
	if s.Closed() {
		return fmt.Errorf("sale %s is %s: %w", s.ID, s.Status, ErrSaleClosed)
	}
	if s.VehicleID == (crm.ID{}) {
		return crm.Invalid("sales.Sale.Win", crm.FieldError{Field: "vehicle_id", Message: "is required to win a sale"})
	}
	won, ok := p.Won()
	if !ok {
		return fmt.Errorf("no won stage: %w", ErrNoStage)
	}
	now = now.UTC()
	s.record(now, by, s.StageID, s.StageCode, won, won.MaxProbability, "", false)
	s.Status, s.WonAt = StatusWon, now
	s.enter(won, now)
	return nil
}

// Lose closes an open sale as lost, for a reason (required: crm.KindInvalid naming "reason"): it moves to p's lost
// stage with probability 0 and LostAt set. It returns ErrSaleClosed for a won or lost sale and ErrNoStage when p
// has no lost stage. Releasing the vehicle is the service's part.
func (s *Sale) Lose(p Pipeline, reason string, by crm.ID, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return crm.Invalid("sales.Sale.Lose", crm.FieldError{Field: "reason", Message: "is required to lose a sale"})
	}
	if s.Closed() {
		return fmt.Errorf("sale %s is %s: %w", s.ID, s.Status, ErrSaleClosed)
	}
	lost, ok := p.Lost()
	if !ok {
		return fmt.Errorf("no lost stage: %w", ErrNoStage)
	}
	now = now.UTC()
	s.record(now, by, s.StageID, s.StageCode, lost, lost.MaxProbability, reason, false)
	s.Status, s.LostReason, s.LostAt = StatusLost, reason, now
	s.enter(lost, now)
	return nil
}

// Changes are the facts of a sale that may be edited while it is open. A nil field is left as it is; a pointer to
// the zero ID clears a link.
type Changes struct {
	Amount              *crm.Money                `json:"amount,omitempty"`
	OwnerID             *crm.ID                   `json:"owner_id,omitempty"`
	Insurance           *catalog.VehicleInsurance `json:"insurance,omitempty"`
	ServiceContract     *bool                     `json:"service_contract,omitempty"`
	PaymentMethod       *PaymentMethod            `json:"payment_method,omitempty"`
	ExternalID          *string                   `json:"external_id,omitempty"`
	TradeInAppraisalID  *crm.ID                   `json:"trade_in_appraisal_id,omitempty"`
	CreditApplicationID *crm.ID                   `json:"credit_application_id,omitempty"` // checked by EditSale: the dealer's, this sale's, approved or issued
	ExpectedClose       *time.Time                `json:"expected_close,omitempty"`        // the expected closing day; a pointer to the zero time clears it
}

// IsZero reports whether c changes nothing.
func (c Changes) IsZero() bool {
	return c.Amount == nil && c.OwnerID == nil && c.Insurance == nil && c.ServiceContract == nil &&
		c.PaymentMethod == nil && c.TradeInAppraisalID == nil && c.CreditApplicationID == nil && c.ExternalID == nil && c.ExpectedClose == nil
}

// Apply edits an open sale. It returns ErrSaleClosed for a won or lost sale, and crm.KindInvalid naming every
// wrong field (the same rules as NewSale); on error the sale is unchanged.
func (s *Sale) Apply(c Changes, now time.Time) error {
	if s.Closed() {
		return fmt.Errorf("sale %s is %s: %w", s.ID, s.Status, ErrSaleClosed)
	}
	next := s.Clone()
	if c.Amount != nil {
		next.Amount = *c.Amount
	}
	if c.OwnerID != nil {
		next.OwnerID = *c.OwnerID
	}
	if c.Insurance != nil {
		next.Insurance = *c.Insurance
	}
	if c.ServiceContract != nil {
		next.ServiceContract = *c.ServiceContract
	}
	if c.ExternalID != nil {
		next.ExternalID = *c.ExternalID
	}
	if c.PaymentMethod != nil {
		next.PaymentMethod = *c.PaymentMethod
	}
	if c.TradeInAppraisalID != nil {
		next.TradeInAppraisalID = *c.TradeInAppraisalID
	}
	if c.CreditApplicationID != nil {
		next.CreditApplicationID = *c.CreditApplicationID
	}
	if c.ExpectedClose != nil {
		next.ExpectedClose = *c.ExpectedClose
	}
	var p crm.Problems
	next.validateFacts(&p)
	if err := p.Err("sales.Sale.Apply"); err != nil {
		return err
	}
	next.UpdatedAt = now.UTC()
	*s = next
	return nil
}

// Clone returns a deep copy.
func (s Sale) Clone() Sale {
	s.History = append([]StageChange(nil), s.History...)
	return s
}

func (s *Sale) enter(st Stage, now time.Time) {
	s.StageID, s.StageCode, s.Probability, s.UpdatedAt = st.ID, st.Code, st.MaxProbability, now
}

func (s *Sale) record(now time.Time, by, fromID crm.ID, fromCode string, to Stage, probability int, reason string, skipped bool) {
	s.History = append(s.History, StageChange{At: now, By: by, FromStageID: fromID, FromCode: fromCode,
		ToStageID: to.ID, ToCode: to.Code, Probability: probability, Reason: reason, Skipped: skipped})
}

// validateMoney records in p what is wrong with m as the value of field: negative, or non-zero without a valid
// currency, or (when currency is not empty) in another currency.
func validateMoney(p *crm.Problems, field string, m crm.Money, currency crm.Currency) {
	if m.IsNegative() {
		p.Add(field+".amount", "cannot be negative")
	}
	switch {
	case m.Currency == "" && m.IsZero():
	case m.Currency == "":
		p.Add(field+".currency", "is required")
	default:
		if _, err := crm.ParseCurrency(string(m.Currency)); err != nil || crm.Currency(strings.ToUpper(string(m.Currency))) != m.Currency {
			p.Add(field+".currency", "is not an ISO 4217 code")
		} else if currency != "" && m.Currency != currency {
			p.Add(field+".currency", "must be %s, the order's currency", currency)
		} else {
			crm.CheckMoney(p, field, m)
		}
	}
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}
