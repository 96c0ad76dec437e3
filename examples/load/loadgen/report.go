package loadgen

import (
	"fmt"
	"io"
	"time"
)

// PrintHeader writes the column headings of a report.
func PrintHeader(w io.Writer) {
	fmt.Fprintf(w, "%-38s %9s %7s %9s %9s %9s %9s\n", "route", "requests", "errors", "req/s", "p50", "p95", "p99")
}

// Print writes one result as a line of the report, and its first error when there was one.
func Print(w io.Writer, r Result) {
	fmt.Fprintf(w, "%-38s %9d %7d %9.0f %9s %9s %9s\n", r.Route, r.Requests, r.Errors, r.PerSecond(),
		ms(r.Percentile(50)), ms(r.Percentile(95)), ms(r.Percentile(99)))
	if r.FirstErr != "" {
		fmt.Fprintf(w, "    first error: %s\n", r.FirstErr)
	}
}

// PrintMarkdown writes results as a Markdown table (for docs/benchmarks.md).
func PrintMarkdown(w io.Writer, results []Result) {
	fmt.Fprintln(w, "| route | requests | errors | req/s | p50 | p95 | p99 |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range results {
		fmt.Fprintf(w, "| `%s` | %d | %d | %.0f | %s | %s | %s |\n", r.Route, r.Requests, r.Errors, r.PerSecond(),
			ms(r.Percentile(50)), ms(r.Percentile(95)), ms(r.Percentile(99)))
	}
}

// ms formats a latency in milliseconds with two decimals.
func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }
