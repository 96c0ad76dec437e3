// Package pgtest gives tests a fresh, migrated PostgreSQL database of their own.
//
// Four environment variables configure it:
//
//	DEALERCRM_TEST_DATABASE_URL  the server and the database to connect to first
//	                             (default postgres://postgres@127.0.0.1:5432/test?sslmode=disable)
//	DEALERCRM_TEST_DB_TEMPLATE   the prefix of the migrated template database (default dealercrm_tpl); the
//	                             template is named prefix_<digest of the migrations>, built once per schema
//	DEALERCRM_TEST_DB_PREFIX     the prefix of each test's own database (default dealercrm_t); a test's database
//	                             is prefix_<16 random hex digits>, dropped when the test ends
//	DEALERCRM_TEST_DRIVER        the driver Open connects through: pq (lib/pq, the default, with
//	                             binary_parameters as postgres.Open sets it) or pgx (pgx's database/sql driver,
//	                             adapters/postgres/pgxdb)
//
// Prefixes are lower-case letters, digits and underscores, starting with a letter, at most 40 bytes.
//
// When the server cannot be reached the test is skipped, except with CI=true, where it fails: in CI the
// PostgreSQL tests must run. The server is asked once per test binary, so a package without a server skips fast.
// A package that uses pgtest calls Main from its TestMain, which prints one line saying how many PostgreSQL tests
// were skipped and how to run them:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgxdb"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/jmoiron/sqlx"
)

// EnvURL is the environment variable naming the test server.
const EnvURL = "DEALERCRM_TEST_DATABASE_URL"

// DefaultURL is used when EnvURL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// EnvTemplate is the environment variable naming the template databases' prefix.
const EnvTemplate = "DEALERCRM_TEST_DB_TEMPLATE"

// DefaultTemplate is the template prefix used when EnvTemplate is unset.
const DefaultTemplate = "dealercrm_tpl"

// EnvPrefix is the environment variable naming the prefix of each test's database.
const EnvPrefix = "DEALERCRM_TEST_DB_PREFIX"

// DefaultPrefix is the per-test prefix used when EnvPrefix is unset.
const DefaultPrefix = "dealercrm_t"

// EnvDriver is the environment variable choosing the driver Open connects through: "pq" (default) or "pgx".
const EnvDriver = "DEALERCRM_TEST_DRIVER"

// Driver returns the driver Open connects through: "pq" or "pgx" (EnvDriver; "pq" when unset).
func Driver() string {
	if d := os.Getenv(EnvDriver); d != "" {
		return d
	}
	return "pq"
}

// OpenDSN connects to dsn through the driver EnvDriver names (postgres.Open for pq, pgxdb.Open for pgx).
func OpenDSN(ctx context.Context, dsn string) (*postgres.DB, error) {
	switch d := Driver(); d {
	case "pq":
		return postgres.Open(ctx, dsn)
	case "pgx":
		return pgxdb.Open(ctx, dsn)
	default:
		return nil, fmt.Errorf("pgtest: %s=%q: want pq or pgx", EnvDriver, d)
	}
}

// URL returns the test server's connection string.
func URL() string {
	if u := os.Getenv(EnvURL); u != "" {
		return u
	}
	return DefaultURL
}

// TemplatePrefix returns the prefix of the template database's name (EnvTemplate or DefaultTemplate).
func TemplatePrefix() string { return envName(EnvTemplate, DefaultTemplate) }

// DatabasePrefix returns the prefix of each test database's name (EnvPrefix or DefaultPrefix).
func DatabasePrefix() string { return envName(EnvPrefix, DefaultPrefix) }

// validName is what a prefix may look like: it is spliced into CREATE DATABASE, so nothing that needs quoting.
var validName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

func envName(env, def string) string {
	if v := os.Getenv(env); v != "" {
		return v
	}
	return def
}

// checkName fails t when a configured prefix is not a plain lower-case identifier.
func checkName(t testing.TB, env, v string) {
	t.Helper()
	if !validName.MatchString(v) {
		t.Fatalf("pgtest: %s=%q: want lower-case letters, digits and _, starting with a letter, at most 40 bytes", env, v)
	}
}

var (
	reach    sync.Once
	reachErr error
	skipped  atomic.Int64
	noCache  sync.Once
)

