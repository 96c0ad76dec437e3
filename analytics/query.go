package analytics

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Bounds used for an open end of a Range: far enough to include every record, near enough for every database.
var (
	MinTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Query is what every report is asked for: the instants [From, To) (zero: open-ended) and the currency its
// amounts are counted in (sales in other currencies count in the numbers, not in the amounts).
type Query struct {
	From, To time.Time
	Currency crm.Currency
}

// normalized returns q with open ends replaced by MinTime and MaxTime, in UTC; crm.KindInvalid naming "to" when
// the range is empty and "currency" when it is not an ISO 4217 code.
func (q Query) normalized() (Query, error) {
	var p crm.Problems
	if q.From.IsZero() {
		q.From = MinTime
	}
	if q.To.IsZero() {
		q.To = MaxTime
	}
	q.From, q.To = q.From.UTC(), q.To.UTC()
	if !q.From.Before(q.To) {
		p.Add("to", "must be after from")
	}
	if q.Currency != "" {
		if c, err := crm.ParseCurrency(string(q.Currency)); err != nil {
			p.Add("currency", "%q is not an ISO 4217 currency code", string(q.Currency))
		} else {
			q.Currency = c
		}
	}
	return q, p.Err("analytics.Query")
}

// Dimension is what conversion and results are grouped by.
type Dimension string

// The dimensions. For conversion they are read on the lead (its owner, source, need type, the make and model it
// is interested in, the month it was created); for results on the won sale (its owner, the source and need type
// of its lead, its vehicle's make and model, the month it was won).
const (
	ByManager  Dimension = "manager"
	BySource   Dimension = "source"
	ByNeedType Dimension = "need_type"
	ByModel    Dimension = "model"
	ByMonth    Dimension = "month"
)

// Dimensions returns every dimension.
func Dimensions() []Dimension { return []Dimension{ByManager, BySource, ByNeedType, ByModel, ByMonth} }

// Valid reports whether d is a known dimension.
func (d Dimension) Valid() bool {
	for _, v := range Dimensions() {
		if d == v {
			return true
		}
	}
	return false
}

// ModelKey is the key of a make and model in the model dimension: "make|model", as stored.
func ModelKey(make_, model string) string { return make_ + "|" + model }

// MonthKey is the key of the month of t in the month dimension: "YYYY-MM" in UTC.
func MonthKey(t time.Time) string { return t.UTC().Format("2006-01") }
