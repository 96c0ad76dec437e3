package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq" // the default driver
)

// DB is a PostgreSQL database of every store.
type DB struct {
	x     *sqlx.DB
	dirs  *dirCache   // the directories this process has read (dircache.go)
	reads *readShapes // which read-only units of work send more than one statement (readshapes.go)
	// MaxAttempts is how many times a unit of work runs before a serialization failure is returned as a
	// conflict; default 10.
	MaxAttempts int
}

// Open connects with lib/pq to dsn (e.g. "postgres://user@127.0.0.1:5432/db?sslmode=disable") and pings.
// It does not migrate: call Migrate.
//
// Unless dsn sets binary_parameters itself, Open turns it on (WithBinaryParameters): lib/pq then sends a
// statement with parameters in one round trip (parse, bind, describe and execute together) instead of two. The
// adapter passes no []byte parameter that the server would misread in binary form (jsonb and arrays go as text).
// Each connection keeps the statements it runs prepared (PreparingConnector), so that PostgreSQL does not parse
// and plan them at every execution; behind a pooler in transaction mode (PgBouncer), which moves a client between
// server connections, use New over a plain lib/pq connector instead.
func Open(ctx context.Context, dsn string) (*DB, error) {
	c, err := pq.NewConnector(WithBinaryParameters(dsn))
	if err != nil {
		return nil, fmt.Errorf("postgres.Open: %w", err)
	}
	x := sqlx.NewDb(sql.OpenDB(PreparingConnector(c)), "postgres")
	SizePool(x.DB, DefaultMaxConns)
	if err := x.PingContext(ctx); err != nil {
		x.Close()
		return nil, fmt.Errorf("postgres.Open: %w", err)
	}
	return New(x), nil
}

// DefaultMaxConns is how many connections Open and pgxdb.Open keep at most. PostgreSQL does the most work with
// a few active connections per core of its own: past that, its backends take turns on the cores, wake one another
// for the WAL's flush and wait on each other's locks, and each statement costs more CPU. On a 2-core machine
// running the example server and PostgreSQL together, a pool of 8 took 10–20 % less of PostgreSQL's CPU per
// booking than one of 20 and booked 3–11 % more test drives per second under 16 concurrent clients
// (docs/benchmarks.md, "Bookings on the machine of 1 December"); requests beyond the pool wait in the process for
// a connection, which costs far less than a backend waiting for a core. For a database on a machine of its own,
// size the pool to about four times its cores: SizePool(db.SQLX().DB, n).
const DefaultMaxConns = 8

// SizePool sets how many connections x opens at most (n) and keeps idle (n as well: a connection closed when
// idle is a new backend to start at the next burst), closing those idle for five minutes.
func SizePool(x *sql.DB, n int) {
	x.SetMaxOpenConns(n)
	x.SetMaxIdleConns(n)
	x.SetConnMaxIdleTime(5 * time.Minute)
}

// New wraps an open sqlx handle (any driver whose errors have SQLState()).
func New(x *sqlx.DB) *DB { return &DB{x: x, dirs: &dirCache{}, reads: &readShapes{}, MaxAttempts: 10} }

// SQLX returns the underlying handle (for health checks and tests).
func (db *DB) SQLX() *sqlx.DB { return db.x }

// Close closes the connection pool.
func (db *DB) Close() error { return db.x.Close() }

// Tx is one unit of work: a database transaction (or, for a read-only unit, a lazyRead, which sends a read of one
// statement outside any transaction). It satisfies every domain's Stores bundle.
type Tx struct {
	tx       querier
	writable bool
	now      time.Time // the unit of work's time (crm.Now): stores stamp created/updated times with it

	dirs       *dirCache // the DB's directory cache; nil: none
	dirDealer  crm.ID    // the dealer whose directory version a statement of this unit returned; zero: none yet
	dirVersion int64     // that version

	held *[]heldWrite // the writes a batch holds (Batch, batch.go); nil outside a batch

	ahead *stepsAhead // the open steps a booking's joined read found (ReadBooking), until used or an activity is written

	counts *leadCounts // the sale counts of the lead a booking's joined read locked (ReadBooking), until the lead is written

	contract *contractAhead // the credit application and appraisal a read-only contract read found, until a write
}

