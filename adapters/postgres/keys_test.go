package postgres_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/stretchr/testify/require"
)

// keyExceptions are the keys of the schema that do not include dealer_id, each with the reason (docs/scaling.md,
// "Beyond one PostgreSQL"). A key is named "<table>.<constraint or unique index>"; a table without a dealer_id
// column is named "<table>".
var keyExceptions = map[string]string{
	// Tables without dealer_id: not dealer data.
	"schema_migrations": "the migrations applied: a local table of each database",
	// Unique keys.
	"api_keys.api_keys_hash_key": "a bearer token is looked up by its hash before the dealer is known; on a " +
		"distributed database api_keys is a reference table (or the token carries the dealer)",
	// Foreign keys to the hottest tables (customers, sales, leads), whose primary key is id alone: a composite
	// foreign key needs a unique (dealer_id, id) on the target, one more index on every write of those tables, or
	// the move of their primary keys to (dealer_id, id), the mechanical migration docs/scaling.md describes,
	// which rewrites these together. (Migration 082 did it where the target is written rarely: orders and their
	// lines, the sales stages, customer vehicles, users.)
	"credit_applications.credit_applications_customer_id_fkey": "customers: primary key id alone",
	"credit_applications.credit_applications_sale_id_fkey":     "sales: primary key id alone",
	"customer_vehicles.customer_vehicles_customer_id_fkey":     "customers: primary key id alone",
	"lead_import_keys.lead_import_keys_lead_id_fkey":           "leads: primary key id alone",
	"orders.orders_sale_id_fkey":                               "sales: primary key id alone",
	"sales.sales_customer_id_fkey":                             "customers: primary key id alone",
	"sale_stage_stays.sale_stage_stays_sale_id_fkey":           "sales: primary key id alone",
	"test_drives.test_drives_lead_id_fkey":                     "leads: primary key id alone",
	"test_drive_schedules.test_drive_schedules_id_fkey":        "the row's id is its dealer's id (one schedule per dealer): it is the dealer",
	"workshop_calendars.workshop_calendars_id_fkey":            "the row's id is its dealer's id (one calendar per dealer): it is the dealer",
}

// The dealer as distribution key (issue 16 item 8): every table has dealer_id, and every unique, exclusion and
// foreign key includes it, except the keys listed in keyExceptions with their reasons. A primary key of id alone,
// a UUID, is accepted on a table with dealer_id for now: moving every primary key to (dealer_id, id) is the
// migration docs/scaling.md describes. The test reads the catalog of a freshly migrated database, so a new
// migration that adds a key without the dealer fails it: include dealer_id, or add the key here with the reason.
func TestKeysIncludeTheDealer(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	var offenders []string
	seen := map[string]bool{}
	note := func(name, what string) {
		seen[name] = true
		if _, ok := keyExceptions[name]; !ok {
			offenders = append(offenders, fmt.Sprintf("%s: %s", name, what))
		}
	}

	var tables []string
	require.NoError(t, db.SQLX().SelectContext(ctx, &tables, `SELECT c.relname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT EXISTS (SELECT 1 FROM pg_attribute a
			WHERE a.attrelid = c.oid AND a.attname = 'dealer_id' AND NOT a.attisdropped)`))
	for _, tb := range tables {
		note(tb, "a table without dealer_id")
	}

	// Constraints (primary, unique, exclusion, foreign) and unique indexes without a constraint.
	type key struct {
		Table, Name, Kind, Def string
		HasDealer              bool `db:"has_dealer"`
		IDOnlyPK               bool `db:"id_only_pk"`
	}
	var keys []key
	require.NoError(t, db.SQLX().SelectContext(ctx, &keys, `
		SELECT cl.relname AS table, con.conname AS name, con.contype::text AS kind, pg_get_constraintdef(con.oid) AS def,
			EXISTS (SELECT 1 FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k
				WHERE a.attname = 'dealer_id') AS has_dealer,
			con.contype = 'p' AND pg_get_constraintdef(con.oid) = 'PRIMARY KEY (id)' AS id_only_pk
		FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
		WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'x', 'f')
		UNION ALL
		SELECT t.relname, ic.relname, 'i', pg_get_indexdef(i.indexrelid),
			EXISTS (SELECT 1 FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k
				WHERE a.attname = 'dealer_id'), false
		FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = 'public' AND i.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`))
	require.NotEmpty(t, keys)
	for _, k := range keys {
		if k.HasDealer || k.IDOnlyPK || contains(tables, k.Table) { // a table without dealer_id is listed itself
			continue
		}
		note(k.Table+"."+k.Name, k.Def)
	}
	sort.Strings(offenders)
	if len(offenders) > 0 {
		t.Errorf("keys without dealer_id (include it, or add the key to keyExceptions with the reason):\n%s",
			strings.Join(offenders, "\n"))
	}
	var stale []string
	for name := range keyExceptions {
		if !seen[name] {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("keyExceptions names keys that are gone or now include dealer_id; remove them:\n%s", strings.Join(stale, "\n"))
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
