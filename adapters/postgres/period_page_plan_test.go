package postgres_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAppointmentPageReadsItsOwnSize (issue 16 item 3): a page of 20 of the workshop calendar, over a period
// holding 5,000 appointments of the dealer, reads 21 rows of service_appointments_page and sorts nothing — the
// first page and a page after a cursor alike. Checked with EXPLAIN (ANALYZE) of the statement the adapter sent
// (read from the connection), with its arguments.
func TestAppointmentPageReadsItsOwnSize(t *testing.T) {
	t.Parallel()
	db, rt := pgtest.OpenCounting(t)
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	st := stack.New(db, clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»", Currency: "RUB"})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	c, err := crm.NewCustomer(d.ID, crm.Customer{Contact: crm.Contact{FirstName: "Олег", Phones: []string{"+79001234567"}}}, clock.Now())
	require.NoError(t, err)
	unit := crm.NewUnit[aftersales.Stores](db, clock)
	require.NoError(t, unit.Update(ctx, func(ctx context.Context, s aftersales.Stores) error { return s.Customers().Create(ctx, &c) }))
	cv, err := st.Aftersales.CreateCustomerVehicle(ctx, aftersales.CustomerVehicle{CustomerID: c.ID, VIN: catalog.VIN("Z94CB41AAGR000201"),
		Make: "Kia", Model: "Rio", Year: 2021})
	require.NoError(t, err)
	from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(aftersales.MaxCalendarSpan)
	// 5,000 cancelled appointments (they hold no bay) spread over the period, and 5,000 before it.
	_, err = db.SQLX().ExecContext(ctx, `INSERT INTO service_appointments (id, dealer_id, version, created_at, updated_at,
		customer_vehicle_id, customer_id, bay, start_at, end_at, status, doc)
		SELECT gen_random_uuid(), $1, 1, now(), now(), $2, $3, '1', $4::timestamptz + g * interval '17 minutes',
			$4::timestamptz + g * interval '17 minutes' + interval '1 hour', 'cancelled', '{"works": []}'::jsonb
		FROM generate_series(-5000, 4999) g`, d.ID, cv.ID, c.ID, from)
	require.NoError(t, err)
	_, err = db.SQLX().ExecContext(ctx, `ANALYZE service_appointments`)
	require.NoError(t, err)

	f := aftersales.AppointmentFilter{From: from, To: to}
	page := func(cursor string) (crm.Page[aftersales.Appointment], string) {
		rt.Reset()
		p, err := st.Aftersales.ListAppointments(ctx, f, crm.PageRequest{Limit: 20, Cursor: cursor})
		require.NoError(t, err)
		require.Len(t, p.Items, 20)
		for _, s := range rt.Statements() {
			if strings.Contains(s, "FROM service_appointments") {
				return p, s
			}
		}
		return p, ""
	}
	first, stmt := page("")
	require.NotEmpty(t, stmt, "the page's statement is sent (parsed) on this connection")
	args := []any{d.ID, from.Add(-aftersales.MaxAppointmentLength), to, from}
	explain := func(args ...any) map[string]any {
		var plan string
		require.NoError(t, db.SQLX().QueryRowxContext(ctx, `EXPLAIN (ANALYZE, FORMAT JSON) `+stmt, args...).Scan(&plan))
		var doc []map[string]any
		require.NoError(t, json.Unmarshal([]byte(plan), &doc))
		return doc[0]["Plan"].(map[string]any)
	}
	check := func(name string, plan map[string]any) {
		t.Helper()
		var walk func(n map[string]any)
		walk = func(n map[string]any) {
			typ, _ := n["Node Type"].(string)
			assert.NotContains(t, []string{"Sort", "Seq Scan", "Bitmap Heap Scan"}, typ, "%s: %v", name, n)
			if strings.HasSuffix(typ, "Index Scan") {
				assert.Equal(t, "service_appointments_page", n["Index Name"], name)
				assert.LessOrEqual(t, n["Actual Rows"].(float64), 21.0, "%s: the index scan reads the page and one more", name)
			}
			kids, _ := n["Plans"].([]any)
			for _, k := range kids {
				walk(k.(map[string]any))
			}
		}
		walk(plan)
	}
	check("the first page", explain(append(args, 21)...))
	last := first.Items[19]
	second, stmt2 := page(first.NextCursor)
	assert.Equal(t, 20, len(second.Items))
	if stmt2 != "" {
		stmt = stmt2
	}
	check("a page after a cursor", explain(append(args, last.Start, last.ID, 21)...))
}