// leadCounts are a lead's sale counts as a drive of it copies them (lead_sales_count, lead_won_count: migration 073).
type leadCounts struct {
	lead       crm.ID
	sales, won int
}

// lock returns the locking clause for reads in this transaction: FOR UPDATE in a read-write one.
func (t *Tx) lock() string {
	if t.writable {
		return " FOR UPDATE"
	}
	return ""
}

// run runs fn as a unit of work, again on a serialization failure, a deadlock or a connection lost before
// COMMIT; key is a read-only unit's call site (readKey).
func (db *DB) run(ctx context.Context, writable bool, key uint64, fn func(ctx context.Context, tx *Tx) error) error {
	if s := db.sharedIn(ctx); s != nil {
		return s.run(ctx, writable, fn)
	}
	attempts := db.MaxAttempts
	if attempts < 1 {
		attempts = 1
	}
	var err error
	for i := 0; i < attempts; i++ {
		err = db.once(ctx, writable, key, fn)
		if err == nil || !retryable(err) && !lostBeforeCommit(err) {
			return canceledBy(ctx, err)
		}
		backoff := time.Duration(1+rand.IntN(5*(i+1))) * time.Millisecond
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
	}
	if lostBeforeCommit(err) {
		return err
	}
	return crm.E(crm.KindConflict, "postgres.Update", fmt.Errorf("gave up after %d attempts: %w", attempts, err))
}

// beginAttempts bounds how many pooled connections a BEGIN tries: every idle connection of a full pool may have
// been lost at once (a database restart terminates them all), and each is found out by one failed BEGIN.
const beginAttempts = 22

// begin starts a read-write, read committed transaction. A BEGIN that fails because its connection was lost
// before anything was sent (a backend terminated while idle in the pool, a connection reset) runs again on
// another connection, so a database restart costs no request. Errors are kernel errors: KindUnavailable when the
// database cannot be reached.
func (db *DB) begin(ctx context.Context) (*sqlx.Tx, error) {
	var err error
	for range beginAttempts {
		var tx *sqlx.Tx
		if tx, err = db.x.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted}); err == nil {
			return tx, nil
		}
		if !connectionLost(err) || dialFailed(err) || ctx.Err() != nil {
			break
		}
	}
	return nil, mapErr("postgres.Begin", err)
}

// Ping checks that the database answers, for readiness probes. Like BEGIN, a ping whose pooled connection was
// lost (a backend terminated while idle) is sent again on another connection, so a restart of the database, or
// an operator ending backends, does not make a serving process look dead. Errors are kernel errors
// (KindUnavailable when the database cannot be reached).
func (db *DB) Ping(ctx context.Context) error {
	var err error
	for range beginAttempts {
		if err = db.x.PingContext(ctx); err == nil {
			return nil
		}
		if !connectionLost(err) || dialFailed(err) || ctx.Err() != nil {
			break
		}
	}
	return mapErr("postgres.Ping", err)
}

// commitErr marks a failed COMMIT: whether it took effect is unknown, so the unit of work is never run again.
type commitErr struct{ error }

func (e commitErr) Unwrap() error { return e.error }

// lostBeforeCommit reports whether err is a connection lost before the unit's COMMIT was sent: PostgreSQL rolled
// the transaction back with the connection, so running the unit again on another connection is safe.
func lostBeforeCommit(err error) bool {
	var c commitErr
	return connectionLost(err) && !dialFailed(err) && !errors.As(err, &c)
}

// once runs fn once in a transaction: read-write and read committed for Update; for View see DB.view.
func (db *DB) once(ctx context.Context, writable bool, key uint64, fn func(ctx context.Context, tx *Tx) error) (err error) {
	if !writable {
		return db.view(ctx, key, fn)
	}
	sqlTx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	tx := &Tx{tx: sqlTx, writable: writable, now: crm.Now(ctx), dirs: db.dirs}
	returned := false // fn returned: not a panic, nor runtime.Goexit (t.FailNow in a test's fn), which recover misses
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil || !returned {
			_ = sqlTx.Rollback()
		}
	}()
	err = fn(ctx, tx)
	returned = true
	if err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return mapErr("postgres.Commit", commitErr{err})
	}
	return nil
}

