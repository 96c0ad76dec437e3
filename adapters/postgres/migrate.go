package postgres

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the advisory lock key held while migrating ("dealercrm" in ASCII, truncated).
const migrationLock = 0x6465616c657263

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %q: name must start with a number and _", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %q and %q share a number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// Migrate applies every embedded migration not yet applied, in order, in one transaction under an advisory
// lock: it is idempotent, and safe when several processes start at once (the others wait, then find nothing to do).
//
// Then it runs one step written in Go rather than SQL, because the defaults live in the domain packages: every
// stored dealer that lacks a directory (no need types, lead stages or sales stages, e.g. a dealer written by an
// older version or inserted by hand) gets the defaults it lacks (leads.SeedDirectories, sales.SeedStages), one
// unit of work per such dealer. Dealers added through stack.AddDealer already have them, so on a current database
// the step is one query that finds nobody.
func (db *DB) Migrate(ctx context.Context) error {
	if err := db.migrateSQL(ctx); err != nil {
		return err
	}
	if err := db.seedDirectories(ctx); err != nil {
		return fmt.Errorf("postgres.Migrate: seed directories: %w", err)
	}
	return nil
}

func (db *DB) migrateSQL(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("postgres.Migrate: %w", err)
	}
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("postgres.Migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("postgres.Migrate: lock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("postgres.Migrate: %w", err)
	}
	applied := map[int]bool{}
	var versions []int
	if err := tx.SelectContext(ctx, &versions, `SELECT version FROM schema_migrations`); err != nil {
		return fmt.Errorf("postgres.Migrate: %w", err)
	}
	for _, v := range versions {
		applied[v] = true
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("postgres.Migrate: %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
			return fmt.Errorf("postgres.Migrate: %s: %w", m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("postgres.Migrate: %w", err)
	}
	return nil
}

// MigrationsDigest returns a short hash of every embedded migration: two binaries with the same digest build the
// same schema (tests use it to name a migrated template database).
func MigrationsDigest() string {
	ms, err := migrations()
	if err != nil {
		return "invalid"
	}
	h := sha256.New()
	for _, m := range ms {
		h.Write([]byte(m.name))
		h.Write([]byte(m.sql))
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
