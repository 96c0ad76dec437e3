// Package pgtest gives tests a fresh, migrated PostgreSQL database of their own.
//
// The server is named by the environment variable DEALERCRM_TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable). When it cannot be reached the test is skipped, except
// with CI=true, where it fails: in CI the PostgreSQL tests must run.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/jmoiron/sqlx"
)

// EnvURL is the environment variable naming the test server.
const EnvURL = "DEALERCRM_TEST_DATABASE_URL"

// DefaultURL is used when EnvURL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL returns the test server's connection string.
func URL() string {
	if u := os.Getenv(EnvURL); u != "" {
		return u
	}
	return DefaultURL
}

// Admin connects to the test server's own database, skipping (or, with CI=true, failing) t when it cannot.
func Admin(t testing.TB) *sqlx.DB {
	t.Helper()
	x, err := sqlx.Open("postgres", URL())
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = x.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is required in CI: %v", URL(), err)
		}
		t.Skipf("PostgreSQL not reachable at %s (set %s): %v", URL(), EnvURL, err)
	}
	return x
}

// templateLock serialises template creation and copying across test processes.
const templateLock = 0x64636d74706c

// Open returns a fresh database, migrated, copied from a template built once per schema; it is dropped when the
// test ends.
func Open(t testing.TB) *postgres.DB {
	t.Helper()
	ctx := context.Background()
	admin := Admin(t)
	defer admin.Close()
	conn, err := admin.Connx(ctx)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, templateLock); err != nil {
		t.Fatalf("pgtest: lock: %v", err)
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, templateLock)

	tpl := "dealercrm_tpl_" + postgres.MigrationsDigest()
	var exists bool
	if err := conn.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, tpl); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if !exists {
		if err := buildTemplate(ctx, conn, tpl); err != nil {
			t.Fatalf("pgtest: template: %v", err)
		}
	}
	name := "dealercrm_t_" + strings.ReplaceAll(crm.NewID().String(), "-", "")[:16]
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+tpl); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	db, err := postgres.Open(ctx, withDatabase(URL(), name))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		db.Close()
		a := Admin(t)
		defer a.Close()
		if _, err := a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Logf("pgtest: drop %s: %v", name, err)
		}
	})
	return db
}

func buildTemplate(ctx context.Context, conn *sqlx.Conn, tpl string) error {
	tmp := tpl + "_build"
	if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+tmp+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+tmp); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, withDatabase(URL(), tmp))
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return err
	}
	db.Close()
	_, err = conn.ExecContext(ctx, `ALTER DATABASE `+tmp+` RENAME TO `+tpl)
	return err
}

// withDatabase returns dsn pointing at database name instead.
func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return fmt.Sprintf("%s dbname=%s", dsn, name)
	}
	u.Path = "/" + name
	return u.String()
}
