//go:build race

package httpapi

// raceAllocSlack is how many allocations a read may add under the race detector (which drops pooled buffers at
// random): see TestReadAllocationBudgets.
const raceAllocSlack = 6
