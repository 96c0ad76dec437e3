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
	"github.com/stretchr/testify/require"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// generate loads n sales of dealer d over 2024–2026 with generate_series: a third won (each with its own
// vehicle), a third open, a third lost; 70 % from a lead (n leads in all); three stays per sale in
// sale_stage_stays (3n rows, loaded directly with the history trigger off: the trigger's rule is held by the
// contract suite); completed test drives for 30 % of the leads; orders with two lines for half the won sales.
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
		t.Logf("%-14s %6.1fs", what, time.Since(start).Seconds())
	}
	exec("setup", `SET session_replication_role = replica`)
	exec("setup", `SET maintenance_work_mem = '256MB'`)
	v := n/3 + 1
	exec("vehicles", `INSERT INTO vehicles (id, dealer_id, version, created_at, updated_at, make, model, condition, status, currency, list_price)
		SELECT md5('v' || i)::uuid, $1, 1, now(), now(), (ARRAY['Lada','Kia','Haval','Chery','Geely'])[1 + i % 5],
			(ARRAY['Vesta','Granta','Rio','Jolion','Tiggo 7','Monjaro','Niva','Largus'])[1 + i % 8], 'new', 'sold', 'RUB', 1500000
		FROM generate_series(0::bigint, $2::bigint - 1) i`, dealer, v)
	exec("customers", `INSERT INTO customers (id, dealer_id, version, created_at, updated_at, kind, first_name)
		VALUES (md5('c')::uuid, $1, 1, now(), now(), 'person', 'Покупатель')`, dealer)
	exec("leads", `INSERT INTO leads (id, dealer_id, version, created_at, updated_at, source, need_type, owner_id, stage, doc)
		SELECT md5('l' || i)::uuid, $1, 1, ts, ts,
			(ARRAY['website','phone','walk_in','partner','campaign','import'])[1 + i % 6],
			(SELECT code FROM need_types WHERE dealer_id = $1 ORDER BY code LIMIT 1 OFFSET i % 3),
			md5('u' || (i % 12))::uuid, 'in_work',
			jsonb_build_object('interest', jsonb_build_object('make', (ARRAY['Lada','Kia','Haval'])[1 + i % 3],
				'model', (ARRAY['Vesta','Rio','Jolion','Granta'])[1 + i % 4]))
		FROM generate_series(0::bigint, $2::bigint - 1) i,
			LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + ((i * 7919) % 94608000) * interval '1 second' AS ts) t`, dealer, n)
	exec("sales", `INSERT INTO sales (id, dealer_id, version, created_at, updated_at, customer_id, vehicle_id, owner_id, lead_id,
			stage_id, stage_code, status, probability, amount, currency, trade_in_appraisal_id, won_at, lost_at, lost_reason,
			expected_close, history)
		SELECT md5('s' || i)::uuid, $1, 1, ts, ts, md5('c')::uuid, md5('v' || (i / 3))::uuid, md5('u' || (i % 12))::uuid,
			CASE WHEN i % 10 < 7 THEN md5('l' || ((i * 31) % $2))::uuid END,
			st.id, st.code, k.status, CASE k.status WHEN 'won' THEN 100 WHEN 'lost' THEN 0 ELSE st.max_probability END,
			800000 + (i * 7) % 2000000 + (i % 100) / 100.0, 'RUB',
			CASE WHEN k.status = 'won' AND i % 5 = 0 THEN md5('a' || i)::uuid END,
			CASE WHEN k.status = 'won' THEN ts + interval '20 days' END,
			CASE WHEN k.status = 'lost' THEN ts + interval '15 days' END,
			CASE WHEN k.status = 'lost' THEN 'дорого' ELSE '' END,
			CASE WHEN k.status = 'open' THEN (ts + interval '30 days')::date END, '[]'
		FROM generate_series(0::bigint, $2::bigint - 1) i,
			LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + ((i * 104729) % 94608000) * interval '1 second' AS ts,
				(ARRAY['won','open','lost'])[1 + i % 3] AS status) k,
			LATERAL (SELECT id, code, max_probability FROM sales_stages WHERE dealer_id = $1 AND kind = CASE k.status
				WHEN 'open' THEN 'open' ELSE k.status END ORDER BY sort_order LIMIT 1 OFFSET CASE WHEN k.status = 'open' THEN i % 7 ELSE 0 END) st`, dealer, n)
	exec("stays", `INSERT INTO sale_stage_stays (sale_id, seq, dealer_id, stage_id, entered_at, left_at, micros)
		SELECT md5('s' || i)::uuid, j, $1, st.id, ts + (j - 1) * d, ts + j * d, extract(epoch FROM d)::bigint * 1000000
		FROM generate_series(0::bigint, $2::bigint - 1) i, generate_series(1, 3) j,
			LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + ((i * 104729) % 94608000) * interval '1 second' AS ts,
				((i * 13 + j * 7) % 7200 + 60) * interval '1 minute' AS d) k,
			LATERAL (SELECT id FROM sales_stages WHERE dealer_id = $1 AND kind = 'open' ORDER BY sort_order LIMIT 1 OFFSET (i + j) % 7) st`,
		dealer, n)
	exec("test drives", `INSERT INTO test_drives (id, dealer_id, version, created_at, updated_at, lead_id, vehicle_id, start_at, end_at, status, closed_at)
		SELECT md5('t' || i)::uuid, $1, 1, ts, ts, md5('l' || i)::uuid, md5('v' || (i % $3))::uuid, ts, ts + interval '30 minutes',
			'completed', ts + interval '1 hour'
		FROM generate_series(0::bigint, $2::bigint - 1, 3) i,
			LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + ((i * 7919) % 94608000) * interval '1 second' + interval '2 days' AS ts) t`,
		dealer, n, v)
	exec("orders", `INSERT INTO orders (id, dealer_id, version, created_at, updated_at, sale_id, currency, net, vat, gross, number, status)
		SELECT md5('o' || i)::uuid, $1, 1, now(), now(), md5('s' || i)::uuid, 'RUB', 8000, 1600, 9600, 'B-' || i, 'paid'
		FROM generate_series(0::bigint, $2::bigint - 1, 6) i`, dealer, n)
	exec("order lines", `INSERT INTO order_lines (order_id, position, id, dealer_id, kind, description, quantity, unit_price, discount, vat_rate, net, vat, gross)
		SELECT md5('o' || i)::uuid, p, md5('ol' || i || '-' || p)::uuid, $1, 'accessory', 'Коврики', 1, 5000, 200, 0.2, 4000, 800, 4800
		FROM generate_series(0::bigint, $2::bigint - 1, 6) i, generate_series(0, 1) p`, dealer, n)
	exec("reset", `SET session_replication_role = DEFAULT`)
	for _, tb := range []string{"vehicles", "leads", "sales", "sale_stage_stays", "test_drives", "orders", "order_lines"} {
		exec("vacuum "+tb, `VACUUM ANALYZE `+tb)
	}
}