// skipMark is the file keepOutOfTestCache writes in the package's directory (ignored by git).
const skipMark = ".pgtest-skipped"

// keepOutOfTestCache keeps go test from caching this run's result: a run that skipped the PostgreSQL tests must
// run again next time, when the server may be up (a cached "ok" would hide that they never ran, and would not
// repeat the skip summary). go test caches no run that read a file of the module modified less than two seconds
// before the run ended, so it writes a small file in the package's directory (go test's working directory) and
// reads it. Where that directory is read-only (a module cache), the run may be cached.
func keepOutOfTestCache() {
	if err := os.WriteFile(skipMark, []byte("PostgreSQL tests were skipped; go test does not cache such a run\n"), 0o644); err != nil {
		return
	}
	if f, err := os.Open(skipMark); err == nil {
		f.Close()
	}
}

// reachable pings the server once per test binary and remembers the answer.
func reachable() error {
	reach.Do(func() {
		x, err := sqlx.Open("postgres", URL())
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err = x.PingContext(ctx)
			cancel()
			x.Close()
		}
		reachErr = err
	})
	return reachErr
}

// Admin connects to the test server's own database, skipping (or, with CI=true, failing) t when it cannot.
func Admin(t testing.TB) *sqlx.DB {
	t.Helper()
	if err := reachable(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is required in CI: %v", URL(), err)
		}
		skipped.Add(1)
		noCache.Do(keepOutOfTestCache)
		t.Skipf("PostgreSQL not reachable at %s (set %s): %v", URL(), EnvURL, err)
	}
	x, err := sqlx.Open("postgres", URL())
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return x
}

// Skipped returns how many tests of this binary were skipped because the server could not be reached.
func Skipped() int { return int(skipped.Load()) }

// Main runs the package's tests (m.Run) and, when some were skipped for want of PostgreSQL, says once how many
// and how to run them; then it exits with m.Run's code. Call it from TestMain.
//
// go test shows a passing package's output only with -v, so without -v the line goes to the terminal
// (/dev/tty) when there is one, and to stderr otherwise (shown when the package fails); with -v it goes to
// stderr. Such a run is never cached, so the next go test runs the PostgreSQL tests again (or says again that it
// skipped them).
func Main(m *testing.M) {
	code := m.Run()
	if n := Skipped(); n > 0 {
		pkg := "this package"
		if exe, err := os.Executable(); err == nil {
			pkg = strings.TrimSuffix(filepath.Base(exe), ".test")
		}
		report(fmt.Sprintf("pgtest: %s: skipped %d PostgreSQL test(s): no server at %s (%v). "+
			"To run them, start PostgreSQL there or set %s to a server whose user may CREATE DATABASE; "+
			"with CI=true they fail instead of skipping.\n", pkg, n, URL(), reachErr, EnvURL))
	}
	os.Exit(code)
}

// report writes msg where the person running go test will see it.
func report(msg string) {
	if !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			_, werr := tty.WriteString(msg)
			tty.Close()
			if werr == nil {
				return
			}
		}
	}
	fmt.Fprint(os.Stderr, msg)
}

// templateLock serialises template creation and copying across test processes.
const templateLock = 0x64636d74706c

// Open returns a fresh database, migrated, copied from a template built once per schema, connected through the
// driver EnvDriver names; it is dropped when the test ends.
func Open(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := OpenDSN(context.Background(), Create(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Create makes a fresh database, migrated, copied from a template built once per schema, and returns its
// connection string; the database is dropped (with every connection to it) when the test ends.
func Create(t testing.TB) string {
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

	checkName(t, EnvTemplate, TemplatePrefix())
	checkName(t, EnvPrefix, DatabasePrefix())
	tpl := TemplatePrefix() + "_" + postgres.MigrationsDigest()
	var exists bool
	if err := conn.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, tpl); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if !exists {
		if err := buildTemplate(ctx, conn, tpl); err != nil {
			t.Fatalf("pgtest: template: %v", err)
		}
	}
	name := DatabasePrefix() + "_" + strings.ReplaceAll(crm.NewID().String(), "-", "")[:16]
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+tpl); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		a := Admin(t)
		defer a.Close()
		if _, err := a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Logf("pgtest: drop %s: %v", name, err)
		}
	})
	return withDatabase(URL(), name)
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
