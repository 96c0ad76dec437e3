package plans

import (
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// Progress is how far a plan is fulfilled (definitions in docs/analytics.md). Money is in the plan's currency,
// percentages are rounded half away from zero to two decimals.
type Progress struct {
	Plan           Plan
	TargetUnits    int
	TargetRevenue  crm.Money
	WonUnits       int
	WonRevenue     crm.Money
	UnitsPercent   decimal.Decimal // WonUnits / TargetUnits × 100; 0 when the target is 0
	RevenuePercent decimal.Decimal // WonRevenue / TargetRevenue × 100; 0 when the target is 0
	// CompletionPercent is RevenuePercent when the plan has a revenue target, else UnitsPercent.
	CompletionPercent decimal.Decimal
	// ForecastRevenue is WonRevenue plus the probable amount of the open sales expected to close in the period
	// (Σ amount × probability / 100), rounded to the currency's minor unit.
	ForecastRevenue crm.Money
}

var hundred = decimal.NewFromInt(100)

// ProgressOf computes the progress of p from the actuals a ProgressStore counted for it.
func ProgressOf(p Plan, a Actuals) Progress {
	cur := p.TargetRevenue.Currency
	won := crm.NewMoney(a.WonRevenue, cur)
	probable := crm.NewMoney(a.OpenWeighted.Div(hundred), cur).Round()
	out := Progress{Plan: p, TargetUnits: p.TargetUnits, TargetRevenue: p.TargetRevenue, WonUnits: a.WonUnits,
		WonRevenue: won, UnitsPercent: Percent(decimal.NewFromInt(int64(a.WonUnits)), decimal.NewFromInt(int64(p.TargetUnits))),
		RevenuePercent:  Percent(a.WonRevenue, p.TargetRevenue.Amount),
		ForecastRevenue: crm.NewMoney(won.Amount.Add(probable.Amount), cur)}
	out.CompletionPercent = out.UnitsPercent
	if p.TargetRevenue.Amount.IsPositive() {
		out.CompletionPercent = out.RevenuePercent
	}
	return out
}

// Percent is part / whole × 100 rounded half away from zero to two decimals; 0 when whole is not positive. Every
// percentage of the plans and of the analytics is computed by it.
func Percent(part, whole decimal.Decimal) decimal.Decimal {
	if !whole.IsPositive() {
		return decimal.Zero
	}
	return DivRound(part.Mul(hundred), whole, 2)
}

// Query asks the queries of the query's actuals for p: its period's instants, its scope and currency.
func (p Plan) Query() ProgressQuery {
	return ProgressQuery{From: p.Start, To: p.End(), Scope: p.Scope, Currency: p.TargetRevenue.Currency}
}

// DivRound is a / b rounded half away from zero to places decimals, exactly (no intermediate rounding); b must
// not be zero.
func DivRound(a, b decimal.Decimal, places int32) decimal.Decimal {
	q, r := a.QuoRem(b, places)
	// q is a / b truncated to places; the rest is r / b, below one unit of the last place. Round away from zero
	// when |r / b| is at least half a unit, that is 2|r| >= |b| × 10^-places.
	unit := decimal.New(1, -places)
	if r.Abs().Mul(decimal.NewFromInt(2)).GreaterThanOrEqual(b.Abs().Mul(unit)) {
		if a.Sign()*b.Sign() < 0 {
			return q.Sub(unit)
		}
		return q.Add(unit)
	}
	return q
}
