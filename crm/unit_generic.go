package crm

import (
	"context"
	"fmt"
	"time"
)

// Transactor is a storage adapter seen from the kernel: Transact runs fn in one transaction (read-write when
// writable) and hands fn the adapter's transaction value, which has every store accessor of the adapter
// (*memory.Tx, *postgres.Tx). The same commit, rollback and retry promises as UnitOfWork hold. Code outside
// the adapters does not call it; it asks NewUnit for a typed unit of work instead.
type Transactor interface {
	Transact(ctx context.Context, writable bool, fn func(ctx context.Context, tx any) error) error
}

// NewUnit returns the unit of work over the bundle S that t's transactions satisfy: the one line that gives any
// domain, present or future, its unit of work on any adapter (crm.NewUnit[leads.Stores](db, clock)).
//
// Every Update and View takes its time from clock once (SystemClock when nil), truncated to TimePrecision, and
// hands it to fn's context (see Now); stores stamp CreatedAt and UpdatedAt with it, so a unit of work has one
// now, also across the adapter's retries.
//
// A transaction that lacks a store of S makes every call fail with an error naming both types; an adapter
// proves at compile time that it satisfies a bundle with `var _ leads.Stores = (*Tx)(nil)`.
func NewUnit[S any](t Transactor, clock Clock) UnitOfWork[S] {
	if clock == nil {
		clock = SystemClock{}
	}
	return unit[S]{t: t, clock: clock}
}

type unit[S any] struct {
	t     Transactor
	clock Clock
}

// Transactor returns the adapter the unit runs on, for a caller that uses one of its optional interfaces
// (APIKeyAuthenticator): TransactorOf.
func (u unit[S]) Transactor() Transactor { return u.t }

// TransactorOf returns the adapter under a unit of work made by NewUnit; false for any other UnitOfWork.
func TransactorOf[S any](uow UnitOfWork[S]) (Transactor, bool) {
	u, ok := uow.(interface{ Transactor() Transactor })
	if !ok {
		return nil, false
	}
	return u.Transactor(), true
}

func (u unit[S]) Update(ctx context.Context, fn func(ctx context.Context, s S) error) error {
	return u.run(ctx, true, fn)
}

func (u unit[S]) View(ctx context.Context, fn func(ctx context.Context, s S) error) error {
	return u.run(ctx, false, fn)
}

func (u unit[S]) run(ctx context.Context, writable bool, fn func(ctx context.Context, s S) error) error {
	ctx = withNow(ctx, StorageTime(u.clock.Now()))
	return u.t.Transact(ctx, writable, func(ctx context.Context, tx any) error {
		s, ok := tx.(S)
		if !ok {
			var want *S
			return fmt.Errorf("crm.NewUnit: the transaction %T does not provide the stores of %T", tx, want)
		}
		if err := fn(ctx, s); err != nil {
			return err
		}
		if writable {
			if check, ok := ctx.Value(commitCheckKey{}).(func() error); ok {
				return check()
			}
		}
		return nil
	})
}

type commitCheckKey struct{}

// WithCommitCheck returns ctx whose writable units of work call check after their function succeeds and before
// they commit: an error from check rolls the unit back and is what Update returns. The HTTP layer uses it to let
// a request whose body partly misfits run the domain's validation (so one answer names every field) without ever
// committing the members that fit.
func WithCommitCheck(ctx context.Context, check func() error) context.Context {
	return context.WithValue(ctx, commitCheckKey{}, check)
}

// TimePrecision is the precision of every stored time: what PostgreSQL keeps (microseconds). Units of work
// truncate their now to it once, so a time read back equals the time written on every adapter.
const TimePrecision = time.Microsecond

// StorageTime returns t in UTC truncated to TimePrecision. Only the kernel and the adapters call it; domain code
// takes its time from Now.
func StorageTime(t time.Time) time.Time { return t.UTC().Truncate(TimePrecision) }

type nowKey struct{}

// nowCtx is a context carrying its unit of work's now: one allocation (a context.WithValue node would box the
// time in a second one), and Value answers nowKey with a pointer into the node.
type nowCtx struct {
	context.Context
	now time.Time
}

func (c *nowCtx) Value(key any) any {
	if _, ok := key.(nowKey); ok {
		return &c.now
	}
	return c.Context.Value(key)
}

func withNow(ctx context.Context, now time.Time) context.Context {
	return &nowCtx{Context: ctx, now: now}
}

// Now returns the time of the unit of work ctx belongs to (the context NewUnit hands to fn): taken once per
// unit, in UTC, truncated to TimePrecision. Outside a unit of work it returns the system clock's time,
// truncated alike.
func Now(ctx context.Context) time.Time {
	if t, ok := ctx.Value(nowKey{}).(*time.Time); ok {
		return *t
	}
	return StorageTime(time.Now())
}
