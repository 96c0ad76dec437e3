package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCredit runs the credit section's own rules through its service: validation against the program with every
// field named and nothing saved, the application's moves and history, one issued application per sale under
// concurrency, and the checked link of a sale to its credit, which the purchase contract states.
func runCredit(t *testing.T, open Open) {
	t.Run("ProgramRecords", func(t *testing.T) {
		RunRecords(t, open, Records[credit.Stores, credit.Program]{
			New: func(d crm.Dealer, n int) credit.Program {
				p, err := credit.NewProgram(d.ID, creditProgramInput(fmt.Sprintf("Автокредит %d", n)), Epoch)
				require.NoError(t, err)
				return p
			},
			Meta: func(p *credit.Program) *crm.Meta { return &p.Meta },
			Create: func(ctx context.Context, s credit.Stores, p *credit.Program) error {
				return s.CreditPrograms().Create(ctx, p)
			},
			Get: func(ctx context.Context, s credit.Stores, id crm.ID) (credit.Program, error) {
				return s.CreditPrograms().Get(ctx, id)
			},
			Update: func(ctx context.Context, s credit.Stores, p *credit.Program) error {
				return s.CreditPrograms().Update(ctx, p)
			},
			Edit: func(p *credit.Program) { p.AnnualRate = decimal.RequireFromString("7.45"); p.ValidTo = time.Time{} },
			Same: func(t *testing.T, want, got credit.Program) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				assert.Equal(t, want.AnnualRate.String(), got.AnnualRate.String())
				assert.Equal(t, want.MinDownPaymentPercent.String(), got.MinDownPaymentPercent.String())
				assert.True(t, want.MinAmount.Equal(got.MinAmount) && want.MaxAmount.Equal(got.MaxAmount), "%v %v", want.MaxAmount, got.MaxAmount)
				want.AnnualRate, got.AnnualRate = decimal.Zero, decimal.Zero
				want.MinDownPaymentPercent, got.MinDownPaymentPercent = decimal.Zero, decimal.Zero
				want.MinAmount, got.MinAmount, want.MaxAmount, got.MaxAmount = crm.Money{}, crm.Money{}, crm.Money{}, crm.Money{}
				assert.Equal(t, want, got)
			},
		})
	})
	t.Run("ProgramValidation", func(t *testing.T) { testCreditProgramValidation(t, open) })
	t.Run("Lifecycle", func(t *testing.T) { testCreditLifecycle(t, open) })
	t.Run("InvalidApplicationSavesNothing", func(t *testing.T) { testCreditInvalidApplication(t, open) })
	t.Run("OneIssuedPerSale", func(t *testing.T) { testCreditOneIssued(t, open) })
	t.Run("ConcurrentIssues", func(t *testing.T) { testCreditConcurrentIssues(t, open) })
	t.Run("SaleLink", func(t *testing.T) { testCreditSaleLink(t, open) })
	t.Run("ContractStatesTheCredit", func(t *testing.T) { testCreditContract(t, open) })
	t.Run("DealerIsolation", func(t *testing.T) { testCreditIsolation(t, open) })
	t.Run("CalculatorDefaults", func(t *testing.T) { testCreditCalculate(t, open) })
	t.Run("ListAndPages", func(t *testing.T) { testCreditList(t, open) })
}

// creditProgramInput is a valid RUB program of bank "Банк" named name: 6.9 %, 12–84 months, 100 000–5 000 000 ₽,
// at least 20 % down, valid through 2027.
func creditProgramInput(name string) credit.ProgramInput {
	return credit.ProgramInput{Bank: "ПАО «Банк»", Name: name, AnnualRate: decimal.RequireFromString("6.9"),
		MinTermMonths: 12, MaxTermMonths: 84, MinDownPaymentPercent: decimal.RequireFromString("20"),
		MinAmount: crm.MustMoney("100000", "RUB"), MaxAmount: crm.MustMoney("5000000", "RUB"), Currency: "RUB",
		ValidFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ValidTo: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC), Active: true}
}

type creditEnv struct {
	*salesEnv
	credit *credit.Service
}

func newCreditEnv(t *testing.T, b Backend, name string) *creditEnv {
	e := salesEnvOf(t, b, name)
	return &creditEnv{salesEnv: e, credit: credit.NewService(crm.NewUnit[credit.Stores](b, e.clock), e.clock)}
}

func (e *creditEnv) program(bank, name string) credit.Program {
	e.t.Helper()
	in := creditProgramInput(name)
	in.Bank = bank
	p, err := e.credit.CreateProgram(e.ctx, in)
	require.NoError(e.t, err)
	return p
}

// sale opens a sale of a new customer for a new 1 500 000 ₽ car.
func (e *creditEnv) sale() sales.Sale {
	e.t.Helper()
	return e.open(e.customer("Заёмщик").ID, e.vehicle("Vesta", "1500000").ID)
}

// apply makes a valid application of sale to program: 300 000 ₽ down, 1 200 000 ₽ over 36 months, annuity.
func (e *creditEnv) apply(sale sales.Sale, program credit.Program) credit.Application {
	e.t.Helper()
	a, err := e.credit.CreateApplication(e.ctx, credit.ApplicationInput{SaleID: sale.ID, ProgramID: program.ID,
		DownPayment: crm.MustMoney("300000", "RUB"), Amount: crm.MustMoney("1200000", "RUB"), TermMonths: 36,
		Method: credit.Annuity, Comment: "клиент хочет 36 месяцев"})
	require.NoError(e.t, err)
	return a
}

// approved makes an application and moves it to approved.
func (e *creditEnv) approved(sale sales.Sale, program credit.Program) credit.Application {
	e.t.Helper()
	a := e.apply(sale, program)
	a, err := e.credit.SubmitApplication(e.ctx, a.ID, a.Version, "")
	require.NoError(e.t, err)
	a, err = e.credit.ApproveApplication(e.ctx, a.ID, a.Version, "одобрено")
	require.NoError(e.t, err)
	return a
}

func (e *creditEnv) applications(saleID crm.ID) []credit.Application {
	e.t.Helper()
	page, err := e.credit.ListApplications(e.ctx, credit.ApplicationQuery{SaleID: saleID})
	require.NoError(e.t, err)
	return page.Items
}

func testCreditProgramValidation(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Кредит")
	in := credit.ProgramInput{AnnualRate: decimal.RequireFromString("120"), MinTermMonths: 0, MaxTermMonths: 700,
		MinDownPaymentPercent: decimal.RequireFromString("-1"), MinAmount: crm.MustMoney("500", "RUB"),
		MaxAmount: crm.MustMoney("100", "EUR"), ValidFrom: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
		ValidTo: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	_, err := e.credit.CreateProgram(e.ctx, in)
	require.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
	assert.ElementsMatch(t, []string{"bank", "name", "annual_rate", "min_term_months", "max_term_months",
		"min_down_payment_percent", "max_amount", "max_amount.currency", "valid_to"}, salesFields(err))
	all, err := e.credit.ListPrograms(e.ctx)
	require.NoError(t, err)
	assert.Empty(t, all, "nothing saved")

	p := e.program("ПАО «Банк»", "Стандарт")
	changed := p.Input()
	changed.AnnualRate, changed.Active = decimal.RequireFromString("9.9"), false
	up, err := e.credit.UpdateProgram(e.ctx, p.ID, p.Version, changed)
	require.NoError(t, err)
	assert.EqualValues(t, 2, up.Version)
	assert.Equal(t, "9.9", up.AnnualRate.String())
	_, err = e.credit.UpdateProgram(e.ctx, p.ID, p.Version, changed)
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
}

func testCreditLifecycle(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Кредит")
	prog := e.program("ПАО «Банк»", "Стандарт")
	sale := e.sale()
	a := e.apply(sale, prog)
	assert.Equal(t, credit.Draft, a.State)
	assert.Equal(t, sale.CustomerID, a.CustomerID)
	assert.Equal(t, "ПАО «Банк»", a.Bank)
	assert.Equal(t, "1500000.00 RUB", a.VehiclePrice.String(), "the sale's price")
	assert.Equal(t, "6.9", a.AnnualRate.String())
	// 1 200 000 ₽ at 6.9 % for 36 months: the annuity formula gives 36 999.31 ₽ (recomputed with Python's decimal).
	assert.Equal(t, "36997.68 RUB", a.MonthlyPayment.String())
	require.Len(t, a.History, 1)
	assert.Equal(t, credit.Transition{To: credit.Draft, At: crm.StorageTime(Epoch), By: e.user, Comment: "клиент хочет 36 месяцев"}, a.History[0])

	// Illegal moves are refused and change nothing.
	for _, move := range []func(context.Context, crm.ID, int64, string) (credit.Application, error){
		e.credit.ApproveApplication, e.credit.RejectApplication, e.credit.IssueApplication, e.credit.CloseApplication,
	} {
		_, err := move(e.ctx, a.ID, a.Version, "")
		assert.True(t, errors.Is(err, credit.ErrTransition), "%v", err)
		assert.Equal(t, credit.CodeTransition, crm.CodeOf(err))
	}
	_, err := e.credit.SubmitApplication(e.ctx, a.ID, a.Version+5, "")
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)

	steps := []struct {
		move func(context.Context, crm.ID, int64, string) (credit.Application, error)
		to   credit.State
	}{{e.credit.SubmitApplication, credit.Submitted}, {e.credit.ApproveApplication, credit.Approved},
		{e.credit.IssueApplication, credit.Issued}, {e.credit.CloseApplication, credit.Closed}}
	for i, s := range steps {
		e.clock.Advance(time.Hour)
		a, err = s.move(e.ctx, a.ID, a.Version, fmt.Sprintf("шаг %d", i+1))
		require.NoError(t, err, s.to)
		assert.Equal(t, s.to, a.State)
	}
	got, err := e.credit.GetApplication(e.ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a, got, "what the moves returned is what is stored")
	require.Len(t, got.History, 5)
	for i, h := range got.History[1:] {
		assert.Equal(t, credit.Transition{From: got.History[i].To, To: steps[i].to, At: crm.StorageTime(Epoch.Add(time.Duration(i+1) * time.Hour)),
			By: e.user, Comment: fmt.Sprintf("шаг %d", i+1)}, h)
	}
	assert.Equal(t, crm.StorageTime(Epoch.Add(3*time.Hour)), got.IssuedAt)
	for _, move := range []func(context.Context, crm.ID, int64, string) (credit.Application, error){e.credit.CancelApplication, e.credit.SubmitApplication} {
		_, err = move(e.ctx, a.ID, 0, "")
		assert.True(t, errors.Is(err, credit.ErrTransition), "closed is final: %v", err)
	}

	sched, err := e.credit.GetApplicationSchedule(e.ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, sched.Payments, 36)
	assert.Equal(t, time.Date(2026, 12, 27, 0, 0, 0, 0, time.UTC), sched.Payments[0].Due, "a month after the issue")
	assert.Equal(t, "36997.68", sched.First().StringAmount())

	// A rejected application is final; cancelling works from every open state.
	r := e.apply(sale, prog)
	r, err = e.credit.SubmitApplication(e.ctx, r.ID, 0, "")
	require.NoError(t, err)
	r, err = e.credit.RejectApplication(e.ctx, r.ID, r.Version, "низкий доход")
	require.NoError(t, err)
	_, err = e.credit.CancelApplication(e.ctx, r.ID, r.Version, "")
	assert.True(t, errors.Is(err, credit.ErrTransition), "%v", err)
	for _, upTo := range []int{0, 1, 2} {
		c := e.apply(sale, prog)
		for _, s := range steps[:upTo] {
			c, err = s.move(e.ctx, c.ID, c.Version, "")
			require.NoError(t, err)
		}
		c, err = e.credit.CancelApplication(e.ctx, c.ID, c.Version, "клиент передумал")
		require.NoError(t, err)
		assert.Equal(t, credit.Cancelled, c.State)
	}
}

