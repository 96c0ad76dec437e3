package stack_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMESnippetAnyHour runs the README's embedding snippet at every hour of a week (weekend included): it
// never depends on the hour it runs at.
func TestREADMESnippetAnyHour(t *testing.T) {
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) // a Monday
	for h := 0; h < 7*24; h++ {
		at := start.Add(time.Duration(h) * time.Hour)
		st := stack.New(memory.New(), crm.NewManualClock(at))
		v, drive, handler, err := readmeSnippet(context.Background(), st)
		require.NoError(t, err, "at %s", at)
		assert.Equal(t, catalog.StatusReserved, v.Status, "at %s", at)
		assert.False(t, drive.Start.Before(at), "at %s the drive starts at %s", at, drive.Start)
		assert.NotNil(t, handler)
	}
}

// TestREADMESnippetIsThisExample holds the README's "Embed it" snippet to readmeSnippet: every statement of the
// snippet appears in example_test.go (whose errors are returned instead of dropped with _).
func TestREADMESnippetIsThisExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)## Embed it.*?```go\n(.*?)```").FindSubmatch(readme)
	require.NotNil(t, m, "README has an Embed it section with a Go snippet")
	example, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	code := squash(string(example))
	for _, line := range strings.Split(string(m[1]), "\n") {
		stmt, _, _ := strings.Cut(line, "//")
		stmt = strings.TrimSpace(stmt)
		if stmt == "" || strings.HasPrefix(stmt, "db := ") || strings.HasPrefix(stmt, "st := ") {
			continue // the example picks its own backend and clock
		}
		// "v, _ := f(x)" in the README is "v, err := f(x)" in the example.
		stmt = strings.NewReplacer(", _ :=", ", err :=", ", _ =", ", err =", "_, err :=", "td, err :=").Replace(stmt)
		assert.Contains(t, code, squash(stmt), "README line %q is not in example_test.go", line)
	}
}

// squash removes all white space, so line breaks and indentation do not matter.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }
