package crm

import "context"

// UnitOfWork runs fn in one transaction over the stores in S: all writes commit when fn returns nil and are
// discarded otherwise (a panic too, which is re-raised). fn may run more than once, in Update and in View alike
// (the PostgreSQL adapter retries serialization failures and deadlocks, and runs a read again to give it one
// snapshot), so it must have no side effects except through s — notices go to the outbox in s and are sent after
// commit — and must start afresh on each run: what it collects into variables of its caller it resets first
// (out = out[:0]), and only the last run's result counts.
//
// S is the bundle of stores one domain needs, declared by that domain (leads.Stores, sales.Stores, ...). Every
// adapter has one transaction type with every store accessor, so it satisfies each bundle by structure.
type UnitOfWork[S any] interface {
	// Update runs fn in a read-write transaction.
	Update(ctx context.Context, fn func(ctx context.Context, s S) error) error
	// View runs fn in a read-only transaction: every read of fn sees one snapshot of the data; writes through s
	// fail. Like Update's, fn may run more than once (the PostgreSQL adapter runs it again, the first time a call
	// site reads in more than one statement, to take its first read into the snapshot).
	View(ctx context.Context, fn func(ctx context.Context, s S) error) error
}

// Stores is the kernel's own bundle: dealers, users, customers, API keys, documents and the
// outbox.
type Stores interface {
	Dealers() DealerStore
	Users() UserStore
	Customers() CustomerStore
	Outbox() OutboxStore
	APIKeys() APIKeyStore
	Documents() DocumentStore
}
