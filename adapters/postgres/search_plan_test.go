package postgres_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCatalogTextSearchUsesTheTrigramIndex seeds 100,000 cars of one dealer (and some of another), lets
// PostgreSQL gather statistics, and checks with EXPLAIN that the adapter's own search statement reads a selective
// text (a VIN fragment, a rare word) through the trigram index vehicles_text instead of walking the dealer's rows
// in page order, and that a common word still pages through the sort index (the cheaper plan there). Plans, not
// timings, are asserted; the latency figures are in docs/benchmarks.md (BenchmarkCatalogTextSearch).
func TestCatalogTextSearchUsesTheTrigramIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: seeds 100,000 rows")
	}
	db := pgtest.Open(t)
	ctx := context.Background()
	x := db.SQLX()
	dealer, other := uuid.New(), uuid.New()
	seedSearchCars(t, x, dealer, 100_000)
	seedSearchCars(t, x, other, 2_000)
	_, err := x.ExecContext(ctx, `UPDATE vehicles SET trim_level = 'Exclusive Night' WHERE dealer_id = $1 AND vin IN
		('XTA00000000031415', 'XTA00000000092653', 'XTA00000000058979')`, dealer)
	require.NoError(t, err)
	// A statistics target of 1,000 samples 300,000 rows: every row here, so the estimates (and the plans) are the
	// same on every run instead of depending on ANALYZE's random sample.
	_, err = x.ExecContext(ctx, `ALTER TABLE vehicles ALTER COLUMN search_text SET STATISTICS 1000`)
	require.NoError(t, err)
	_, err = x.ExecContext(ctx, `ANALYZE vehicles`)
	require.NoError(t, err)

	plan := func(text string) string {
		q, after, err := catalog.VehicleQuery{Text: text, Limit: 20}.Prepare()
		require.NoError(t, err)
		stmt, args := postgres.VehicleSearchSQL(dealer, q, after)
		var out []json.RawMessage
		require.NoError(t, x.SelectContext(ctx, &out, `EXPLAIN (FORMAT JSON) `+stmt, args...))
		require.NotEmpty(t, out)
		return string(out[0])
	}
	// Selective: one car, ten cars (VINs …12340 to …12349), three cars. A fragment shared by 1 % of the cars
	// ("XTA00000000042", a thousand VINs) is not selective, and walking the page index is the planner's fair
	// choice there, so it is not asserted.
	for _, text := range []string{"00000000077777", "XTA0000000001234", "exclusive night"} {
		assert.Contains(t, plan(text), `"Index Name": "vehicles_text"`, "a selective text %q is found through the trigram index", text)
	}
	common := plan("vesta")
	assert.True(t, strings.Contains(common, `"Index Name": "vehicles_created"`) || strings.Contains(common, `"Index Name": "vehicles_text"`),
		"a common word pages through an index, never a sequential scan: %s", common)
	assert.NotContains(t, common, `"Node Type": "Seq Scan"`)
}

// seedSearchCars inserts n cars of dealer in one statement: makes, models, trims and years in rotation, VINs
// XTA followed by the car's number.
func seedSearchCars(t *testing.T, x *sqlx.DB, dealer uuid.UUID, n int) {
	t.Helper()
	_, err := x.Exec(`INSERT INTO vehicles (id, dealer_id, version, created_at, updated_at, vin, make, model, trim_level,
		year, condition, status, currency, list_price)
		SELECT gen_random_uuid(), $1, 1, now() - make_interval(secs => i), now(), 'XTA' || lpad(i::text, 14, '0'),
			(ARRAY['Lada','Kia','Hyundai','Toyota','Skoda','Haval','Chery','Geely'])[1 + i % 8],
			(ARRAY['Vesta','Granta','Rio','Solaris','Camry','Octavia','Jolion','Tiggo','Coolray','Niva'])[1 + i % 10],
			(ARRAY['Comfort','Luxe','Prestige','Style','Active','Elegance'])[1 + i % 6], 2015 + i % 11, 'new',
			'in_stock', 'RUB', 1000000 + i
		FROM generate_series(1, $2::int) AS i`, dealer, n)
	require.NoError(t, err)
}