func testCreditInvalidApplication(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Кредит")
	prog := e.program("ПАО «Банк»", "Стандарт")
	sale := e.sale()
	cases := []struct {
		name string
		in   credit.ApplicationInput
		want []string
	}{
		{"everything wrong", credit.ApplicationInput{SaleID: sale.ID, ProgramID: prog.ID, Method: "balloon", TermMonths: 120,
			DownPayment: crm.MustMoney("100000", "RUB"), Amount: crm.MustMoney("6000000", "EUR")},
			[]string{"method", "term_months", "amount.currency", "down_payment"}},
		{"above the price", credit.ApplicationInput{SaleID: sale.ID, ProgramID: prog.ID, TermMonths: 36,
			DownPayment: crm.MustMoney("400000", "RUB"), Amount: crm.MustMoney("1200000", "RUB")}, []string{"amount"}},
		{"amount out of range and fractional down", credit.ApplicationInput{SaleID: sale.ID, ProgramID: prog.ID, TermMonths: 6,
			DownPayment: crm.MustMoney("300000.001", "RUB"), Amount: crm.MustMoney("50000", "RUB")},
			[]string{"amount", "down_payment", "term_months"}},
		{"unknown sale and program", credit.ApplicationInput{SaleID: crm.NewID(), ProgramID: crm.NewID(), TermMonths: 36,
			Amount: crm.MustMoney("1200000", "RUB")}, []string{"sale_id", "program_id"}},
		{"no sale and program", credit.ApplicationInput{}, []string{"sale_id", "program_id"}},
	}
	for _, c := range cases {
		_, err := e.credit.CreateApplication(e.ctx, c.in)
		require.True(t, errors.Is(err, crm.ErrInvalid), "%s: %v", c.name, err)
		assert.ElementsMatch(t, c.want, salesFields(err), c.name)
	}

	// A program out of its dates or inactive is refused, naming program_id.
	old := creditProgramInput("Прошлогодний")
	old.ValidFrom, old.ValidTo = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	expired, err := e.credit.CreateProgram(e.ctx, old)
	require.NoError(t, err)
	off := creditProgramInput("Выключенный")
	off.Active = false
	inactive, err := e.credit.CreateProgram(e.ctx, off)
	require.NoError(t, err)
	for _, p := range []credit.Program{expired, inactive} {
		_, err = e.credit.CreateApplication(e.ctx, credit.ApplicationInput{SaleID: sale.ID, ProgramID: p.ID, TermMonths: 36,
			DownPayment: crm.MustMoney("300000", "RUB"), Amount: crm.MustMoney("1200000", "RUB")})
		assert.Equal(t, []string{"program_id"}, salesFields(err), p.Name)
	}
	assert.Empty(t, e.applications(sale.ID), "nothing saved")
}

func testCreditOneIssued(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Кредит")
	sale := e.sale()
	a := e.approved(sale, e.program("ПАО «Банк»", "Стандарт"))
	b := e.approved(sale, e.program("АО «Другой банк»", "Лайт"))
	a, err := e.credit.IssueApplication(e.ctx, a.ID, a.Version, "деньги перечислены")
	require.NoError(t, err)
	assert.Equal(t, a.ID, e.getSale(sale.ID).CreditApplicationID, "issuing links the open sale")
	_, err = e.credit.IssueApplication(e.ctx, b.ID, b.Version, "")
	assert.True(t, errors.Is(err, credit.ErrAlreadyIssued), "%v", err)
	assert.Equal(t, credit.CodeAlreadyIssued, crm.CodeOf(err))
	got, err := e.credit.GetApplication(e.ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, credit.Approved, got.State, "refused, unchanged")

	// The store holds it too: writing a second financed application is a duplicate.
	got.State, got.IssuedAt = credit.Issued, Epoch
	err = crm.NewUnit[credit.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s credit.Stores) error {
		return s.CreditApplications().Update(ctx, &got)
	})
	assert.True(t, errors.Is(err, crm.ErrConflict), "%v", err)

	// Cancelling the issued one (the buyer withdrew) frees the sale for the other bank.
	a, err = e.credit.CancelApplication(e.ctx, a.ID, a.Version, "отказ от кредита")
	require.NoError(t, err)
	assert.Equal(t, crm.ID{}, e.getSale(sale.ID).CreditApplicationID, "cancelling unlinks the open sale")
	b, err = e.credit.IssueApplication(e.ctx, b.ID, b.Version, "")
	require.NoError(t, err)
	assert.Equal(t, b.ID, e.getSale(sale.ID).CreditApplicationID)
}

// testCreditConcurrentIssues races issues of many approved applications of one sale: exactly one is issued.
func testCreditConcurrentIssues(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Кредит")
	sale := e.sale()
	const n = 12
	apps := make([]credit.Application, n)
	for i := range apps {
		apps[i] = e.approved(sale, e.program(fmt.Sprintf("Банк %02d", i), "Стандарт"))
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = e.credit.IssueApplication(e.ctx, apps[i].ID, apps[i].Version, "")
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		if err == nil {
			won++
			continue
		}
		assert.True(t, errors.Is(err, credit.ErrAlreadyIssued), "application %d: %v", i, err)
	}
	assert.Equal(t, 1, won, "exactly one issue wins")
	issued := 0
	for _, a := range e.applications(sale.ID) {
		if a.State == credit.Issued {
			issued++
			assert.Equal(t, a.ID, e.getSale(sale.ID).CreditApplicationID, "the sale links the issued one")
		}
	}
	assert.Equal(t, 1, issued)
}

