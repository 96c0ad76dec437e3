// Package analytics is the sales analysis of a dealer: the funnel of open sales by stage, the conversion of leads
// into sales and wins, the time sales spend in each stage, the results (won sales and revenue) by manager, make
// and model, lead source, need type or month, and a summary with the test-drive conversion, the shares of sales
// with credit and with a trade-in, and the average discount.
//
// The figures are computed where the data is: the adapters implement Store with aggregate queries (SQL GROUP BY
// on PostgreSQL over indexes made for them, one pass over the dealer's records in memory) and return raw counts
// and exact sums; this package adds the directory's names, the percentages and the rounding, once for both
// adapters. docs/analytics.md defines every figure; the contract suite checks both adapters against an
// independent computation over the same generated data.
package analytics
