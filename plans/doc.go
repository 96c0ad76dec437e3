// Package plans keeps the dealer's sales plans (планы продаж) and measures their fulfilment.
//
// A Plan sets targets in units and in revenue for one calendar period — a month, a quarter or a year, in UTC —
// for the whole dealer or for a scope: a sales manager, a make (and model), a need type, or a combination of them.
// Two plans of one scope never cover the same day (ErrOverlap): the stores hold that rule themselves, the
// PostgreSQL adapter with an exclusion constraint over the period's date range, the memory adapter under its lock.
// Every version of a plan is kept as a Revision, so an edited target still shows what it was.
//
// Progress compares a plan with the sales: the won sales of the period in the scope (units, and revenue in the
// plan's currency), the completion percentage, and the forecast — the won revenue plus the probable amount
// (amount × probability) of the open sales expected to close in the period. The counting is done by the store
// where the data is (ProgressStore); docs/analytics.md defines every figure.
package plans
