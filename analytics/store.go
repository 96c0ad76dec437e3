package analytics

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// StageRef is an open stage of the dealer's directory as a report names it.
type StageRef struct {
	StageID crm.ID
	Code    string
	Name    string
	NameEn  string
	Order   int
}

// StageCount is what the funnel counts for one open stage: the open sales at it created in the range, and the sum
// of their amounts in the report's currency.
type StageCount struct {
	StageRef
	Count  int
	Amount decimal.Decimal
}

// ConversionCount is what conversion counts for one key of a dimension: the leads created in the range, those of
// them with at least one sale (any status), and those with at least one won sale.
type ConversionCount struct {
	Key   string
	Label string // the user's name (manager), the need type's name (need_type); "" otherwise
	Leads int
	Sales int
	Won   int
}

// StageTimeCount is what the stage-time report counts for one stage: the stays in it that ended in the range
// (docs/analytics.md: a stay begins when the sale enters the stage and ends when it enters another; skipped
// stages and probability changes neither begin nor end one) and their total length in microseconds.
type StageTimeCount struct {
	StageRef
	Stays  int
	Micros decimal.Decimal
}

// ResultCount is what results count for one key of a dimension: the sales won in the range and the sum of their
// amounts in the query's currency.
type ResultCount struct {
	Key     string
	Label   string // as ConversionCount.Label
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

// Store computes each report where the data is, in one statement on PostgreSQL (one round trip per report,
// names included). Every method takes a normalized Query (both bounds set, UTC; Currency "" means the dealer's
// currency), returns the currency it counted amounts in, and returns crm.KindForbidden without a dealer in the
// context. Stage rows are every open stage of the directory in its order; key rows come in any order.
type Store interface {
	Funnel(ctx context.Context, q Query) ([]StageCount, crm.Currency, error)
	Conversion(ctx context.Context, q Query, by Dimension) ([]ConversionCount, crm.Currency, error)
	StageTimes(ctx context.Context, q Query) ([]StageTimeCount, crm.Currency, error)
	Results(ctx context.Context, q Query, by Dimension) ([]ResultCount, crm.Currency, error)
	Summary(ctx context.Context, q Query) (SummaryCount, crm.Currency, error)
	// LeadResponse counts the first responses of the leads created in the range by the dimension read on the
	// lead (keys as Conversion's), and over the whole cohort (total, Key "").
	LeadResponse(ctx context.Context, q Query, by Dimension) (rows []ResponseCount, total ResponseCount, cur crm.Currency, err error)
}

// Stores is what the analytics service reads inside one unit of work.
type Stores interface {
	Analytics() Store
}
