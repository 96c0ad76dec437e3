//go:build !chaos

package chaos_test

import "time"

// The normal suite's sizes: short faults, a little load.
const (
	terminateFor = 800 * time.Millisecond // how long backends are terminated under load
	cutFor       = 700 * time.Millisecond // how long the database is cut off
	workers      = 4
)
