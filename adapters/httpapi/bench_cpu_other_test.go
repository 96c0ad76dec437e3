//go:build !unix

package httpapi

import "time"

// cpuTime reports that the process's CPU time is not known here: the benchmarks report ns/op only.
func cpuTime() (time.Duration, bool) { return 0, false }
