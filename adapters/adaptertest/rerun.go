package adaptertest

import "context"

// RerunReads returns b with every read-only unit of work run twice: fn runs, between is called (when not nil),
// and fn runs again, whose result is the unit's. Any adapter may run a View's fn more than once (crm.UnitOfWork:
// the PostgreSQL adapter does so the first time a call site reads in more than one statement), so a function
// that keeps something of its first run — an append to a slice of its caller, a default assigned to a captured
// parameter, a flag set only when something is found — answers wrong; on memory, which never runs it twice,
// only a test through RerunReads shows it. between may change the data (through b) to tell the runs apart.
// Read-write units run as b runs them.
func RerunReads(b Backend, between func()) Backend { return rerunReads{b: b, between: between} }

type rerunReads struct {
	b       Backend
	between func()
}

func (r rerunReads) Transact(ctx context.Context, writable bool, fn func(ctx context.Context, tx any) error) error {
	if writable {
		return r.b.Transact(ctx, writable, fn)
	}
	_ = r.b.Transact(ctx, writable, fn)
	if r.between != nil {
		r.between()
	}
	return r.b.Transact(ctx, writable, fn)
}
