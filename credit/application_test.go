package credit_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var day = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

// TestMoveTable holds the whole lifecycle: which state may become which, every other pair refused.
func TestMoveTable(t *testing.T) {
	allowed := map[credit.State][]credit.State{
		credit.Draft:     {credit.Submitted, credit.Cancelled},
		credit.Submitted: {credit.Approved, credit.Rejected, credit.Cancelled},
		credit.Approved:  {credit.Issued, credit.Cancelled},
		credit.Issued:    {credit.Closed, credit.Cancelled},
	}
	for _, from := range credit.States() {
		for _, to := range credit.States() {
			a := credit.Application{State: from, History: []credit.Transition{{To: credit.Draft}}}
			err := a.Move(to, crm.NewID(), " причина ", day)
			want := false
			for _, ok := range allowed[from] {
				want = want || ok == to
			}
			if !want {
				assert.True(t, errors.Is(err, credit.ErrTransition), "%s → %s: %v", from, to, err)
				assert.True(t, errors.Is(err, crm.ErrConflict))
				assert.Equal(t, from, a.State, "refused, unchanged")
				assert.Len(t, a.History, 1)
				continue
			}
			require.NoError(t, err, "%s → %s", from, to)
			assert.Equal(t, to, a.State)
			require.Len(t, a.History, 2)
			assert.Equal(t, credit.Transition{From: from, To: to, At: day, By: a.History[1].By, Comment: "причина"}, a.History[1])
			assert.Equal(t, to == credit.Issued, !a.IssuedAt.IsZero())
		}
	}
	for _, s := range credit.States() {
		assert.Equal(t, s == credit.Rejected || s == credit.Closed || s == credit.Cancelled, s.Final(), s)
		assert.Equal(t, !s.Final(), len(allowed[s]) > 0, "%s: open states move, final ones do not", s)
	}
	a := credit.Application{State: credit.Draft}
	assert.Equal(t, []string{"state"}, fieldNames(a.Move("lost", crm.ID{}, "", day)))
}

func program(t *testing.T) credit.Program {
	t.Helper()
	p, err := credit.NewProgram(crm.NewID(), credit.ProgramInput{Bank: " ПАО «Банк» ", Name: "Стандарт", AnnualRate: decimal.RequireFromString("6.9"),
		MinTermMonths: 12, MaxTermMonths: 84, MinDownPaymentPercent: decimal.RequireFromString("20"),
		MinAmount: crm.MustMoney("100000", "RUB"), MaxAmount: crm.MustMoney("3000000", "RUB"),
		ValidFrom: time.Date(2026, 1, 1, 15, 0, 0, 0, time.UTC), ValidTo: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), Active: true}, day)
	require.NoError(t, err)
	assert.Equal(t, "ПАО «Банк»", p.Bank, "trimmed")
	assert.Equal(t, crm.Currency("RUB"), p.Currency, "the amounts' currency by default")
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), p.ValidFrom, "a date")
	return p
}

