package analytics

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

// StageCount is what the funnel counts for one stage: the open sales at it created in the range, and the sum of
// their amounts in the query's currency.
type StageCount struct {
	StageID crm.ID
	Count   int
	Amount  decimal.Decimal
}

// ConversionCount is what conversion counts for one key of a dimension: the leads created in the range, those of
// them with at least one sale (any status), and those with at least one won sale.
type ConversionCount struct {
	Key   string
	Leads int
	Sales int
	Won   int
}

// StageTimeCount is what the stage-time report counts for one stage: the stays in it that ended in the range
// (docs/analytics.md: a stay begins when the sale enters the stage and ends when it enters another; skipped
// stages and probability changes neither begin nor end one) and their total length in microseconds.
type StageTimeCount struct {
	StageID crm.ID
	Stays   int
	Micros  decimal.Decimal
}

// ResultCount is what results count for one key of a dimension: the sales won in the range and the sum of their
// amounts in the query's currency.
type ResultCount struct {
	Key     string
	Won     int
	Revenue decimal.Decimal
}

// SummaryCount is what the summary counts over the sales won in the range (WonUnits, WonRevenue, WithCredit: a
// linked credit application, WithTradeIn: a linked trade-in appraisal; Ordered: those with an order in the query's
// currency, with the sum of their lines' discounts and of their gross totals), and over the leads with a completed
// test drive that started in the range (TestDriveLeads; of them TestDriveSales with a sale, TestDriveWon with a
// won sale).
type SummaryCount struct {
	WonUnits       int
	WonRevenue     decimal.Decimal
	WithCredit     int
	WithTradeIn    int
	Ordered        int
	Discount       decimal.Decimal
	Gross          decimal.Decimal
	TestDriveLeads int
	TestDriveSales int
	TestDriveWon   int
}

// Store computes the reports' raw figures where the data is. Every method takes a normalized Query (both bounds
// set, UTC) and returns crm.KindForbidden without a dealer in the context; rows come in key order (stage IDs in any
// order).
type Store interface {
	Funnel(ctx context.Context, q Query) ([]StageCount, error)
	Conversion(ctx context.Context, q Query, by Dimension) ([]ConversionCount, error)
	StageTimes(ctx context.Context, q Query) ([]StageTimeCount, error)
	Results(ctx context.Context, q Query, by Dimension) ([]ResultCount, error)
	Summary(ctx context.Context, q Query) (SummaryCount, error)
}

// Stores is what the analytics service reads inside one unit of work: the reports, the dealer (its default
// currency), the stage directory, the users and the need types (for the names of the rows).
type Stores interface {
	Analytics() Store
	Dealers() crm.DealerStore
	SalesStages() sales.StageStore
	Users() crm.UserStore
	NeedTypes() leads.NeedTypeStore
}
