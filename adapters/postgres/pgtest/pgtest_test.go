package pgtest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestSkippedRunIsNotCached: go test must not keep a run that skipped the PostgreSQL tests as a cached "ok" — once
// the server is up, the next plain `go test ./...` runs them (and until then, says again that they were skipped).
func TestSkippedRunIsNotCached(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go not on the PATH: %v", err)
	}
	run := func() string {
		t.Helper()
		cmd := exec.Command(goTool, "test", "./testdata/skips")
		cmd.Env = append(withoutEnv(os.Environ(), "CI", "GOFLAGS", "DEALERCRM_TEST_DATABASE_URL"),
			"DEALERCRM_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go test ./testdata/skips: %v\n%s", err, out)
		}
		return string(out)
	}
	run()
	if out := run(); strings.Contains(out, "(cached)") {
		t.Fatalf("a run that skipped PostgreSQL tests was replayed from the cache:\n%s", out)
	}
}

// withoutEnv returns env without the variables named.
func withoutEnv(env []string, names ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
