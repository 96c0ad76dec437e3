// Package skips is run by pgtest's own test (TestSkippedRunIsNotCached) against a server that is not there.
package skips

import (
	"testing"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestNeedsPostgreSQL(t *testing.T) { pgtest.Open(t) }
