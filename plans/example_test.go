package plans_test

import (
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/shopspring/decimal"
)

// A December plan of 4 cars and 8 000 000 ₽: a quarter plan of the same scope overlaps it, a manager's plan does
// not; with 3 cars won for 4 100 000.10 ₽ and open sales worth 133 000 000.33 ₽ × % expected in December, the
// progress is 51.25 % with a forecast of 5 430 000.10 ₽.
func ExampleProgressOf() {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	dec := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	p, err := plans.New(crm.NewID(), plans.Input{Period: plans.Month, Start: dec, TargetUnits: 4,
		TargetRevenue: crm.MustMoney("8000000", "RUB")}, now)
	if err != nil {
		panic(err)
	}
	q4, _ := plans.New(p.DealerID, plans.Input{Period: plans.Quarter, Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		TargetRevenue: crm.MustMoney("1", "RUB")}, now)
	mine, _ := plans.New(p.DealerID, plans.Input{Period: plans.Quarter, Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		Scope: plans.Scope{OwnerID: crm.NewID()}, TargetRevenue: crm.MustMoney("1", "RUB")}, now)
	fmt.Println(p.End().Format(time.DateOnly), p.Overlaps(q4), p.Overlaps(mine))

	pr := plans.ProgressOf(p, plans.Actuals{WonUnits: 3, WonRevenue: decimal.RequireFromString("4100000.10"),
		OpenWeighted: decimal.RequireFromString("133000000.33")}) // Σ amount × probability (percent)
	fmt.Println(pr.WonUnits, pr.WonRevenue, pr.UnitsPercent, pr.CompletionPercent, pr.ForecastRevenue)
	// Output:
	// 2027-01-01 true false
	// 3 4100000.10 RUB 75 51.25 5430000.10 RUB
}
