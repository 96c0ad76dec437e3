//go:build !chaos

package main

import "time"

// The normal suite's kill -9 test: one kill, a little load.
const (
	killRounds  = 1
	killWorkers = 6
	killAfter   = 700 * time.Millisecond
)