func testCreditSaleLink(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Кредит")
	prog := e.program("ПАО «Банк»", "Стандарт")
	sale, other := e.sale(), e.sale()
	draft := e.apply(sale, prog)
	approved := e.approved(sale, prog)
	foreign := e.approved(other, prog)
	link := func(id crm.ID) (sales.Sale, error) {
		return e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{Changes: sales.Changes{CreditApplicationID: &id}})
	}
	for name, id := range map[string]crm.ID{"unknown": crm.NewID(), "a draft": draft.ID, "another sale's": foreign.ID} {
		_, err := link(id)
		assert.True(t, errors.Is(err, crm.ErrInvalid), "%s: %v", name, err)
		assert.Equal(t, []string{"credit_application_id"}, salesFields(err), name)
	}
	// Another dealer's application is no application.
	theirs := newCreditEnv(t, e.b, "Чужой")
	theirSale := theirs.sale()
	theirApp := theirs.approved(theirSale, theirs.program("Банк", "Стандарт"))
	_, err := link(theirApp.ID)
	assert.Equal(t, []string{"credit_application_id"}, salesFields(err), "%v", err)
	assert.Equal(t, crm.ID{}, e.getSale(sale.ID).CreditApplicationID, "nothing linked")

	linked, err := link(approved.ID)
	require.NoError(t, err)
	assert.Equal(t, approved.ID, linked.CreditApplicationID)
	assert.Equal(t, approved.ID, e.getSale(sale.ID).CreditApplicationID, "stored")

	// Rejecting is not possible once approved, but cancelling unlinks.
	_, err = e.credit.CancelApplication(e.ctx, approved.ID, approved.Version, "")
	require.NoError(t, err)
	assert.Equal(t, crm.ID{}, e.getSale(sale.ID).CreditApplicationID)
	_, err = link(approved.ID)
	assert.Equal(t, []string{"credit_application_id"}, salesFields(err), "a cancelled application cannot be linked: %v", err)
	unlinked, err := link(crm.ID{})
	require.NoError(t, err, "the zero ID unlinks")
	assert.Equal(t, crm.ID{}, unlinked.CreditApplicationID)
}

func testCreditContract(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Кредит")
	prog := e.program("ПАО «Банк Кредит»", "Автокредит Стандарт")
	sale := e.sale()
	a := e.approved(sale, prog)
	_, err := e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{Changes: sales.Changes{CreditApplicationID: &a.ID}})
	require.NoError(t, err)
	c, _, err := e.svc.BuildSaleContract(e.ctx, sale.ID, sales.ContractTerms{})
	require.NoError(t, err)
	assert.Equal(t, "ПАО «Банк Кредит»", c.Payment.CreditBank)
	assert.Equal(t, "1200000.00 RUB", c.Payment.CreditAmount.String())
	assert.Equal(t, 36, c.Payment.CreditTermMonths)
	assert.Equal(t, "300000.00 RUB", c.Payment.OwnFunds.String(), "the buyer pays the rest")
	assert.Equal(t, sales.PayCredit, c.Payment.Method, "derived from the credit when the sale names no method")

	// Issue, win, and the won sale's contract still states the credit.
	_, err = e.credit.IssueApplication(e.ctx, a.ID, 0, "")
	require.NoError(t, err)
	won, _, err := e.svc.WinSale(e.ctx, sale.ID, 0, sales.WinInput{})
	require.NoError(t, err)
	assert.Equal(t, a.ID, won.CreditApplicationID)
	c, _, err = e.svc.BuildSaleContract(e.ctx, sale.ID, sales.ContractTerms{})
	require.NoError(t, err)
	assert.Equal(t, "1200000.00 RUB", c.Payment.CreditAmount.String())
	_, err = e.credit.CloseApplication(e.ctx, a.ID, 0, "погашен")
	require.NoError(t, err)
	c, _, err = e.svc.BuildSaleContract(e.ctx, sale.ID, sales.ContractTerms{})
	require.NoError(t, err)
	assert.Equal(t, "ПАО «Банк Кредит»", c.Payment.CreditBank, "a repaid credit stays on the signed contract")
}

