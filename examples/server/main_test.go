package main

import (
	"os"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
)

// TestMain runs the tests and says once how many PostgreSQL tests were skipped, if any (pgtest.Main). Started
// with serverProcessEnv set, the test binary is the server itself (see startProcess): a test can run real server
// processes without building one.
func TestMain(m *testing.M) {
	if os.Getenv(serverProcessEnv) == "1" {
		main()
		os.Exit(0)
	}
	pgtest.Main(m)
}
