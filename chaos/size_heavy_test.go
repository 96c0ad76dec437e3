//go:build chaos

package chaos_test

import "time"

// The chaos run's sizes (go test -tags chaos, scripts/chaos): the database cut for 10 s, as the issue's
// attack did, backends terminated for 10 s, more load.
const (
	terminateFor = 10 * time.Second
	cutFor       = 10 * time.Second
	workers      = 12
)
