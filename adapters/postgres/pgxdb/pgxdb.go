// Package pgxdb runs the PostgreSQL adapter on pgx (github.com/jackc/pgx/v5) through its database/sql driver,
// instead of lib/pq, the default. Importing it is the opt-in: it registers how pgx's errors name the violated
// constraint, table and column, so the adapter's error mapping reads them as it reads lib/pq's.
//
//	db, err := pgxdb.Open(ctx, "postgres://user@127.0.0.1:5432/db?sslmode=disable")
//
// pgx prepares each statement once per connection and caches it (its default query mode), so a statement with
// parameters costs one round trip once its connection has seen it, two the first time.
package pgxdb

import (
	"context"
	"errors"
	"fmt"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
)

func init() { postgres.RegisterErrorFields(ErrorFields) }

// ErrorFields reads a field of a *pgconn.PgError by its protocol code ('n' constraint, 't' table, 'c' column).
func ErrorFields(err error, code byte) (string, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return "", false
	}
	switch code {
	case 'n':
		return pe.ConstraintName, true
	case 't':
		return pe.TableName, true
	case 'c':
		return pe.ColumnName, true
	}
	return "", true
}

// Open connects with pgx to dsn (a URL or key=value string, as pgx.ParseConfig reads it), with the same pool
// settings as postgres.Open, and pings. It does not migrate: call Migrate.
func Open(ctx context.Context, dsn string) (*postgres.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("pgxdb.Open: %w", err)
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open with a parsed configuration (to set a dialer, a query mode or a tracer) and options of pgx's
// database/sql driver (stdlib.OptionAfterConnect, …).
func OpenConfig(ctx context.Context, cfg *pgx.ConnConfig, opts ...stdlib.OptionOpenDB) (*postgres.DB, error) {
	x := sqlx.NewDb(stdlib.OpenDB(*cfg, opts...), "pgx")
	postgres.SizePool(x.DB, postgres.DefaultMaxConns)
	if err := x.PingContext(ctx); err != nil {
		x.Close()
		return nil, fmt.Errorf("pgxdb.Open: %w", err)
	}
	return postgres.New(x), nil
}
