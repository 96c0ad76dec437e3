// Package loadgen drives a dealercrm HTTP API over loopback with a bounded number of concurrent workers for a
// bounded time and request count, one route after another (read one vehicle, list vehicles, create a lead, book a
// test drive), and reports requests per second and latency percentiles. Baseline is a bare net/http handler that
// serves the same JSON, the floor against which the real API's figures are read.
package loadgen
