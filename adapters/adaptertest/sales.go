package adaptertest

import "testing"

// SalesBackend hands out the sales unit of work.
type SalesBackend interface{}

func runSales(t *testing.T, open Open) {}