func testCreditIsolation(t *testing.T, open Open) {
	b := open(t)
	e := newCreditEnv(t, b, "Кредит")
	a := e.apply(e.sale(), e.program("ПАО «Банк»", "Стандарт"))
	theirs := newCreditEnv(t, b, "Чужой")
	_, err := theirs.credit.GetApplication(theirs.ctx, a.ID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	_, err = theirs.credit.SubmitApplication(theirs.ctx, a.ID, 0, "")
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	_, err = theirs.credit.GetProgram(theirs.ctx, a.ProgramID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	_, err = theirs.credit.CreateApplication(theirs.ctx, credit.ApplicationInput{SaleID: a.SaleID, ProgramID: a.ProgramID,
		TermMonths: 36, Amount: crm.MustMoney("1200000", "RUB")})
	assert.ElementsMatch(t, []string{"sale_id", "program_id"}, salesFields(err), "another dealer's sale and program are no records")
	page, err := theirs.credit.ListApplications(theirs.ctx, credit.ApplicationQuery{})
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	_, err = e.credit.GetApplication(context.Background(), a.ID)
	assert.True(t, errors.Is(err, crm.ErrForbidden), "no dealer: %v", err)
}

func testCreditList(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Кредит")
	prog := e.program("ПАО «Банк»", "Стандарт")
	sale, other := e.sale(), e.sale()
	var ids []crm.ID
	for range 5 {
		e.clock.Advance(time.Minute)
		ids = append(ids, e.apply(sale, prog).ID)
	}
	e.apply(other, prog)
	var got []crm.ID
	q := credit.ApplicationQuery{SaleID: sale.ID, Limit: 2}
	for {
		page, err := e.credit.ListApplications(e.ctx, q)
		require.NoError(t, err)
		for _, a := range page.Items {
			got = append(got, a.ID)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	assert.Equal(t, []crm.ID{ids[4], ids[3], ids[2], ids[1], ids[0]}, got, "newest first, every page")
	page, err := e.credit.ListApplications(e.ctx, credit.ApplicationQuery{State: credit.Submitted})
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	_, err = e.credit.ListApplications(e.ctx, credit.ApplicationQuery{State: "lost", Cursor: "nonsense"})
	assert.ElementsMatch(t, []string{"state", "cursor"}, salesFields(err))
}

// testCreditCalculate: the calculator fills its defaults (annuity, the dealer's currency for an amount without one,
// the first payment a month after the clock's time), names every wrong field, and refuses a context without a
// dealer.
func testCreditCalculate(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Кредит")
	s, err := e.credit.Calculate(e.ctx, credit.CalcInput{Amount: crm.Money{Amount: decimal.RequireFromString("120000")},
		AnnualRatePercent: decimal.RequireFromString("12"), TermMonths: 12})
	require.NoError(t, err)
	require.Len(t, s.Payments, 12)
	assert.Equal(t, crm.Currency("RUB"), s.Payments[0].Payment.Currency, "the dealer's currency")
	assert.Equal(t, "10661.85", s.Payments[0].Payment.Amount.StringFixed(2), "equal (annuity) payments")
	assert.Equal(t, "10661.85", s.Payments[1].Payment.Amount.StringFixed(2), "equal (annuity) payments")
	assert.Equal(t, credit.DueDate(e.clock.Now(), 1), s.Payments[0].Due, "a month from now")

	first := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	s, err = e.credit.Calculate(e.ctx, credit.CalcInput{Method: credit.Differentiated, Amount: crm.MustMoney("1200", "EUR"),
		AnnualRatePercent: decimal.RequireFromString("12"), TermMonths: 2, FirstDue: first})
	require.NoError(t, err)
	assert.Equal(t, "612", s.Payments[0].Payment.Amount.String(), "600 of principal and a month's 1 %")
	assert.Equal(t, "606", s.Payments[1].Payment.Amount.String())
	assert.Equal(t, crm.Currency("EUR"), s.Payments[0].Payment.Currency, "the amount's own currency")
	assert.Equal(t, first, s.Payments[0].Due)
	assert.Equal(t, time.Date(2027, 2, 28, 0, 0, 0, 0, time.UTC), s.Payments[1].Due)

	_, err = e.credit.Calculate(e.ctx, credit.CalcInput{Method: "balloon", Amount: crm.MustMoney("-5", "RUB"),
		AnnualRatePercent: decimal.RequireFromString("100"), TermMonths: 0})
	var ce *crm.Error
	require.True(t, errors.As(err, &ce), "%v", err)
	assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
	for _, f := range []string{"method", "amount", "annual_rate", "term_months"} {
		assert.Contains(t, fmt.Sprint(err), f)
	}

	_, err = e.credit.Calculate(context.Background(), credit.CalcInput{Amount: crm.MustMoney("1000", "RUB"), TermMonths: 1})
	assert.True(t, errors.Is(err, crm.ErrForbidden), "%v", err)
}
