package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// DB is an in-memory database of every store. The zero value is not usable; call New.
type DB struct {
	mu     sync.RWMutex // held exclusively by a read-write unit of work, shared by read-only ones
	tables sync.Map     // name → *table[K, V], created on first use; read without a lock on every store call
}

// New returns an empty in-memory database.
func New() *DB {
	return &DB{}
}

// Tx is one unit of work over the DB. It satisfies every domain's Stores bundle.
type Tx struct {
	db       *DB
	writable bool
	now      time.Time // the unit of work's time (crm.Now): stores stamp created/updated times with it
	undo     []func()
}

var errReadOnly = crm.Forbidden("memory.Tx", "write in a read-only unit of work")

func (db *DB) update(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	tx := &Tx{db: db, writable: true, now: crm.Now(ctx)}
	defer func() {
		if p := recover(); p != nil {
			tx.rollback()
			panic(p)
		}
		if err != nil {
			tx.rollback()
		}
	}()
	return fn(ctx, tx)
}

func (db *DB) view(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	return fn(ctx, &Tx{db: db, now: crm.Now(ctx)})
}

func (tx *Tx) rollback() {
	for i := len(tx.undo) - 1; i >= 0; i-- {
		tx.undo[i]()
	}
	tx.undo = nil
}

// Transact implements crm.Transactor: fn gets a *Tx, which has every store. Use crm.NewUnit to get a domain's
// typed unit of work over the DB.
func (db *DB) Transact(ctx context.Context, writable bool, fn func(ctx context.Context, tx any) error) error {
	run := func(ctx context.Context, tx *Tx) error { return fn(ctx, tx) }
	if writable {
		return db.update(ctx, run)
	}
	return db.view(ctx, run)
}

// tableOf returns the table called name, creating it on first use. All uses of one name must agree on K and V.
func tableOf[K comparable, V any](db *DB, name string) *table[K, V] {
	t, ok := db.tables.Load(name)
	if !ok {
		t, _ = db.tables.LoadOrStore(name, &table[K, V]{rows: map[K]V{}})
	}
	return asTable[K, V](name, t)
}

// asTable is t as the table called name; it panics when two uses of the name disagree on the types.
func asTable[K comparable, V any](name string, t any) *table[K, V] {
	tt, ok := t.(*table[K, V])
	if !ok {
		panic(fmt.Sprintf("memory: table %q used with two types", name))
	}
	return tt
}

var _ crm.Stores = (*Tx)(nil)

// dbState returns the DB's value called name (an index that is not a table), made by mk on first use.
func dbState[T any](db *DB, name string, mk func() *T) *T {
	v, ok := db.tables.Load(name)
	if !ok {
		v, _ = db.tables.LoadOrStore(name, mk())
	}
	t, ok := v.(*T)
	if !ok {
		panic(fmt.Sprintf("memory: %q used with two types", name))
	}
	return t
}