func TestNewApplicationAgainstTheProgram(t *testing.T) {
	prog := program(t)
	sale := sales.Sale{Meta: crm.Meta{ID: crm.NewID()}, CustomerID: crm.NewID(), Status: sales.StatusOpen}
	price := crm.MustMoney("1500000", "RUB")
	ok := credit.ApplicationInput{SaleID: sale.ID, ProgramID: prog.ID, DownPayment: crm.MustMoney("300000", "RUB"),
		Amount: crm.MustMoney("1200000", "RUB"), TermMonths: 36}
	a, err := credit.NewApplication(prog.DealerID, ok, sale, price, prog, crm.NewID(), day)
	require.NoError(t, err)
	assert.Equal(t, credit.Annuity, a.Method, "annuity by default")
	assert.Equal(t, "36997.68 RUB", a.MonthlyPayment.String())
	assert.Equal(t, sale.CustomerID, a.CustomerID)
	assert.Equal(t, time.Date(2026, 12, 30, 0, 0, 0, 0, time.UTC), a.FirstDue(), "a month after the day it was made, before the issue")

	cases := []struct {
		name  string
		edit  func(in *credit.ApplicationInput, s *sales.Sale, p *credit.Program, price *crm.Money, now *time.Time)
		wants []string
	}{
		{"lost sale", func(_ *credit.ApplicationInput, s *sales.Sale, _ *credit.Program, _ *crm.Money, _ *time.Time) {
			s.Status = sales.StatusLost
		}, []string{"sale_id"}},
		{"inactive program", func(_ *credit.ApplicationInput, _ *sales.Sale, p *credit.Program, _ *crm.Money, _ *time.Time) {
			p.Active = false
		}, []string{"program_id"}},
		{"expired program", func(_ *credit.ApplicationInput, _ *sales.Sale, _ *credit.Program, _ *crm.Money, now *time.Time) {
			*now = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		}, []string{"program_id"}},
		{"not yet valid", func(_ *credit.ApplicationInput, _ *sales.Sale, _ *credit.Program, _ *crm.Money, now *time.Time) {
			*now = time.Date(2025, 12, 31, 23, 59, 0, 0, time.UTC)
		}, []string{"program_id"}},
		{"term and method", func(in *credit.ApplicationInput, _ *sales.Sale, _ *credit.Program, _ *crm.Money, _ *time.Time) {
			in.TermMonths, in.Method = 6, "balloon"
		}, []string{"term_months", "method"}},
		{"amount above the program", func(in *credit.ApplicationInput, _ *sales.Sale, _ *credit.Program, price *crm.Money, _ *time.Time) {
			in.Amount, *price = crm.MustMoney("3500000", "RUB"), crm.MustMoney("5000000", "RUB")
			in.DownPayment = crm.MustMoney("1000000", "RUB")
		}, []string{"amount"}},
		{"down payment too small", func(in *credit.ApplicationInput, _ *sales.Sale, _ *credit.Program, _ *crm.Money, _ *time.Time) {
			in.DownPayment = crm.MustMoney("299999.99", "RUB")
		}, []string{"down_payment"}},
		{"more than the price", func(in *credit.ApplicationInput, _ *sales.Sale, _ *credit.Program, _ *crm.Money, _ *time.Time) {
			in.Amount = crm.MustMoney("1200000.01", "RUB")
		}, []string{"amount"}},
		{"currencies and fractions", func(in *credit.ApplicationInput, _ *sales.Sale, _ *credit.Program, _ *crm.Money, _ *time.Time) {
			in.Amount, in.DownPayment, in.VehiclePrice = crm.MustMoney("1200000.001", "RUB"), crm.MustMoney("300000", "USD"), crm.MustMoney("1500000", "EUR")
		}, []string{"amount", "down_payment.currency", "vehicle_price.currency"}},
		{"negative down payment and no amount", func(in *credit.ApplicationInput, _ *sales.Sale, _ *credit.Program, _ *crm.Money, _ *time.Time) {
			in.DownPayment, in.Amount = crm.MustMoney("-1", "RUB"), crm.Money{}
		}, []string{"down_payment", "amount", "amount.currency"}},
		{"a sale without a price", func(_ *credit.ApplicationInput, _ *sales.Sale, _ *credit.Program, price *crm.Money, _ *time.Time) {
			*price = crm.Money{}
		}, []string{"vehicle_price"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, s, p, pr, now := ok, sale, prog, price, day
			c.edit(&in, &s, &p, &pr, &now)
			_, err := credit.NewApplication(p.DealerID, in, s, pr, p, crm.NewID(), now)
			require.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			assert.ElementsMatch(t, c.wants, fieldNames(err))
		})
	}
	t.Run("zero down payment when the program asks none", func(t *testing.T) {
		p := prog
		p.MinDownPaymentPercent = decimal.Zero
		in := ok
		in.DownPayment, in.Amount = crm.Money{}, crm.MustMoney("1500000", "RUB")
		a, err := credit.NewApplication(p.DealerID, in, sale, price, p, crm.NewID(), day)
		require.NoError(t, err)
		assert.Equal(t, "0.00 RUB", a.DownPayment.String())
	})
}

func TestSaleLink(t *testing.T) {
	for _, c := range []struct {
		state           credit.State
		linkable, funds bool
	}{{credit.Draft, false, false}, {credit.Submitted, false, false}, {credit.Approved, true, true}, {credit.Rejected, false, false},
		{credit.Issued, true, true}, {credit.Closed, false, true}, {credit.Cancelled, false, false}} {
		a := credit.Application{Meta: crm.Meta{ID: crm.NewID()}, SaleID: crm.NewID(), Bank: "Банк", Amount: crm.MustMoney("1", "RUB"), TermMonths: 12, State: c.state}
		l := a.SaleLink()
		assert.Equal(t, sales.CreditLink{ApplicationID: a.ID, SaleID: a.SaleID, Bank: "Банк", Amount: a.Amount, TermMonths: 12,
			State: string(c.state), Linkable: c.linkable, Funds: c.funds}, l, c.state)
	}
}