// handSQL is the hand-written statement for each report: what one would write for it with the schema in front of
// one, in one statement, names and order included where the report shows them.
var handSQL = map[string]string{
	"funnel": `SELECT st.id, st.name, st.sort_order, coalesce(f.n, 0), coalesce(f.amount, 0)
		FROM sales_stages st LEFT JOIN (
			SELECT stage_id, count(*) AS n, sum(amount) FILTER (WHERE currency = $4) AS amount FROM sales
			WHERE dealer_id = $1 AND status = 'open' AND created_at >= $2 AND created_at < $3 GROUP BY stage_id) f ON f.stage_id = st.id
		WHERE st.dealer_id = $1 AND st.kind = 'open' ORDER BY st.sort_order`,
	"conversion/source": `SELECT l.source, count(*), count(x.lead_id), count(*) FILTER (WHERE x.won)
		FROM leads l LEFT JOIN LATERAL (
			SELECT s.lead_id, bool_or(s.status = 'won') AS won FROM sales s WHERE s.lead_id = l.id AND s.dealer_id = $1 GROUP BY s.lead_id) x ON true
		WHERE l.dealer_id = $1 AND l.created_at >= $2 AND l.created_at < $3 AND $4::text IS NOT NULL GROUP BY l.source ORDER BY 1`,
	"conversion/manager": `SELECT coalesce(l.owner_id::text, ''), count(*), count(x.lead_id), count(*) FILTER (WHERE x.won)
		FROM leads l LEFT JOIN LATERAL (
			SELECT s.lead_id, bool_or(s.status = 'won') AS won FROM sales s WHERE s.lead_id = l.id AND s.dealer_id = $1 GROUP BY s.lead_id) x ON true
		WHERE l.dealer_id = $1 AND l.created_at >= $2 AND l.created_at < $3 AND $4::text IS NOT NULL GROUP BY 1 ORDER BY 1`,
	"stage_times": `SELECT st.id, st.name, st.sort_order, count(x.micros), coalesce(sum(x.micros), 0)
		FROM sales_stages st LEFT JOIN sale_stage_stays x ON x.stage_id = st.id AND x.dealer_id = $1
			AND x.left_at >= $2 AND x.left_at < $3 AND $4::text IS NOT NULL
		WHERE st.dealer_id = $1 AND st.kind = 'open' GROUP BY st.id, st.name, st.sort_order ORDER BY st.sort_order`,
	"results/model": `SELECT v.make, v.model, count(*), sum(s.amount) FILTER (WHERE s.currency = $4)
		FROM sales s LEFT JOIN vehicles v ON v.id = s.vehicle_id
		WHERE s.dealer_id = $1 AND s.status = 'won' AND s.won_at >= $2 AND s.won_at < $3 GROUP BY 1, 2 ORDER BY 1, 2`,
	"results/month": `SELECT date_trunc('month', s.won_at AT TIME ZONE 'UTC'), count(*), sum(s.amount) FILTER (WHERE s.currency = $4)
		FROM sales s WHERE s.dealer_id = $1 AND s.status = 'won' AND s.won_at >= $2 AND s.won_at < $3 GROUP BY 1 ORDER BY 1`,
	"summary": `SELECT count(*), sum(s.amount) FILTER (WHERE s.currency = $4), count(s.credit_application_id), count(s.trade_in_appraisal_id),
			count(o.id), coalesce(sum(o.discount), 0), coalesce(sum(o.gross), 0),
			(SELECT count(*) FROM (SELECT DISTINCT td.lead_id FROM test_drives td WHERE td.dealer_id = $1 AND td.status = 'completed'
				AND td.start_at >= $2 AND td.start_at < $3 AND td.lead_id IS NOT NULL) d),
			(SELECT count(*) FROM (SELECT DISTINCT td.lead_id FROM test_drives td WHERE td.dealer_id = $1 AND td.status = 'completed'
				AND td.start_at >= $2 AND td.start_at < $3 AND td.lead_id IS NOT NULL
				AND EXISTS (SELECT 1 FROM sales x WHERE x.lead_id = td.lead_id AND x.dealer_id = $1)) d),
			(SELECT count(*) FROM (SELECT DISTINCT td.lead_id FROM test_drives td WHERE td.dealer_id = $1 AND td.status = 'completed'
				AND td.start_at >= $2 AND td.start_at < $3 AND td.lead_id IS NOT NULL
				AND EXISTS (SELECT 1 FROM sales x WHERE x.lead_id = td.lead_id AND x.dealer_id = $1 AND x.status = 'won')) d)
		FROM sales s LEFT JOIN LATERAL (SELECT o.id, o.gross, (SELECT sum(ol.discount) FROM order_lines ol WHERE ol.order_id = o.id) AS discount
			FROM orders o WHERE o.sale_id = s.id AND o.dealer_id = $1 AND o.currency = $4) o ON true
		WHERE s.dealer_id = $1 AND s.status = 'won' AND s.won_at >= $2 AND s.won_at < $3`,
	"plan_progress": `SELECT (SELECT count(*) FROM sales WHERE dealer_id = $1 AND status = 'won' AND won_at >= $2 AND won_at < $3),
			(SELECT coalesce(sum(amount), 0) FROM sales WHERE dealer_id = $1 AND status = 'won' AND won_at >= $2 AND won_at < $3 AND currency = $4),
			(SELECT coalesce(sum(amount * probability), 0) FROM sales WHERE dealer_id = $1 AND status = 'open'
				AND expected_close >= $2::date AND expected_close < $3::date AND currency = $4)`,
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
	var d, small crm.Dealer
	dealers, err := st.Dealers(ctx)
	require.NoError(t, err)
	for _, x := range dealers {
		switch x.Name {
		case big:
			d = x
		case smallName:
			small = x
		}
	}
	if d.ID == (crm.ID{}) || small.ID == (crm.ID{}) {
		d, err = st.AddDealer(ctx, crm.Dealer{Name: big, LegalName: "ООО «Большой дилер»", Currency: "RUB"})
		require.NoError(t, err)
		// A small dealer beside it: its reports must not pay for the big one's rows.
		small, err = st.AddDealer(ctx, crm.Dealer{Name: smallName, LegalName: "ООО «Малый дилер»", Currency: "RUB"})
		require.NoError(t, err)
		start := time.Now()
		generate(t, db, d.ID, n)
		t.Logf("generated %d sales, %d stays in %.0fs", n, 3*n, time.Since(start).Seconds())
	}
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
		{"conversion/source", func(c context.Context) error { _, err := a.GetConversion(c, q, analytics.BySource); return err }},
		{"conversion/manager", func(c context.Context) error { _, err := a.GetConversion(c, q, analytics.ByManager); return err }},
		{"stage_times", func(c context.Context) error { _, err := a.GetStageTimes(c, q); return err }},
		{"results/model", func(c context.Context) error { _, err := a.GetResults(c, q, analytics.ByModel); return err }},
		{"results/month", func(c context.Context) error { _, err := a.GetResults(c, q, analytics.ByMonth); return err }},
		{"summary", func(c context.Context) error { _, err := a.GetSummary(c, q); return err }},
		{"plan_progress", func(c context.Context) error {
			id := plan.ID
			if d, _ := crm.DealerFrom(c); d == small.ID {
				id = smallPlan.ID
			}
			_, err := st.Plans.GetPlanProgress(c, id)
			return err
		}},
	}
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
	for _, name := range []string{"funnel", "conversion/source", "stage_times", "results/model", "summary"} {
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
		default:
			sqlText = postgres.AnalyticsSQL("summary", "")
		}
		rows, err := db.SQLX().QueryContext(ctx, "EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF, TIMING OFF) "+sqlText, d.ID, from, to, "RUB")
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
