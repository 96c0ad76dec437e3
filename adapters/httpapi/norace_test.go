//go:build !race

package httpapi

// raceAllocSlack is 0 without the race detector: see TestReadAllocationBudgets.
const raceAllocSlack = 0
