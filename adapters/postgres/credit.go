package postgres

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// creditProgramTable is the row of a credit program: every term a column (they are checked), amounts as numeric
// in the program's currency, validity as dates.
var creditProgramTable = table[credit.Program]{
	name: "credit_programs",
	cols: []string{"bank", "name", "annual_rate", "min_term_months", "max_term_months", "min_down_payment_percent",
		"min_amount", "max_amount", "currency", "valid_from", "valid_to", "active"},
	meta: func(p *credit.Program) *crm.Meta { return &p.Meta },
	args: func(p *credit.Program) []any {
		return []any{p.Bank, p.Name, p.AnnualRate, p.MinTermMonths, p.MaxTermMonths, p.MinDownPaymentPercent,
			p.MinAmount.Amount, p.MaxAmount.Amount, string(p.Currency), dateArg(p.ValidFrom), sql.Null[string]{
				V: dateArg(p.ValidTo), Valid: !p.ValidTo.IsZero()}, p.Active}
	},
	scan: func(p *credit.Program) ([]any, func()) {
		var cur string
		var from time.Time
		var to sql.Null[time.Time]
		return []any{&p.Bank, &p.Name, &p.AnnualRate, &p.MinTermMonths, &p.MaxTermMonths, &p.MinDownPaymentPercent,
				&p.MinAmount.Amount, &p.MaxAmount.Amount, &cur, &from, &to, &p.Active}, func() {
				p.Currency = crm.Currency(cur)
				p.MinAmount.Currency, p.MaxAmount.Currency = p.Currency, p.Currency
				p.ValidFrom = dateValue(from)
				if to.Valid {
					p.ValidTo = dateValue(to.V)
				}
			}
	},
}

