package credit_test

import (
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// A 1 000 000 ₽ car loan at 12 % a year over 12 months, repaid in equal (annuity) payments: each amount rounded
// to the kopeck, the last payment absorbing the rounding.
func ExampleNewSchedule() {
	s, err := credit.NewSchedule(credit.Annuity, crm.MustMoney("1000000", "RUB"), decimal.RequireFromString("12"), 12,
		time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	for _, p := range s.Payments[:2] {
		fmt.Println(p.Number, p.Due.Format(time.DateOnly), p.Payment, "=", p.Interest, "+", p.Principal, "owed", p.Balance)
	}
	last := s.Payments[len(s.Payments)-1]
	fmt.Println(last.Number, last.Due.Format(time.DateOnly), last.Payment, "owed", last.Balance)
	fmt.Println("paid", s.TotalPaid, "interest", s.TotalInterest)
	// Output:
	// 1 2026-01-31 88848.79 RUB = 10000.00 RUB + 78848.79 RUB owed 921151.21 RUB
	// 2 2026-02-28 88848.79 RUB = 9211.51 RUB + 79637.28 RUB owed 841513.93 RUB
	// 12 2026-12-31 88848.76 RUB owed 0.00 RUB
	// paid 1066185.45 RUB interest 66185.45 RUB
}

// An application moves draft → submitted → approved → issued; anything else is refused with ErrTransition.
func ExampleApplication_Move() {
	a := credit.Application{State: credit.Draft}
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, to := range []credit.State{credit.Approved, credit.Submitted, credit.Approved, credit.Issued, credit.Draft} {
		err := a.Move(to, crm.ID{}, "", now)
		fmt.Println(to, err == nil)
	}
	fmt.Println(a.State, len(a.History), a.IssuedAt.Equal(now))
	// Output:
	// approved false
	// submitted true
	// approved true
	// issued true
	// draft false
	// issued 3 true
}
