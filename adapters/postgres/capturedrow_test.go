package postgres_test

import (
	"context"
	"database/sql"
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
