package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/dealercrm/dealercrm/crm"
)

// SharedTx is one read-write transaction that every unit of work run with its context joins (see DB.Share), so
// that what they write and what its owner adds at the end (the stored answer to an idempotent request, say)
// commit together or not at all. Safe for concurrent use: units of work take turns.
//
// Lifecycle: Share begins it; Commit or Rollback ends it; after either, every unit of work with its context and
// every call fails with sql.ErrTxDone. If its connection is lost (the server terminated the backend, the network
// dropped, the owning process died), PostgreSQL rolls it back: nothing it wrote is kept.
type SharedTx struct {
	db   *DB
	mu   sync.Mutex
	tx   sqlTx
	n    int  // savepoints taken, for their names
	ok   bool // false once ended
	lost bool // a statement found the connection lost: the transaction is gone
}

// sqlTx is what a shared transaction needs of *sqlx.Tx.
type sqlTx interface {
	querier
	Commit() error
	Rollback() error
}

type sharedKey struct{}

// Share begins a read-write (read committed) transaction and returns a context in which every unit of work of
// db — Update and View, through Transact and so every crm.NewUnit over db — runs inside it instead of in a
// transaction of its own. Each unit runs in a savepoint: when its fn fails (or panics), its writes are rolled
// back to the savepoint and the shared transaction goes on; a serialization failure or deadlock runs the unit
// again from its savepoint, as Update would. A View inside a shared transaction sees the writes before it, and is
// not refused writes. Nothing is committed before Commit.
//
// Like every BEGIN of db, a BEGIN that fails on a connection lost before anything was sent is retried on another
// connection. Errors are kernel errors (KindUnavailable for an unreachable database).
func (db *DB) Share(ctx context.Context) (context.Context, *SharedTx, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return ctx, nil, err
	}
	s := &SharedTx{db: db, tx: tx, ok: true}
	return context.WithValue(ctx, sharedKey{}, s), s, nil
}

// sharedIn returns the shared transaction of db that ctx carries, or nil.
func (db *DB) sharedIn(ctx context.Context) *SharedTx {
	if s, _ := ctx.Value(sharedKey{}).(*SharedTx); s != nil && s.db == db {
		return s
	}
	return nil
}

// Exec runs one statement in the shared transaction. Errors are mapped to kernel kinds like every store's.
func (s *SharedTx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ok {
		return nil, sql.ErrTxDone
	}
	res, err := s.tx.ExecContext(ctx, query, args...)
	s.lost = s.lost || connectionLost(err)
	return res, mapErr("postgres.SharedTx.Exec", err)
}

// Get runs a query of one row in the shared transaction and scans it into dest (sqlx rules). A query of no
// rows returns sql.ErrNoRows itself (not wrapped), other errors are mapped to kernel kinds.
func (s *SharedTx) Get(ctx context.Context, dest any, query string, args ...any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ok {
		return sql.ErrTxDone
	}
	err := s.tx.GetContext(ctx, dest, query, args...)
	s.lost = s.lost || connectionLost(err)
	if errors.Is(err, sql.ErrNoRows) {
		return sql.ErrNoRows
	}
	return mapErr("postgres.SharedTx.Get", err)
}

// Lost reports whether a unit of work found the connection lost: PostgreSQL has rolled the transaction back, so
// nothing it wrote is kept and running the same work again in a new shared transaction is safe.
func (s *SharedTx) Lost() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lost
}

// Commit commits everything written in the shared transaction. A failed COMMIT is ambiguous only when the
// connection was lost while it was on its way (KindUnavailable); then whether it took effect is unknown.
func (s *SharedTx) Commit() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ok {
		return sql.ErrTxDone
	}
	s.ok = false
	return mapErr("postgres.Commit", s.tx.Commit())
}

// Rollback discards everything written in the shared transaction; rolling back an ended one does nothing.
func (s *SharedTx) Rollback() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ok {
		return nil
	}
	s.ok = false
	return mapErr("postgres.Rollback", s.tx.Rollback())
}

// run runs fn as a unit of work inside the shared transaction: in a savepoint, again from it on a serialization
// failure or deadlock (up to db.MaxAttempts), rolled back to it when fn fails or panics.
func (s *SharedTx) run(ctx context.Context, writable bool, fn func(ctx context.Context, tx *Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ok {
		return crm.E(crm.KindInternal, "postgres.SharedTx", sql.ErrTxDone)
	}
	attempts := max(s.db.MaxAttempts, 1)
	var err error
	for range attempts {
		err = s.once(ctx, writable, fn)
		if connectionLost(err) {
			s.lost = true
		}
		if err == nil || !retryable(err) {
			return canceledBy(ctx, err)
		}
	}
	return crm.E(crm.KindConflict, "postgres.Update", fmt.Errorf("gave up after %d attempts: %w", attempts, err))
}

func (s *SharedTx) once(ctx context.Context, writable bool, fn func(ctx context.Context, tx *Tx) error) (err error) {
	s.n++
	sp := fmt.Sprintf("unit_%d", s.n)
	if _, err := s.tx.ExecContext(ctx, "SAVEPOINT "+sp); err != nil {
		return mapErr("postgres.Savepoint", err)
	}
	defer func() {
		p := recover()
		if p != nil || err != nil {
			if _, rerr := s.tx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT "+sp); rerr != nil && err != nil {
				err = errors.Join(err, mapErr("postgres.Savepoint", rerr))
			}
		}
		if p != nil {
			panic(p)
		}
	}()
	if err = fn(ctx, &Tx{tx: s.tx, writable: writable, now: crm.Now(ctx)}); err != nil {
		return err
	}
	if _, err = s.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+sp); err != nil {
		return mapErr("postgres.Savepoint", err)
	}
	return nil
}