// view runs a read-only unit of work so that all its statements see one snapshot, and a read of one statement is
// one statement on the wire (no BEGIN, no COMMIT). Which a unit will be is known only once it has run: the DB
// learns it per call site (key, readKey) and first statement (readShapes).
//
//   - A unit not known to send more than one statement runs as a lazyRead: its first statement, a SELECT not known
//     to be followed by others from this call site, on the
//     pool outside any transaction. If it ends there, that was the whole read. If a second statement follows, the
//     lazyRead begins a read-only repeatable-read transaction for the rest (so that writes still fail) and lets fn
//     finish undisturbed — fn sees no error of this mechanism, only the database's answers — but the first
//     statement preceded that snapshot: the DB records the key as multi-statement and runs fn again from the
//     start in a transaction of its own, whose result (fn's error, and what fn stored) is the unit's.
//   - A unit whose first statement is known to be followed by others begins that transaction before it: the same
//     round trips as the lazy begin at the second, and fn runs once.
//
// So a unit of work runs fn at most twice here (each time a serialization failure or lost connection makes DB.run
// run it again): the first time a call site, starting with a given statement, reads in more than one, and for as
// many such calls as are in flight at that moment. That is why View's fn, like Update's, must have no effect outside what it reads.
func (db *DB) view(ctx context.Context, key uint64, fn func(ctx context.Context, tx *Tx) error) error {
	l, err := db.viewOnce(ctx, key, false, fn)
	if !l.split {
		return err
	}
	db.reads.learnMulti(l.key)
	_, err = db.viewOnce(ctx, key, true, fn)
	return err
}

// viewOnce runs fn once as a lazyRead of the call site key, which begins its transaction at the first statement
// when snapshot is set (or the first statement's key is known to be followed by others), and returns it: when it
// is split, fn's reads were not one snapshot, and what fn returned must be discarded.
func (db *DB) viewOnce(ctx context.Context, key uint64, snapshot bool, fn func(ctx context.Context, tx *Tx) error) (l *lazyRead, err error) {
	l = &lazyRead{db: db.x, reads: db.reads, site: key, snapshot: snapshot}
	returned := false // fn returned: not a panic, nor runtime.Goexit (t.FailNow in a test's fn), which recover misses
	defer func() {
		p := recover()
		if !returned && l.tx != nil {
			_ = l.tx.Rollback()
		}
		if p != nil {
			panic(p)
		}
	}()
	ferr := fn(ctx, &Tx{tx: l, now: crm.Now(ctx), dirs: db.dirs})
	returned = true
	return l, l.finish(ferr)
}

// Transact implements crm.Transactor: fn gets a *Tx, which has every store. Use crm.NewUnit to get a domain's
// typed unit of work over the DB.
//
// A read-only unit (writable false, crm's View) is one read-only repeatable-read transaction, so all its reads see
// one snapshot, except that a read of one statement is sent on the pool without BEGIN and COMMIT. The DB learns
// which call sites (the callers of Transact), by their first statement, read in more than one: the first time one
// does, its first statement went out on the pool, so fn runs again from the start in a transaction begun at its
// first statement; from then on that call site, starting with that statement, begins there at once. A read-only fn may therefore run more than once even when
// nothing fails, and must start afresh on each run.
func (db *DB) Transact(ctx context.Context, writable bool, fn func(ctx context.Context, tx any) error) error {
	var key uint64
	if !writable {
		key = readKey()
	}
	return db.run(ctx, writable, key, func(ctx context.Context, tx *Tx) error { return fn(ctx, tx) })
}

// dealer returns the context's dealer or a Forbidden error.
func dealer(ctx context.Context) (crm.ID, error) { return crm.DealerFrom(ctx) }

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }

var _ crm.Stores = (*Tx)(nil)
