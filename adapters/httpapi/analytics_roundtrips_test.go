package httpapi

import (
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

// TestAnalyticsReportsAreOneRoundTrip: every analytics report, by every dimension, is one statement sent alone on
// PostgreSQL — no BEGIN and COMMIT around it (docs/analytics.md, "Where it is computed").
func TestAnalyticsReportsAreOneRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	db, trips := pgtest.OpenCounting(t)
	f := newFixtureOn(t, db)
	tok := f.a.token(crm.RoleSalesManager)
	paths := []string{"/api/v1/analytics/funnel", "/api/v1/analytics/stage-times", "/api/v1/analytics/summary"}
	for _, by := range []string{"manager", "source", "need_type", "model", "month"} {
		paths = append(paths, "/api/v1/analytics/conversion?by="+by, "/api/v1/analytics/results?by="+by,
			"/api/v1/analytics/lead-response?by="+by)
	}
	for _, p := range paths {
		f.must(200, get(p, tok)) // warm: the token's user cached, the connection open
		trips.Reset()
		f.must(200, get(p, tok))
		assert.Equal(t, 1, trips.Count(), "%s: %s", p, strings.Join(trips.Statements(), "\n"))
	}
}
