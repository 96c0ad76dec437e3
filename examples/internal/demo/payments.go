package demo

import (
	"context"
	"fmt"

	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

// How a demo sale is paid beyond own funds: a trade-in (an approved appraisal sheet of the buyer's old car), a
// bank credit (an issued application), or both.
type payPlan int

const (
	payOwn     payPlan = iota // cash or transfer, as the rng picks
	payTradeIn                // an approved trade-in, the rest in cash
	payCredit                 // an issued credit, the rest in cash
	payBoth                   // an approved trade-in and an issued credit (mixed)
)

// wonPayPlans is how the two won sales of each dealer are paid: the first with a trade-in and a credit, the second
// by credit at the first dealer and by trade-in at the second, so the demo holds every kind of payment.
var wonPayPlans = [][2]payPlan{{payBoth, payCredit}, {payBoth, payTradeIn}}

// bankSpecs are the credit programs every demo dealer offers: two banks.
var bankSpecs = []credit.ProgramInput{
	{Bank: "ПАО Сбербанк", Name: "Автокредит «Новый автомобиль»", AnnualRate: decimal.RequireFromString("14.9"),
		MinTermMonths: 12, MaxTermMonths: 84, MinDownPaymentPercent: decimal.NewFromInt(20),
		MinAmount: crm.MustMoney("100000", "RUB"), MaxAmount: crm.MustMoney("7000000", "RUB"), Active: true},
	{Bank: "Банк ВТБ (ПАО)", Name: "Автоэкспресс", AnnualRate: decimal.RequireFromString("16.5"),
		MinTermMonths: 12, MaxTermMonths: 60, MinDownPaymentPercent: decimal.NewFromInt(10),
		MinAmount: crm.MustMoney("150000", "RUB"), MaxAmount: crm.MustMoney("5000000", "RUB"), Active: true},
}

// programs creates the dealer's credit programs, valid from a year before the clock's date.
func (s *seeder) programs() error {
	for _, in := range bankSpecs {
		in.ValidFrom = s.st.Clock.Now().AddDate(-1, 0, 0)
		p, err := s.st.Credit.CreateProgram(s.ctx, in)
		if err != nil {
			return fmt.Errorf("credit program %s: %w", in.Bank, err)
		}
		s.out.CreditPrograms = append(s.out.CreditPrograms, p)
	}
	return nil
}

// tradeInCars are the buyers' old cars the demo appraises, one per won sale that takes a trade-in.
var tradeInCars = []appraisal.Car{
	{VIN: "Z94CB41AAGR323020", Make: "Hyundai", Model: "Solaris", Year: 2016, Mileage: 118000, Color: "серебристый"},
	{VIN: "XTA219170J0512345", Make: "Lada", Model: "Granta", Year: 2018, Mileage: 76500, Color: "белый"},
	{VIN: "X7LHSRGAN58123456", Make: "Renault", Model: "Logan", Year: 2014, Mileage: 154000, Color: "синий"},
	{VIN: "Z8NAJL10060123456", Make: "Nissan", Model: "Qashqai", Year: 2017, Mileage: 98000, Color: "чёрный"},
}

// pay gives the open sale sl the payment of plan before it is won: the trade-in linked, the credit issued and
// linked, and the payment method. It returns the sale as it then stands.
func (s *seeder) pay(sl sales.Sale, plan payPlan, owner string) (sales.Sale, error) {
	method := sales.PayCash
	var err error
	if plan == payTradeIn || plan == payBoth {
		if sl, err = s.tradeIn(sl, owner); err != nil {
			return sl, fmt.Errorf("trade-in: %w", err)
		}
		method = sales.PayTradeIn
	}
	if plan == payCredit || plan == payBoth {
		if sl, err = s.credit(sl, plan); err != nil {
			return sl, fmt.Errorf("credit: %w", err)
		}
		method = sales.PayCredit
	}
	if plan == payBoth {
		method = sales.PayMixed
	}
	return s.st.Sales.EditSale(s.ctx, sl.ID, sl.Version, sales.Edit{Changes: sales.Changes{PaymentMethod: &method}})
}

// tradeIn appraises the buyer's old car (about a third of the new car's price, less what the inspection found),
// has the sales manager approve the sheet and links it to the sale.
func (s *seeder) tradeIn(sl sales.Sale, owner string) (sales.Sale, error) {
	car := tradeInCars[(len(s.out.Appraisals)+2*s.dealerN)%len(tradeInCars)]
	car.Owner = owner
	ref := sl.Amount.Mul(decimal.RequireFromString("0.33")).Amount.Round(-4)
	a, err := s.st.Appraisal.CreateAppraisal(s.ctx, appraisal.Input{Car: car, LeadID: sl.LeadID, CustomerID: sl.CustomerID,
		SaleID: sl.ID, ReferencePrice: crm.NewMoney(ref, sl.Amount.Currency),
		Justification: "Средняя цена аналогов на Авто.ру и Авито за месяц; минус ремонт по итогам осмотра"})
	if err != nil {
		return sl, err
	}
	findings := []struct {
		area      appraisal.Area
		grade     appraisal.Grade
		note      string
		deduction string
	}{
		{appraisal.AreaPaint, appraisal.GradeFair, "сколы на капоте, локальный окрас", "12000"},
		{appraisal.AreaTyres, appraisal.GradePoor, "летняя резина, износ 70 %", "18000"},
	}
	for _, f := range findings {
		for _, e := range a.Elements {
			if e.Area != f.area {
				continue
			}
			g, note, d := f.grade, f.note, crm.MustMoney(f.deduction, sl.Amount.Currency)
			if a, err = s.st.Appraisal.EditElement(s.ctx, a.ID, a.Version, e.ID, appraisal.ElementChange{Grade: &g, Note: &note,
				Deduction: &d}); err != nil {
				return sl, err
			}
			break
		}
	}
	if a, err = s.st.Appraisal.EditAppraisal(s.ctx, a.ID, a.Version, appraisal.Changes{Adjustments: []appraisal.Adjustment{
		{Amount: crm.MustMoney("-5000", sl.Amount.Currency), Reason: "один комплект ключей"}}}); err != nil {
		return sl, err
	}
	if a, err = s.st.Appraisal.Transition(s.ctx, a.ID, a.Version, appraisal.ActionSubmit, "осмотр завершён"); err != nil {
		return sl, err
	}
	if a, err = s.st.Appraisal.Transition(s.ctx, a.ID, a.Version, appraisal.ActionApprove, "цена согласована с клиентом"); err != nil {
		return sl, err
	}
	id := a.ID
	if sl, err = s.st.Sales.EditSale(s.ctx, sl.ID, sl.Version, sales.Edit{Changes: sales.Changes{TradeInAppraisalID: &id}}); err != nil {
		return sl, err
	}
	if a, err = s.st.Appraisal.GetAppraisal(s.ctx, a.ID); err != nil {
		return sl, err
	}
	s.out.Appraisals = append(s.out.Appraisals, a)
	return sl, nil
}

// credit applies for a loan of about 60 % of what the trade-in leaves (the first program's bank for a sale with a
// trade-in, the second's otherwise), and has it submitted, approved and issued: issuing links it to the sale.
func (s *seeder) credit(sl sales.Sale, plan payPlan) (sales.Sale, error) {
	prog := s.out.CreditPrograms[1]
	rest := sl.Amount
	if plan == payBoth {
		prog = s.out.CreditPrograms[0]
		st, err := s.st.Sales.GetSaleSettlement(s.ctx, sl.ID)
		if err != nil {
			return sl, err
		}
		rest = st.Remainder
	}
	amount := crm.NewMoney(rest.Amount.Mul(decimal.RequireFromString("0.6")).Round(-4), rest.Currency)
	down, err := sl.Amount.Sub(amount)
	if err != nil {
		return sl, err
	}
	a, err := s.st.Credit.CreateApplication(s.ctx, credit.ApplicationInput{SaleID: sl.ID, ProgramID: prog.ID, DownPayment: down,
		Amount: amount, TermMonths: []int{36, 48, 60}[s.rng.IntN(3)], Method: credit.Annuity, Comment: "заявка из салона"})
	if err != nil {
		return sl, err
	}
	for _, step := range []struct {
		move    func(ctx context.Context, id crm.ID, v int64, comment string) (credit.Application, error)
		comment string
	}{
		{s.st.Credit.SubmitApplication, "отправлена в банк"},
		{s.st.Credit.ApproveApplication, "одобрена банком"},
		{s.st.Credit.IssueApplication, "кредит выдан, средства перечислены продавцу"},
	} {
		if a, err = step.move(s.ctx, a.ID, a.Version, step.comment); err != nil {
			return sl, err
		}
	}
	s.out.CreditApplications = append(s.out.CreditApplications, a)
	return s.st.Sales.GetSale(s.ctx, sl.ID)
}
