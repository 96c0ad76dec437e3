//go:build analyticsbench

package postgres_test

// The analytics at scale (issue 13 item 3): 1,000,000 sales and 3,000,000 stage stays on PostgreSQL, each report
// through the service and the adapter against a hand-written SQL for it, in one run, p50 and p99. Not part of the
// normal `go test ./...` (the build tag keeps it out); run it with
//
//	DEALERCRM_TEST_DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	    go test -tags analyticsbench -run TestAnalyticsAtScale -count=1 -timeout 60m -v ./adapters/postgres
//
// ANALYTICS_BENCH_SALES (default 1000000) and ANALYTICS_BENCH_ROUNDS (default 40) change the size and the rounds.
// With ANALYTICS_BENCH_DSN (a database of your own, migrated here) the data is generated once and kept: a later
// run with the same size measures again without generating.
// docs/benchmarks.md keeps the figures.

import (
	"context"
	"fmt"
	"os"
	goruntime "runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/stretchr/testify/require"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// benchTables are the tables generate loads.
var benchTables = []string{"vehicles", "leads", "sales", "sale_stage_stays", "test_drives", "orders", "order_lines"}

// generate loads n sales of dealer d over 2024–2026 with set-based INSERT … SELECT … FROM generate_series: a third
// won (each with its own vehicle), a third open, a third lost; 70 % from a lead (n leads in all); three stays per
// sale in sale_stage_stays (3n rows, loaded directly: the history trigger's rule is held by the contract suite);
// four leads in five answered 0–599 minutes after they came (due in 15); completed test drives for a third of
// the leads; orders with two lines for half the won sales. Triggers and
// foreign keys are off during the load (session_replication_role = replica), so the copies the triggers of
// migration 073 keep are written by the statements themselves (the sale's lead source and vehicle make, the
// lead's sale counts, the order's discount and the sale's copy of it, the drive's copy of its lead's counts) —
// analytics/CopiesFollowEdits holds the triggers, and checkCopies the loaded copies against a recount. The secondary indexes are dropped for the load and built after it.
func generate(t *testing.T, db *postgres.DB, dealer crm.ID, n int) {
	ctx := context.Background()
	x := db.SQLX()
	conn, err := x.Connx(ctx)
	require.NoError(t, err)
	defer conn.Close()
	exec := func(what, q string, args ...any) {
		t.Helper()
		start := time.Now()
		_, err := conn.ExecContext(ctx, q, args...)
		require.NoError(t, err, what)
		t.Logf("%-22s %6.1fs", what, time.Since(start).Seconds())
	}
	exec("setup", `SET session_replication_role = replica`)
	exec("setup", `SET maintenance_work_mem = '256MB'`)
	// The secondary indexes (not those of a primary key, unique or exclusion constraint), rebuilt after the load.
	var indexes []struct {
		Name string `db:"indexname"`
		Def  string `db:"indexdef"`
	}
	require.NoError(t, sqlx.SelectContext(ctx, conn, &indexes, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, pq.Array(benchTables)))
	for _, ix := range indexes {
		exec("drop "+ix.Name, `DROP INDEX `+ix.Name)
	}
	// The dealer's open stages in their order, and its need types by code: arrays indexed by the row number.
	exec("arrays", `CREATE TEMP TABLE bench_dir AS SELECT
		(SELECT array_agg(id ORDER BY sort_order) FROM sales_stages WHERE dealer_id = $1 AND kind = 'open') AS open_ids,
		(SELECT array_agg(code ORDER BY sort_order) FROM sales_stages WHERE dealer_id = $1 AND kind = 'open') AS open_codes,
		(SELECT array_agg(max_probability ORDER BY sort_order) FROM sales_stages WHERE dealer_id = $1 AND kind = 'open') AS open_probs,
		(SELECT id FROM sales_stages WHERE dealer_id = $1 AND kind = 'won' ORDER BY sort_order LIMIT 1) AS won_id,
		(SELECT code FROM sales_stages WHERE dealer_id = $1 AND kind = 'won' ORDER BY sort_order LIMIT 1) AS won_code,
		(SELECT id FROM sales_stages WHERE dealer_id = $1 AND kind = 'lost' ORDER BY sort_order LIMIT 1) AS lost_id,
		(SELECT code FROM sales_stages WHERE dealer_id = $1 AND kind = 'lost' ORDER BY sort_order LIMIT 1) AS lost_code,
		(SELECT array_agg(code ORDER BY code) FROM (SELECT code FROM need_types WHERE dealer_id = $1 ORDER BY code LIMIT 3) c) AS needs`, dealer)
	v := n/3 + 1
	exec("vehicles", `INSERT INTO vehicles (id, dealer_id, version, created_at, updated_at, make, model, condition, status, currency, list_price)
		SELECT md5('v' || i)::uuid, $1, 1, now(), now(), (ARRAY['Lada','Kia','Haval','Chery','Geely'])[1 + i % 5],
			(ARRAY['Vesta','Granta','Rio','Jolion','Tiggo 7','Monjaro','Niva','Largus'])[1 + i % 8], 'new', 'sold', 'RUB', 1500000
		FROM generate_series(0::bigint, $2::bigint - 1) i`, dealer, v)
	exec("customers", `INSERT INTO customers (id, dealer_id, version, created_at, updated_at, kind, first_name)
		VALUES (md5('c')::uuid, $1, 1, now(), now(), 'person', 'Покупатель')`, dealer)
	// Sale i: lead (i·31) mod n for 70 %, vehicle i/3, status by i mod 3; the lead's source and need type and the
	// vehicle's make and model by the same formulas as the leads and vehicles.
	exec("sales", `INSERT INTO sales (id, dealer_id, version, created_at, updated_at, customer_id, vehicle_id, owner_id, lead_id,
			stage_id, stage_code, status, probability, amount, currency, trade_in_appraisal_id, won_at, lost_at, lost_reason,
			expected_close, history, lead_source, lead_need_type, vehicle_make, vehicle_model, order_currency, order_gross, order_discount)
		SELECT md5('s' || i)::uuid, $1, 1, ts, ts, md5('c')::uuid, md5('v' || (i / 3))::uuid, md5('u' || (i % 12))::uuid,
			CASE WHEN lead THEN md5('l' || li)::uuid END,
			CASE k.status WHEN 'won' THEN b.won_id WHEN 'lost' THEN b.lost_id ELSE b.open_ids[1 + i % 7] END,
			CASE k.status WHEN 'won' THEN b.won_code WHEN 'lost' THEN b.lost_code ELSE b.open_codes[1 + i % 7] END,
			k.status, CASE k.status WHEN 'won' THEN 100 WHEN 'lost' THEN 0 ELSE b.open_probs[1 + i % 7] END,
			800000 + (i * 7) % 2000000 + (i % 100) / 100.0, 'RUB',
			CASE WHEN k.status = 'won' AND i % 5 = 0 THEN md5('a' || i)::uuid END,
			CASE WHEN k.status = 'won' THEN ts + interval '20 days' END,
			CASE WHEN k.status = 'lost' THEN ts + interval '15 days' END,
			CASE WHEN k.status = 'lost' THEN 'дорого' ELSE '' END,
			CASE WHEN k.status = 'open' THEN (ts + interval '30 days')::date END, '[]',
			CASE WHEN lead THEN (ARRAY['website','phone','walk_in','partner','campaign','import'])[1 + li % 6] ELSE '' END,
			CASE WHEN lead THEN b.needs[1 + li % 3] ELSE '' END,
			(ARRAY['Lada','Kia','Haval','Chery','Geely'])[1 + (i / 3) % 5],
			(ARRAY['Vesta','Granta','Rio','Jolion','Tiggo 7','Monjaro','Niva','Largus'])[1 + (i / 3) % 8],
			CASE WHEN i % 6 = 0 THEN 'RUB' ELSE '' END, CASE WHEN i % 6 = 0 THEN 9600 ELSE 0 END, CASE WHEN i % 6 = 0 THEN 400 ELSE 0 END
		FROM bench_dir b, generate_series(0::bigint, $2::bigint - 1) i,
			LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + ((i * 104729) % 94608000) * interval '1 second' AS ts,
				(ARRAY['won','open','lost'])[1 + i % 3] AS status, i % 10 < 7 AS lead, (i * 31) % $2 AS li) k`, dealer, n)
	// Lead i, with the counts of the sales naming it.
	exec("leads", `INSERT INTO leads (id, dealer_id, version, created_at, updated_at, source, need_type, owner_id, stage, doc,
			sales_count, won_count, response_due_at, first_response_at, response_minutes)
		SELECT md5('l' || i)::uuid, $1, 1, ts, ts,
			(ARRAY['website','phone','walk_in','partner','campaign','import'])[1 + i % 6], b.needs[1 + i % 3],
			md5('u' || (i % 12))::uuid, 'in_work',
			jsonb_build_object('interest', jsonb_build_object('make', (ARRAY['Lada','Kia','Haval'])[1 + i % 3],
				'model', (ARRAY['Vesta','Rio','Jolion','Granta'])[1 + i % 4])),
			coalesce(c.n, 0), coalesce(c.w, 0), ts + interval '15 minutes',
			CASE WHEN i % 5 > 0 THEN ts + (i * 37) % 600 * interval '1 minute' END, CASE WHEN i % 5 > 0 THEN (i * 37) % 600 ELSE 0 END
		FROM bench_dir b, generate_series(0::bigint, $2::bigint - 1) i
			LEFT JOIN (SELECT lead_id, count(*) AS n, count(*) FILTER (WHERE status = 'won') AS w FROM sales
				WHERE dealer_id = $1 AND lead_id IS NOT NULL GROUP BY lead_id) c ON c.lead_id = md5('l' || i)::uuid,
			LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + ((i * 7919) % 94608000) * interval '1 second' AS ts) t`, dealer, n)
	exec("stays", `INSERT INTO sale_stage_stays (sale_id, seq, dealer_id, stage_id, entered_at, left_at, micros)
		SELECT md5('s' || i)::uuid, j, $1, b.open_ids[1 + (i + j) % 7], ts + (j - 1) * d, ts + j * d, extract(epoch FROM d)::bigint * 1000000
		FROM bench_dir b, generate_series(0::bigint, $2::bigint - 1) i, generate_series(1, 3) j,
			LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + ((i * 104729) % 94608000) * interval '1 second' AS ts,
				((i * 13 + j * 7) % 7200 + 60) * interval '1 minute' AS d) k`, dealer, n)
	exec("test drives", `INSERT INTO test_drives (id, dealer_id, version, created_at, updated_at, lead_id, vehicle_id, start_at, end_at, status, closed_at,
			lead_sales_count, lead_won_count)
		SELECT md5('t' || i)::uuid, $1, 1, ts, ts, md5('l' || i)::uuid, md5('v' || (i % $3))::uuid, ts, ts + interval '30 minutes',
			'completed', ts + interval '1 hour', l.sales_count, l.won_count
		FROM generate_series(0::bigint, $2::bigint - 1, 3) i JOIN leads l ON l.id = md5('l' || i)::uuid,
			LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + ((i * 7919) % 94608000) * interval '1 second' + interval '2 days' AS ts) t`,
		dealer, n, v)
	exec("orders", `INSERT INTO orders (id, dealer_id, version, created_at, updated_at, sale_id, currency, net, vat, gross, number, status, discount)
		SELECT md5('o' || i)::uuid, $1, 1, now(), now(), md5('s' || i)::uuid, 'RUB', 8000, 1600, 9600, 'B-' || i, 'paid', 400
		FROM generate_series(0::bigint, $2::bigint - 1, 6) i`, dealer, n)
	exec("order lines", `INSERT INTO order_lines (order_id, position, id, dealer_id, kind, description, quantity, unit_price, discount, vat_rate, net, vat, gross)
		SELECT md5('o' || i)::uuid, p, md5('ol' || i || '-' || p)::uuid, $1, 'accessory', 'Коврики', 1, 5000, 200, 0.2, 4000, 800, 4800
		FROM generate_series(0::bigint, $2::bigint - 1, 6) i, generate_series(0, 1) p`, dealer, n)
	exec("reset", `SET session_replication_role = DEFAULT`)
	for _, ix := range indexes {
		exec("index "+ix.Name, ix.Def)
	}
	for _, tb := range benchTables {
		exec("vacuum "+tb, `VACUUM ANALYZE `+tb)
	}
}

// checkCopies fails when a copy kept by the triggers of migration 073 differs from a recount over the generated
// data (the generator writes them itself, with the triggers off).
func checkCopies(t *testing.T, db *postgres.DB, dealer crm.ID) {
	var bad int
	require.NoError(t, db.SQLX().Get(&bad, `SELECT
		(SELECT count(*) FROM leads l LEFT JOIN (SELECT lead_id, count(*) AS n, count(*) FILTER (WHERE status = 'won') AS w
			FROM sales WHERE dealer_id = $1 GROUP BY 1) c ON c.lead_id = l.id
		WHERE l.dealer_id = $1 AND (l.sales_count, l.won_count) <> (coalesce(c.n, 0), coalesce(c.w, 0)))
		+ (SELECT count(*) FROM sales s LEFT JOIN leads l ON l.id = s.lead_id AND l.dealer_id = s.dealer_id
			LEFT JOIN vehicles v ON v.id = s.vehicle_id AND v.dealer_id = s.dealer_id
		WHERE s.dealer_id = $1 AND (s.lead_source, s.lead_need_type, s.vehicle_make, s.vehicle_model)
			<> (coalesce(l.source, ''), coalesce(l.need_type, ''), coalesce(v.make, ''), coalesce(v.model, '')))
		+ (SELECT count(*) FROM orders o WHERE o.dealer_id = $1
			AND o.discount <> (SELECT coalesce(sum(discount), 0) FROM order_lines ol WHERE ol.order_id = o.id))
		+ (SELECT count(*) FROM sales s LEFT JOIN orders o ON o.sale_id = s.id AND o.dealer_id = s.dealer_id
		WHERE s.dealer_id = $1 AND (s.order_currency, s.order_gross, s.order_discount)
			<> (coalesce(o.currency::text, ''), coalesce(o.gross, 0), coalesce(o.discount, 0)))
		+ (SELECT count(*) FROM test_drives t LEFT JOIN leads l ON l.id = t.lead_id AND l.dealer_id = t.dealer_id
		WHERE t.dealer_id = $1 AND (t.lead_sales_count, t.lead_won_count) <> (coalesce(l.sales_count, 0), coalesce(l.won_count, 0)))`, dealer))
	require.Zero(t, bad, "copies that differ from a recount")
}

// handSQL is the hand-written statement for each report: what one would write for it with the schema in front of
// one, in one statement, names and order included where the report shows them. The schema includes the copies
// migration 073 keeps (a lead's sale counts, a sale's lead source and vehicle make and model, an order's
// discount), so these statements read them too: the best SQL for the answer over this schema.
var handSQL = map[string]string{
	"funnel": `SELECT st.id, st.name, st.sort_order, coalesce(f.n, 0), coalesce(f.amount, 0)
		FROM sales_stages st LEFT JOIN (
			SELECT stage_id, count(*) AS n, sum(amount) FILTER (WHERE currency = $4) AS amount FROM sales
			WHERE dealer_id = $1 AND status = 'open' AND created_at >= $2 AND created_at < $3 GROUP BY stage_id) f ON f.stage_id = st.id
		WHERE st.dealer_id = $1 AND st.kind = 'open' ORDER BY st.sort_order`,
	"conversion/source":    handConversion(`source`, ``),
	"conversion/manager":   handConversion(`owner_id`, `LEFT JOIN users u ON u.id = g.key AND u.dealer_id = $1`),
	"conversion/need_type": handConversion(`need_type`, `LEFT JOIN need_types u ON u.code = g.key AND u.dealer_id = $1`),
	"conversion/model":     handConversion(`interest_key`, ``),
	"conversion/month":     handConversion(`date_trunc('month', created_at AT TIME ZONE 'UTC')`, ``),
	// The stays are summed once (MATERIALIZED): inlined, the planner joined the seven stages to the aggregate in a
	// nested loop and summed the quarter's stays seven times (1.3 s).
	"stage_times": `WITH x AS MATERIALIZED (
			SELECT stage_id, count(*) AS n, sum(micros) AS micros FROM sale_stage_stays
			WHERE dealer_id = $1 AND left_at >= $2 AND left_at < $3 AND $4::text IS NOT NULL GROUP BY stage_id)
		SELECT st.id, st.name, st.sort_order, coalesce(x.n, 0), coalesce(x.micros, 0)
		FROM sales_stages st LEFT JOIN x ON x.stage_id = st.id
		WHERE st.dealer_id = $1 AND st.kind = 'open' ORDER BY st.sort_order`,
	"results/source":    handResults(`lead_source`, ``),
	"results/manager":   handResults(`owner_id`, `LEFT JOIN users u ON u.id = g.key AND u.dealer_id = $1`),
	"results/need_type": handResults(`lead_need_type`, `LEFT JOIN need_types u ON u.code = g.key AND u.dealer_id = $1`),
	"results/model":     handResults(`vehicle_make || '|' || vehicle_model`, ``),
	"results/month":     handResults(`date_trunc('month', won_at AT TIME ZONE 'UTC')`, ``),
	"summary": `SELECT w.*, t.* FROM
		(SELECT count(*), sum(amount) FILTER (WHERE currency = $4), count(credit_application_id), count(trade_in_appraisal_id),
			count(*) FILTER (WHERE order_currency = $4), sum(order_discount) FILTER (WHERE order_currency = $4),
			sum(order_gross) FILTER (WHERE order_currency = $4)
			FROM sales WHERE dealer_id = $1 AND status = 'won' AND won_at >= $2 AND won_at < $3) w,
		(SELECT count(*), count(*) FILTER (WHERE sold), count(*) FILTER (WHERE won) FROM (
			SELECT lead_id, max(lead_sales_count) > 0 AS sold, max(lead_won_count) > 0 AS won FROM test_drives
			WHERE dealer_id = $1 AND status = 'completed' AND lead_id IS NOT NULL AND start_at >= $2 AND start_at < $3
			GROUP BY lead_id) x) t`,
	"lead_response/manager": `SELECT g.*, u.name FROM (
			SELECT owner_id AS key, count(*), count(first_response_at), count(*) FILTER (WHERE first_response_at <= response_due_at),
				sum(response_minutes) FILTER (WHERE first_response_at IS NOT NULL),
				percentile_cont(0.5) WITHIN GROUP (ORDER BY response_minutes) FILTER (WHERE first_response_at IS NOT NULL)
			FROM leads WHERE dealer_id = $1 AND created_at >= $2 AND created_at < $3 AND $4::text IS NOT NULL
			GROUP BY GROUPING SETS ((owner_id), ())) g LEFT JOIN users u ON u.id = g.key AND u.dealer_id = $1 ORDER BY 1`,
	"plan_progress": `SELECT (SELECT count(*) FROM sales WHERE dealer_id = $1 AND status = 'won' AND won_at >= $2 AND won_at < $3),
			(SELECT coalesce(sum(amount), 0) FROM sales WHERE dealer_id = $1 AND status = 'won' AND won_at >= $2 AND won_at < $3 AND currency = $4),
			(SELECT coalesce(sum(amount * probability), 0) FROM sales WHERE dealer_id = $1 AND status = 'open'
				AND expected_close >= $2::date AND expected_close < $3::date AND currency = $4)`,
}

// handConversion is the hand-written conversion by key (a column or expression of leads), names joined by join.
func handConversion(key, join string) string {
	return `SELECT g.*` + map[bool]string{true: ``, false: `, u.name`}[join == ``] + ` FROM (
			SELECT ` + key + ` AS key, count(*), count(*) FILTER (WHERE sales_count > 0), count(*) FILTER (WHERE won_count > 0)
			FROM leads WHERE dealer_id = $1 AND created_at >= $2 AND created_at < $3 AND $4::text IS NOT NULL GROUP BY 1) g ` + join + ` ORDER BY 1`
}

// handResults is the hand-written results by key (a column or expression of sales), names joined by join.
func handResults(key, join string) string {
	return `SELECT g.*` + map[bool]string{true: ``, false: `, u.name`}[join == ``] + ` FROM (
			SELECT ` + key + ` AS key, count(*), sum(amount) FILTER (WHERE currency = $4)
			FROM sales WHERE dealer_id = $1 AND status = 'won' AND won_at >= $2 AND won_at < $3 GROUP BY 1) g ` + join + ` ORDER BY 1`
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func TestAnalyticsAtScale(t *testing.T) {
	n, rounds := envInt("ANALYTICS_BENCH_SALES", 1_000_000), envInt("ANALYTICS_BENCH_ROUNDS", 40)
	ctx := context.Background()
	var db *postgres.DB
	if dsn := os.Getenv("ANALYTICS_BENCH_DSN"); dsn != "" {
		var err error
		db, err = postgres.Open(ctx, dsn)
		require.NoError(t, err)
		defer db.Close()
		require.NoError(t, db.Migrate(ctx))
	} else {
		db = pgtest.Open(t)
	}
	clock := crm.NewManualClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	st := stack.New(db, clock)
	big, smallName := fmt.Sprintf("Большой дилер %d", n), fmt.Sprintf("Малый дилер %d", n)
	// The marker of a finished generation: a rerun on the same database (ANALYTICS_BENCH_DSN) skips it; dealers
	// without a marker are a generation that was stopped: start again on a fresh database.
	_, err := db.SQLX().ExecContext(ctx, `CREATE TABLE IF NOT EXISTS analytics_bench_generated (
		sales integer PRIMARY KEY, dealer_id uuid NOT NULL, small_dealer_id uuid NOT NULL, seconds numeric NOT NULL,
		at timestamptz NOT NULL DEFAULT now())`)
	require.NoError(t, err)
	var d, small crm.Dealer
	var marker []struct {
		Dealer  crm.ID  `db:"dealer_id"`
		Small   crm.ID  `db:"small_dealer_id"`
		Seconds float64 `db:"seconds"`
	}
	require.NoError(t, db.SQLX().SelectContext(ctx, &marker, `SELECT dealer_id, small_dealer_id, seconds FROM analytics_bench_generated WHERE sales = $1`, n))
	dealers, err := st.Dealers(ctx)
	require.NoError(t, err)
	for _, x := range dealers {
		switch {
		case len(marker) > 0 && x.ID == marker[0].Dealer:
			d = x
		case len(marker) > 0 && x.ID == marker[0].Small:
			small = x
		case len(marker) == 0 && (x.Name == big || x.Name == smallName):
			t.Fatalf("%s exists but its generation did not finish: drop the database and run again", x.Name)
		}
	}
	if len(marker) > 0 {
		t.Logf("generated before in %.0fs: measuring only", marker[0].Seconds)
	} else {
		d, err = st.AddDealer(ctx, crm.Dealer{Name: big, LegalName: "ООО «Большой дилер»", Currency: "RUB"})
		require.NoError(t, err)
		// A small dealer beside it: its reports must not pay for the big one's rows.
		small, err = st.AddDealer(ctx, crm.Dealer{Name: smallName, LegalName: "ООО «Малый дилер»", Currency: "RUB"})
		require.NoError(t, err)
		start := time.Now()
		generate(t, db, d.ID, n)
		secs := time.Since(start).Seconds()
		t.Logf("generated %d sales, %d stays in %.0fs", n, 3*n, secs)
		_, err = db.SQLX().ExecContext(ctx, `INSERT INTO analytics_bench_generated (sales, dealer_id, small_dealer_id, seconds)
			VALUES ($1, $2, $3, $4)`, n, d.ID, small.ID, secs)
		require.NoError(t, err)
		checkCopies(t, db, d.ID)
	}
	require.NotZero(t, d.ID)
	require.NotZero(t, small.ID)
	dctx := crm.WithDealer(ctx, d.ID)
	var stays, salesN int
	require.NoError(t, db.SQLX().GetContext(ctx, &stays, `SELECT count(*) FROM sale_stage_stays WHERE dealer_id = $1`, d.ID))
	require.NoError(t, db.SQLX().GetContext(ctx, &salesN, `SELECT count(*) FROM sales WHERE dealer_id = $1`, d.ID))
	require.Equal(t, n, salesN)
	require.Equal(t, 3*n, stays)

	planIn := plans.Input{Period: plans.Quarter, Start: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), TargetUnits: 30000,
		TargetRevenue: crm.MustMoney("60000000000", "RUB")}
	planOf := func(c context.Context) plans.Plan {
		list, err := st.Plans.ListPlans(c, planIn.Start, planIn.Start.AddDate(0, 3, 0), crm.ID{})
		require.NoError(t, err)
		if len(list) > 0 {
			return list[0]
		}
		p, err := st.Plans.CreatePlan(c, planIn)
		require.NoError(t, err)
		return p
	}
	plan, smallPlan := planOf(dctx), planOf(crm.WithDealer(ctx, small.ID))

	from, to := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	q := analytics.Query{From: from, To: to}
	a := st.Analytics
	type report struct {
		name    string
		service func(context.Context) error
	}
	reports := []report{
		{"funnel", func(c context.Context) error { _, err := a.GetFunnel(c, q); return err }},
	}
	for _, by := range analytics.Dimensions() {
		reports = append(reports, report{"conversion/" + string(by), func(c context.Context) error { _, err := a.GetConversion(c, q, by); return err }})
	}
	reports = append(reports, report{"stage_times", func(c context.Context) error { _, err := a.GetStageTimes(c, q); return err }})
	for _, by := range analytics.Dimensions() {
		reports = append(reports, report{"results/" + string(by), func(c context.Context) error { _, err := a.GetResults(c, q, by); return err }})
	}
	reports = append(reports,
		report{"summary", func(c context.Context) error { _, err := a.GetSummary(c, q); return err }},
		report{"lead_response/manager", func(c context.Context) error { _, err := a.GetLeadResponse(c, q, analytics.ByManager); return err }},
		report{"plan_progress", func(c context.Context) error {
			id := plan.ID
			if d, _ := crm.DealerFrom(c); d == small.ID {
				id = smallPlan.ID
			}
			_, err := st.Plans.GetPlanProgress(c, id)
			return err
		}})
	hand := func(name string) error {
		rows, err := db.SQLX().QueryContext(ctx, handSQL[name], d.ID, from, to, "RUB")
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		for rows.Next() {
			if err := rows.Scan(vals...); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	var lines []string
	lines = append(lines, fmt.Sprintf("| report | adapter p50 ms | adapter p99 ms | hand SQL p50 ms | hand SQL p99 ms | ratio p50 | ratio p99 | small dealer p50 ms |"),
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	sctx := crm.WithDealer(ctx, small.ID)
	for _, r := range reports {
		for range 3 { // warm the caches and the plans
			require.NoError(t, r.service(dctx), r.name)
			require.NoError(t, hand(r.name), r.name)
		}
		var ad, hd, sd []time.Duration
		for range rounds { // interleaved, so both see the same machine
			s := time.Now()
			require.NoError(t, r.service(dctx))
			ad = append(ad, time.Since(s))
			s = time.Now()
			require.NoError(t, hand(r.name))
			hd = append(hd, time.Since(s))
			s = time.Now()
			require.NoError(t, r.service(sctx))
			sd = append(sd, time.Since(s))
		}
		a50, a99, h50, h99 := percentile(ad, 0.5), percentile(ad, 0.99), percentile(hd, 0.5), percentile(hd, 0.99)
		line := fmt.Sprintf("| %s | %s | %s | %s | %s | %.2f | %.2f | %s |", r.name, ms(a50), ms(a99), ms(h50), ms(h99),
			float64(a50)/float64(h50), float64(a99)/float64(h99), ms(percentile(sd, 0.5)))
		t.Log(line)
		lines = append(lines, line)
	}
	fmt.Println(strings.Join(lines, "\n"))
	var version string
	require.NoError(t, db.SQLX().GetContext(ctx, &version, `SHOW server_version`))
	t.Logf("PostgreSQL %s, GOMAXPROCS %d, %d rounds", version, goruntime.GOMAXPROCS(0), rounds)
	for _, name := range []string{"funnel", "conversion/source", "stage_times", "results/model", "summary", "lead_response"} {
		var plan string
		var sqlText string
		switch {
		case name == "funnel":
			sqlText = postgres.AnalyticsSQL("funnel", "")
		case strings.HasPrefix(name, "conversion"):
			sqlText = postgres.AnalyticsSQL("conversion", analytics.BySource)
		case name == "stage_times":
			sqlText = postgres.AnalyticsSQL("stage_times", "")
		case name == "results/model":
			sqlText = postgres.AnalyticsSQL("results", analytics.ByModel)
		case name == "lead_response":
			sqlText = postgres.AnalyticsSQL("lead_response", analytics.ByManager)
		default:
			sqlText = postgres.AnalyticsSQL("summary", "")
		}
		rows, err := db.SQLX().QueryContext(ctx, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "+sqlText, d.ID, from, to, "RUB")
		require.NoError(t, err)
		for rows.Next() {
			var l string
			require.NoError(t, rows.Scan(&l))
			plan += l + "\n"
		}
		rows.Close()
		t.Logf("plan of %s:\n%s", name, plan)
	}
}
