package runner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
)

// PostgresEnv is the real system on PostgreSQL: every service over a fresh database of its own (copied from a
// migrated template) behind the real JSON API. Close drops the database.
type PostgresEnv struct {
	MemoryEnv
	db    *postgres.DB
	admin *postgres.DB
	name  string
}

// Close closes the scenario's database and drops it.
func (e *PostgresEnv) Close() error {
	e.db.Close()
	_, err := e.admin.SQLX().Exec(`DROP DATABASE IF EXISTS ` + e.name + ` WITH (FORCE)`)
	return err
}

// PostgresFactory makes PostgresEnvs on one server. Close it when the run is over.
type PostgresFactory struct {
	base     *url.URL
	admin    *postgres.DB
	mu       sync.Mutex // CREATE DATABASE … TEMPLATE one at a time
	template string
}

// NewPostgresFactory connects to the server at dsn (a postgres:// URL whose user may create databases) and
// migrates a template database (dealercrm_scen_<digest of the migrations>, kept for later runs) that every
// scenario's database is copied from.
func NewPostgresFactory(ctx context.Context, dsn string) (*PostgresFactory, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("-postgres %q is not a postgres:// URL", dsn)
	}
	admin, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := admin.SQLX().PingContext(ctx); err != nil {
		admin.Close()
		return nil, fmt.Errorf("-postgres: %w", err)
	}
	f := &PostgresFactory{base: u, admin: admin, template: "dealercrm_scen_" + strings.ToLower(postgres.MigrationsDigest())}
	if err := f.ensureTemplate(ctx); err != nil {
		admin.Close()
		return nil, err
	}
	return f, nil
}

// dsnOf is the server's URL naming database name.
func (f *PostgresFactory) dsnOf(name string) string {
	u := *f.base
	u.Path = "/" + name
	return u.String()
}

// ensureTemplate builds the migrated template unless it exists: into a database of its own name first, renamed
// when complete, so that a run stopped halfway leaves no half-migrated template behind.
func (f *PostgresFactory) ensureTemplate(ctx context.Context) error {
	var n int
	if err := f.admin.SQLX().GetContext(ctx, &n, `SELECT count(*) FROM pg_database WHERE datname = $1`, f.template); err != nil {
		return fmt.Errorf("-postgres: %w", err)
	}
	if n > 0 {
		return nil
	}
	building := f.template + "_" + randomSuffix()
	if _, err := f.admin.SQLX().ExecContext(ctx, `CREATE DATABASE `+building); err != nil {
		return fmt.Errorf("-postgres: creating the template: %w", err)
	}
	db, err := postgres.Open(ctx, f.dsnOf(building))
	if err == nil {
		err = db.Migrate(ctx)
		db.Close()
	}
	if err == nil {
		_, err = f.admin.SQLX().ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+f.template)
		if err != nil && f.exists(ctx, f.template) {
			err = nil // another run built it meanwhile
		}
	}
	if err != nil {
		_, _ = f.admin.SQLX().ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`)
		return fmt.Errorf("-postgres: migrating the template: %w", err)
	}
	_, _ = f.admin.SQLX().ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`)
	return nil
}

func (f *PostgresFactory) exists(ctx context.Context, name string) bool {
	var n int
	return f.admin.SQLX().GetContext(ctx, &n, `SELECT count(*) FROM pg_database WHERE datname = $1`, name) == nil && n > 0
}

// RunDatabasePrefix is the name prefix of the databases this process's scenarios run in: it holds the process
// ID, so that a process (a test, say) can tell its own leftovers from another's on a shared server.
func RunDatabasePrefix() string { return fmt.Sprintf("dealercrm_scen_run_%d_", os.Getpid()) }

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// New is the Factory: a fresh database copied from the template, the stack and API over it on clock.
func (f *PostgresFactory) New(clock crm.Clock) (Env, error) {
	ctx := context.Background()
	name := RunDatabasePrefix() + randomSuffix()
	f.mu.Lock()
	_, err := f.admin.SQLX().ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+f.template)
	f.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("creating the scenario's database: %w", err)
	}
	db, err := postgres.Open(ctx, f.dsnOf(name))
	if err != nil {
		_, _ = f.admin.SQLX().ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		return nil, err
	}
	st := stack.New(db, clock)
	h, err := httpapi.New(st.HTTPConfig())
	if err != nil {
		db.Close()
		return nil, err
	}
	return &PostgresEnv{MemoryEnv: MemoryEnv{Stack: st, handler: h}, db: db, admin: f.admin, name: name}, nil
}

// Close closes the connection to the server (the template is kept for later runs).
func (f *PostgresFactory) Close() error { return f.admin.Close() }
