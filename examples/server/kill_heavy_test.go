//go:build chaos

package main

import "time"

// The chaos run's kill -9 test (go test -tags chaos, scripts/chaos): three kills under heavier load.
const (
	killRounds  = 3
	killWorkers = 16
	killAfter   = 2 * time.Second
)
