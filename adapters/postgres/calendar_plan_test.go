package postgres_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCalendarPageReadsItsOwnSize (outside review N5): with recorded drives longer than a day in the dealer's
// history — 300 of 26 to 40 hours, long before the period —, a page of 20 of the test-drive calendar over a period
// holding 5,000 drives reads the dealer's longest drive in one probe of test_drives_longest (one row, however many
// there are), then 21 rows of test_drives_page, and sorts nothing: the first page and a page after a cursor, as a
// generic plan (what a prepared statement runs) and as a custom one. Checked with EXPLAIN (ANALYZE) of the
// statement the adapter sent, with its arguments.
func TestCalendarPageReadsItsOwnSize(t *testing.T) {
	t.Parallel()
	db, rt := pgtest.OpenCounting(t)
	ctx, st, _ := salesFloor(t, db)
	lead, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван",
		Phones: []string{"+79161234567"}}, Source: "website", NeedType: "car_purchase"})
	require.NoError(t, err)
	car, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA00000000000001", Make: "Lada", Model: "Vesta", Year: 2026})
	require.NoError(t, err)
	d, err := crm.DealerFrom(ctx)
	require.NoError(t, err)
	from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(leads.MaxCalendarSpan)
	// 5,000 completed drives of an hour spread over the period, 5,000 before it (ending more than 40 hours before
	// it), and 300 long ones a year before.
	_, err = db.SQLX().ExecContext(ctx, `INSERT INTO test_drives (id, dealer_id, version, created_at, updated_at, lead_id,
		vehicle_id, start_at, end_at, status)
		SELECT gen_random_uuid(), $1, 1, now(), now(), $2, $3, s, s + CASE WHEN g < -5000 THEN interval '26 hours' +
			(g + 5300) * interval '3 minutes' ELSE interval '1 hour' END, 'completed'
		FROM generate_series(-5300, 4999) g, LATERAL (SELECT CASE WHEN g < -5000 THEN $4::timestamptz - interval '1 year' +
			g * interval '1 hour' WHEN g < 0 THEN $4::timestamptz - interval '2 days' + g * interval '17 minutes'
			ELSE $4::timestamptz + g * interval '17 minutes' END AS s) x`, d, lead.ID, car.ID, from)
	require.NoError(t, err)
	_, err = db.SQLX().ExecContext(ctx, `ANALYZE test_drives`)
	require.NoError(t, err)

	f := leads.TestDriveFilter{From: from, To: to}
	page := func(cursor string) (crm.Page[leads.TestDrive], string) {
		rt.Reset()
		p, err := st.Leads.ListTestDrives(ctx, f, crm.PageRequest{Limit: 20, Cursor: cursor})
		require.NoError(t, err)
		require.Len(t, p.Items, 20)
		for _, s := range rt.Statements() {
			if strings.Contains(s, "FROM test_drives WHERE") {
				return p, s
			}
		}
		return p, ""
	}
	first, stmt := page("")
	require.NotEmpty(t, stmt, "the page's statement is sent (parsed) on this connection")
	assert.True(t, first.Items[0].Start.Equal(from), "the period's first drive first")
	second, stmt2 := page(first.NextCursor)
	require.NotEmpty(t, stmt2)
	assert.True(t, second.Items[0].Start.After(first.Items[19].Start))
	args := []any{d, from.Add(-leads.MaxDriveLength), to, from}
	last := first.Items[19]
	for _, mode := range []string{"force_generic_plan", "force_custom_plan"} {
		for _, c := range []struct {
			name, stmt string
			args       []any
		}{{"the first page", stmt, append(append([]any{}, args...), 21)},
			{"a page after a cursor", stmt2, append(append([]any{}, args...), last.Start, last.ID, 21)}} {
			conn, err := db.SQLX().Connx(ctx)
			require.NoError(t, err)
			_, err = conn.ExecContext(ctx, `SET plan_cache_mode = `+mode)
			require.NoError(t, err)
			var plan string
			err = conn.QueryRowxContext(ctx, `EXPLAIN (ANALYZE, FORMAT JSON) `+c.stmt, c.args...).Scan(&plan)
			_, _ = conn.ExecContext(context.Background(), `RESET plan_cache_mode`)
			conn.Close()
			require.NoError(t, err, "%s, %s", mode, c.name)
			var doc []map[string]any
			require.NoError(t, json.Unmarshal([]byte(plan), &doc))
			name := mode + ", " + c.name
			seen := map[string]bool{}
			var walk func(n map[string]any)
			walk = func(n map[string]any) {
				typ, _ := n["Node Type"].(string)
				assert.NotContains(t, []string{"Sort", "Seq Scan", "Bitmap Heap Scan"}, typ, "%s: %v", name, n)
				if strings.HasSuffix(typ, "Index Scan") || strings.HasSuffix(typ, "Index Only Scan") {
					index, _ := n["Index Name"].(string)
					seen[index] = true
					limit := map[string]float64{"test_drives_page": 21, "test_drives_longest": 1}[index]
					assert.NotZero(t, limit, "%s: an index the calendar does not read: %s", name, index)
					assert.LessOrEqual(t, n["Actual Rows"].(float64), limit, "%s: %s reads %v rows", name, index, n["Actual Rows"])
				}
				kids, _ := n["Plans"].([]any)
				for _, k := range kids {
					walk(k.(map[string]any))
				}
			}
			walk(doc[0]["Plan"].(map[string]any))
			assert.Equal(t, map[string]bool{"test_drives_page": true, "test_drives_longest": true}, seen, "%s: %s", name, plan)
		}
	}
}
