package crm

import "context"

// Batcher is an optional capability of a unit of work's stores (discovered with a type assertion, as
// database/sql/driver's optional interfaces are): the writes the stores make inside fn are held and sent to the
// database together when fn returns — on PostgreSQL one statement, so one round trip for all of them — and a
// write's error is returned then, by Batch, as the store would have returned it (a stale version, a violated
// constraint mapped to the domain's error). A failed fn discards the writes it held.
//
// What fn may do: write records that do not depend on each other — no read (a read inside fn does not see the
// writes held before it), no record written twice, no write needing another held write to have happened (an
// update of a record inserted in the same batch). A store's write returns nil when it is held and sets the
// record's version, stamps and ID at once, as if it had been written (so a copy made inside fn is what was
// written); when Batch returns an error, the unit of work fails and those values mean nothing.
type Batcher interface {
	Batch(ctx context.Context, fn func(ctx context.Context) error) error
}

// Batch runs fn through st's Batcher when st has one (the writes of fn sent together), and calls fn as it is
// otherwise: the result is the same, in more round trips.
func Batch(ctx context.Context, st any, fn func(ctx context.Context) error) error {
	if b, ok := st.(Batcher); ok {
		return b.Batch(ctx, fn)
	}
	return fn(ctx)
}
