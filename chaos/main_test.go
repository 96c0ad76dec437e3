package chaos_test

import (
	"testing"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
)

// TestMain runs the tests and says once how many PostgreSQL tests were skipped, if any (pgtest.Main).
func TestMain(m *testing.M) { pgtest.Main(m) }
