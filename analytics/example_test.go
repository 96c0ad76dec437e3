package analytics_test

import (
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

// A sale's stays read from its history: the forward move over two stages leaves the first stage (the skipped
// ones are no stays), the probability change keeps the stay, the step back begins a new one.
func ExampleStaysOf() {
	newSt, offer, deal := crm.NewID(), crm.NewID(), crm.NewID()
	skipped1, skipped2 := crm.NewID(), crm.NewID()
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	history := []sales.StageChange{
		{At: t0, ToStageID: newSt},
		{At: t0.Add(26 * time.Hour), FromStageID: newSt, ToStageID: skipped1, Skipped: true},
		{At: t0.Add(26 * time.Hour), FromStageID: skipped1, ToStageID: skipped2, Skipped: true},
		{At: t0.Add(26 * time.Hour), FromStageID: skipped2, ToStageID: offer},
		{At: t0.Add(30 * time.Hour), FromStageID: offer, ToStageID: offer, Probability: 30}, // a probability change
		{At: t0.Add(50 * time.Hour), FromStageID: offer, ToStageID: deal},
	}
	for _, s := range analytics.StaysOf(history) {
		left := "still there"
		if !s.Left.IsZero() {
			left = s.Left.Sub(s.Entered).String()
		}
		fmt.Println(s.StageID == newSt, s.StageID == offer, s.StageID == deal, left)
	}
	fmt.Println(analytics.Percent(decimal.NewFromInt(1), decimal.NewFromInt(3)), analytics.Percent(decimal.NewFromInt(2), decimal.NewFromInt(3)))
	// Output:
	// true false false 26h0m0s
	// false true false 24h0m0s
	// false false true still there
	// 33.33 66.67
}
