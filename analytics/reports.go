package analytics

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/shopspring/decimal"
)

// FunnelItem is one open stage of the funnel: the open sales at it (created in the range) and their amount.
type FunnelItem struct {
	StageID crm.ID
	Code    string
	Name    string
	NameEn  string
	Order   int
	Count   int
	Amount  crm.Money
}

// Funnel is the funnel of open sales: every open stage of the dealer's directory in its order, with zeros where
// no sale stands.
type Funnel struct {
	Query Query
	Items []FunnelItem
	Count int       // Σ Count
	Total crm.Money // Σ Amount
}

// Rates are the three conversion rates of a ConversionRow, percentages (Percent).
type Rates struct {
	LeadToSale decimal.Decimal // Sales / Leads × 100
	SaleToWon  decimal.Decimal // Won / Sales × 100
	LeadToWon  decimal.Decimal // Won / Leads × 100
}

// ConversionRow is one key of a conversion report.
type ConversionRow struct {
	Key   string // the dimension's key: a user ID ("" unassigned), a source, a need-type code, "make|model", "YYYY-MM"
	Label string // for people: the user's name, the need type's name, "Make Model"; else the key
	Leads int
	Sales int
	Won   int
	Rates
}

// Conversion is lead → sale → won for the leads created in the range, by a dimension, with the total.
type Conversion struct {
	Query Query
	By    Dimension
	Rows  []ConversionRow
	Total ConversionRow
}

// StageTime is how long sales stayed in one open stage: the stays that ended in the range, their average and
// total length in hours (two decimals).
type StageTime struct {
	StageID    crm.ID
	Code       string
	Name       string
	NameEn     string
	Order      int
	Stays      int
	AvgHours   decimal.Decimal
	TotalHours decimal.Decimal
}

// StageTimes is the time-in-stage report: every open stage of the directory in its order.
type StageTimes struct {
	Query Query
	Items []StageTime
}

// ResultRow is one key of a results report: the sales won in the range, their revenue and their share of the
// units.
type ResultRow struct {
	Key        string
	Label      string
	Won        int
	Revenue    crm.Money
	UnitsShare decimal.Decimal // Won / total Won × 100
}

// Results are the won sales of the range by a dimension, with the total.
type Results struct {
	Query Query
	By    Dimension
	Rows  []ResultRow
	Total ResultRow
}

// Summary is the range's headline figures (docs/analytics.md).
type Summary struct {
	Query           Query
	WonUnits        int
	WonRevenue      crm.Money
	AverageSale     crm.Money       // WonRevenue / WonUnits, to the minor unit
	WithCredit      int             // won sales with a linked credit application
	CreditShare     decimal.Decimal // WithCredit / WonUnits × 100
	WithTradeIn     int             // won sales with a linked trade-in appraisal
	TradeInShare    decimal.Decimal // WithTradeIn / WonUnits × 100
	Ordered         int             // won sales with an order in the currency
	Discount        crm.Money       // Σ the discounts of their order lines
	AverageDiscount crm.Money       // Discount / Ordered, to the minor unit
	DiscountPercent decimal.Decimal // Discount / (Σ gross + Discount) × 100: the share of the list value given away
	TestDriveLeads  int             // leads with a completed test drive started in the range
	TestDriveSales  int             // of them, with a sale
	TestDriveWon    int             // of them, with a won sale
	TestDriveToSale decimal.Decimal // TestDriveSales / TestDriveLeads × 100
	TestDriveToWon  decimal.Decimal // TestDriveWon / TestDriveLeads × 100
}

var (
	microsInHour = decimal.NewFromInt(int64(time.Hour / time.Microsecond))
)

// Percent is part / whole × 100 rounded half away from zero to two decimals; 0 when whole is not positive (the
// one rule of the plans and the analytics, plans.Percent).
func Percent(part, whole decimal.Decimal) decimal.Decimal { return plans.Percent(part, whole) }

func pct(part, whole int) decimal.Decimal {
	return Percent(decimal.NewFromInt(int64(part)), decimal.NewFromInt(int64(whole)))
}

// ratesOf computes the rates of a row from its counts.
func ratesOf(r ConversionRow) Rates {
	return Rates{LeadToSale: pct(r.Sales, r.Leads), SaleToWon: pct(r.Won, r.Sales), LeadToWon: pct(r.Won, r.Leads)}
}

// average is sum / n rounded to the currency's minor unit (zero for n = 0).
func average(sum decimal.Decimal, n int, cur crm.Currency) crm.Money {
	if n == 0 {
		return crm.Zero(cur).Round()
	}
	return crm.NewMoney(plans.DivRound(sum, decimal.NewFromInt(int64(n)), cur.MinorUnits()), cur)
}
