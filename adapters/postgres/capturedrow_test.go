package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/google/uuid"
	"github.com/lib/pq"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCapturedRowScansAsDatabaseSQL: a joined row captured once and converted record by record (ReadBooking)
// gives every destination what database/sql's own Scan of the row gives — values, NULLs and the types the
// adapter scans into, the ones the fast conversion knows and the others — and the same error for a NULL in a
// destination that cannot hold it. On the driver the test runs with (DEALERCRM_TEST_DRIVER).
func TestCapturedRowScansAsDatabaseSQL(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	const query = `SELECT 'x', 'текст'::text, NULL::text, 42::int, 9000000000::bigint, 7::smallint, true, false,
		'2026-11-30 21:00:00.123456+00'::timestamptz, NULL::timestamptz, '2026-12-01 08:00:00+00'::timestamptz,
		'6f1c2a4e-7b2d-4c3e-9a4f-0d1e2f3a4b5c'::uuid, NULL::uuid, '{"a": "б", "n": "1"}'::jsonb, 1234.50::numeric,
		ARRAY['a', 'б']::text[], 'bytes'::bytea, 3.5::float8`
	type dests struct {
		s1, s2      string
		ns          sql.NullString
		i           int
		i64         int64
		i16         int16
		b1, b2      bool
		at          time.Time
		nilAt, ptAt *time.Time
		id          crm.ID
		nid         uuid.NullUUID
		doc         map[string]string
		dec         decimal.Decimal
		arr         pq.StringArray
		raw         []byte
		f           float64
	}
	targets := func(d *dests) []any {
		return []any{&d.s1, &d.s2, &d.ns, &d.i, &d.i64, &d.i16, &d.b1, &d.b2, &d.at, &d.nilAt, &d.ptAt, &d.id, &d.nid,
			postgres.JSONB(&d.doc), &d.dec, &d.arr, &d.raw, &d.f}
	}
	scan := func(captured bool, q string, d []any) error {
		t.Helper()
		rows, err := db.SQLX().QueryContext(ctx, q)
		require.NoError(t, err)
		defer rows.Close()
		require.True(t, rows.Next())
		if captured {
			cols, err := rows.Columns()
			require.NoError(t, err)
			return postgres.ScanCaptured(rows, len(cols), 0, d...)
		}
		return rows.Scan(d...)
	}
	var want, got dests
	require.NoError(t, scan(false, query, targets(&want)))
	require.NoError(t, scan(true, query, targets(&got)))
	assert.Equal(t, want, got)
	assert.Equal(t, "текст", got.s2)
	assert.Nil(t, got.nilAt)
	require.NotNil(t, got.ptAt)

	var s1, s2 string
	errWant := scan(false, `SELECT NULL::text`, []any{&s1})
	errGot := scan(true, `SELECT NULL::text`, []any{&s2})
	require.Error(t, errWant)
	require.Error(t, errGot)
	assert.Equal(t, errWant.Error(), errGot.Error(), "a NULL into a string: database/sql's error")
}

// TestBookingReadConvertsWithoutDatabaseSQL: on lib/pq every record of the booking's joined read is converted
// from the captured row, none through database/sql's scan of the whole row (what made the read convert the row
// once per record).
func TestBookingReadConvertsWithoutDatabaseSQL(t *testing.T) {
	if pgtest.Driver() != "pq" {
		t.Skip("the fast conversion is written for lib/pq's values; pgx's go through database/sql where they differ")
	}
	db := pgtest.Open(t)
	ctx := context.Background()
	st := stack.New(db, crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)))
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Счёт", LegalName: "ООО «Счёт»", Currency: "RUB",
		Address: crm.Address{City: "Москва", Street: "Тверская, 1"}})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	c, err := st.Customers.CreateCustomer(ctx, crm.Customer{Contact: crm.Contact{Kind: crm.Person, FirstName: "Пётр",
		Emails: []string{"petr@example.org"}}})
	require.NoError(t, err)
	l, err := st.Leads.CreateLead(ctx, leads.LeadInput{CustomerID: c.ID, Contact: crm.Contact{Kind: crm.Person, FirstName: "Пётр",
		Phones: []string{"+79161234567"}}, Source: "website", NeedType: "car_purchase"})
	require.NoError(t, err)
	v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA00000000000001", Make: "Lada", Model: "Vesta", Year: 2026})
	require.NoError(t, err)
	before := postgres.CapturedFallbacks.Load()
	_, err = st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID,
		Start: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, before, postgres.CapturedFallbacks.Load(), "records scanned through database/sql")
}

// TestBookingReadsStepsByIndex: the booking's joined read finds the lead's and the customer's open steps through
// the activities' indexes by lead and by customer, not by reading every open activity of the dealer — here 3,000
// open tasks of the dealer linked to other customers — in the generic plan a prepared statement keeps.
func TestBookingReadsStepsByIndex(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	st := stack.New(db, crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)))
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "План", LegalName: "ООО «План»", Currency: "RUB"})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	c, err := st.Customers.CreateCustomer(ctx, crm.Customer{Contact: crm.Contact{Kind: crm.Person, FirstName: "Пётр",
		Emails: []string{"petr@example.org"}}})
	require.NoError(t, err)
	l, err := st.Leads.CreateLead(ctx, leads.LeadInput{CustomerID: c.ID, Contact: crm.Contact{Kind: crm.Person, FirstName: "Пётр",
		Phones: []string{"+79161234567"}}, Source: "website", NeedType: "car_purchase"})
	require.NoError(t, err)
	v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA00000000000001", Make: "Lada", Model: "Vesta", Year: 2026})
	require.NoError(t, err)
	x := db.SQLX()
	_, err = x.ExecContext(ctx, `INSERT INTO activities (id, dealer_id, version, created_at, updated_at, kind, subject,
			owner_id, status, customer_id, step_completes_on)
		SELECT gen_random_uuid(), $1, 1, now(), now(), 'task', 'Задача', gen_random_uuid(), 'open', gen_random_uuid(),
			'test_drive_booked' FROM generate_series(1, 3000)`, d.ID)
	require.NoError(t, err)
	_, err = x.ExecContext(ctx, `ANALYZE activities`)
	require.NoError(t, err)

	tx, err := x.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, `PREPARE booking_read(uuid, uuid, uuid, uuid, text) AS `+postgres.BookingSQLLocked)
	require.NoError(t, err)
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`EXPLAIN (COSTS OFF) EXECUTE booking_read('%s', '%s', NULL, '%s', 'test_drive_booked')`,
		d.ID, l.ID, v.ID))
	require.NoError(t, err)
	var plan []string
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		plan = append(plan, line)
	}
	require.NoError(t, rows.Err())
	text := strings.Join(plan, "\n")
	assert.Contains(t, text, "activities_by_lead", "the lead's steps by its index:\n%s", text)
	assert.Contains(t, text, "activities_by_customer", "the customer's steps by its index:\n%s", text)
	for _, idx := range []string{"activities_overdue", "activities_list", "activities_by_owner", "Seq Scan on activities"} {
		assert.NotContains(t, text, idx, "not every open activity of the dealer:\n%s", text)
	}
}