// dateArg writes a calendar date as PostgreSQL reads a date ("2026-11-30"): as text, so no time zone can shift it.
func dateArg(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// dateValue reads a date column as midnight UTC of its calendar date.
func dateValue(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

type creditProgramStore struct{ t *Tx }

// CreditPrograms returns the credit-program store of this unit of work.
func (t *Tx) CreditPrograms() credit.ProgramStore { return creditProgramStore{t} }

func (s creditProgramStore) Get(ctx context.Context, id crm.ID) (credit.Program, error) {
	return creditProgramTable.get(ctx, s.t, id)
}

func (s creditProgramStore) Create(ctx context.Context, p *credit.Program) error {
	return creditProgramTable.create(ctx, s.t, p)
}

func (s creditProgramStore) Update(ctx context.Context, p *credit.Program) error {
	return creditProgramTable.update(ctx, s.t, p)
}

func (s creditProgramStore) List(ctx context.Context) ([]credit.Program, error) {
	return creditProgramTable.list(ctx, s.t, "", "bank, name, id")
}

// creditTransitionDoc is one entry of an application's history as kept in credit_applications.history.
type creditTransitionDoc struct {
	From    string    `json:"from,omitempty"`
	To      string    `json:"to"`
	At      time.Time `json:"at"`
	By      crm.ID    `json:"by,omitzero"`
	Comment string    `json:"comment,omitempty"`
}

func creditHistoryDocsOf(h []credit.Transition) []creditTransitionDoc {
	out := make([]creditTransitionDoc, len(h))
	for i, c := range h {
		out[i] = creditTransitionDoc{From: string(c.From), To: string(c.To), At: c.At.UTC(), By: c.By, Comment: c.Comment}
	}
	return out
}

func creditHistoryOf(docs []creditTransitionDoc) []credit.Transition {
	out := make([]credit.Transition, len(docs))
	for i, c := range docs {
		out[i] = credit.Transition{From: credit.State(c.From), To: credit.State(c.To), At: c.At.UTC(), By: c.By, Comment: c.Comment}
	}
	return out
}

// creditApplicationTable is the row of a credit application: its sale, program and terms as columns (every amount
// in the one currency of its program), the history as a document.
var creditApplicationTable = table[credit.Application]{
	name: "credit_applications",
	cols: []string{"sale_id", "customer_id", "program_id", "bank", "program_name", "currency", "vehicle_price",
		"down_payment", "amount", "term_months", "annual_rate", "method", "monthly_payment", "state", "issued_at", "history"},
	meta: func(a *credit.Application) *crm.Meta { return &a.Meta },
	args: func(a *credit.Application) []any {
		return []any{a.SaleID, a.CustomerID, a.ProgramID, a.Bank, a.ProgramName, string(a.Amount.Currency),
			a.VehiclePrice.Amount, a.DownPayment.Amount, a.Amount.Amount, a.TermMonths, a.AnnualRate, string(a.Method),
			a.MonthlyPayment.Amount, string(a.State), salesNullTime(a.IssuedAt), jsonb{creditHistoryDocsOf(a.History)}}
	},
	scan: func(a *credit.Application) ([]any, func()) {
		var cur, method, state string
		var issued sql.Null[time.Time]
		var history []creditTransitionDoc
		return []any{&a.SaleID, &a.CustomerID, &a.ProgramID, &a.Bank, &a.ProgramName, &cur, &a.VehiclePrice.Amount,
				&a.DownPayment.Amount, &a.Amount.Amount, &a.TermMonths, &a.AnnualRate, &method, &a.MonthlyPayment.Amount,
				&state, &issued, jsonb{&history}}, func() {
				c := crm.Currency(cur)
				a.VehiclePrice.Currency, a.DownPayment.Currency, a.Amount.Currency, a.MonthlyPayment.Currency = c, c, c, c
				a.Method, a.State, a.IssuedAt = credit.Method(method), credit.State(state), salesTime(issued)
				a.History = creditHistoryOf(history)
			}
	},
}

type creditApplicationStore struct{ t *Tx }

// CreditApplications returns the credit-application store of this unit of work.
func (t *Tx) CreditApplications() credit.ApplicationStore { return creditApplicationStore{t} }

func (s creditApplicationStore) Get(ctx context.Context, id crm.ID) (credit.Application, error) {
	return creditApplicationTable.get(ctx, s.t, id)
}

func (s creditApplicationStore) Create(ctx context.Context, a *credit.Application) error {
	return creditApplicationTable.create(ctx, s.t, a)
}

func (s creditApplicationStore) Update(ctx context.Context, a *credit.Application) error {
	return creditApplicationTable.update(ctx, s.t, a)
}

func (s creditApplicationStore) ListBySale(ctx context.Context, saleID crm.ID) ([]credit.Application, error) {
	return creditApplicationTable.list(ctx, s.t, "sale_id = $2", "created_at, id", saleID)
}

func (s creditApplicationStore) ListByCustomer(ctx context.Context, customerID crm.ID) ([]credit.Application, error) {
	return creditApplicationTable.list(ctx, s.t, "customer_id = $2", "created_at, id", customerID)
}

func (s creditApplicationStore) List(ctx context.Context, q credit.ApplicationQuery) (credit.ApplicationPage, error) {
	at, after, err := credit.ApplicationList.DecodeTime("postgres.CreditApplications.List", q.Cursor)
	if err != nil {
		return credit.ApplicationPage{}, err
	}
	limit := crm.PageLimit(q.Limit)
	args := params{}
	arg := func(v any) string { return args.add(v) }
	args.add(nil) // $1 is the dealer, given by list
	var where []string
	if q.SaleID != (crm.ID{}) {
		where = append(where, "sale_id = "+arg(q.SaleID))
	}
	if q.State != "" {
		where = append(where, "state = "+arg(string(q.State)))
	}
	if q.Cursor != "" {
		where = append(where, "(created_at, id) < ("+arg(at)+"::timestamptz, "+arg(after)+"::uuid)")
	}
	out, err := creditApplicationTable.list(ctx, s.t, strings.Join(where, " AND "),
		"created_at DESC, id DESC LIMIT "+arg(limit+1), args[1:]...)
	if err != nil {
		return credit.ApplicationPage{}, err
	}
	page := credit.ApplicationPage{Items: out}
	if len(out) > limit {
		last := out[limit-1]
		page.Items, page.NextCursor = out[:limit], credit.ApplicationList.TimeCursor(last.CreatedAt, last.ID)
	}
	if page.Items == nil {
		page.Items = []credit.Application{}
	}
	return page, nil
}

type creditLinkStore struct{ t *Tx }

// CreditLinks returns the sales' view of credit applications in this unit of work.
func (t *Tx) CreditLinks() sales.CreditLinkStore { return creditLinkStore{t} }

func (s creditLinkStore) Get(ctx context.Context, id crm.ID) (sales.CreditLink, error) {
	if c := s.t.contract; c != nil && id != (crm.ID{}) && c.credit.ID == id {
		return c.credit.SaleLink(), nil
	}
	a, err := creditApplicationTable.get(ctx, s.t, id)
	if err != nil {
		return sales.CreditLink{}, err
	}
	return a.SaleLink(), nil
}

var _ credit.Stores = (*Tx)(nil)
