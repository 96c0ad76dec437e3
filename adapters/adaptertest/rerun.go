package adaptertest

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// RerunReads returns b with every read-only unit of work run twice: fn runs, between is called (when not nil),
// and fn runs again, whose result is the unit's. Any adapter may run a View's fn more than once (crm.UnitOfWork:
// the PostgreSQL adapter does so the first time a call site reads in more than one statement), so a function
// that keeps something of its first run — an append to a slice of its caller, a default assigned to a captured
// parameter, a flag set only when something is found — answers wrong; on memory, which never runs it twice,
// only a test through RerunReads shows it. between may change the data (through b) to tell the runs apart.
// Read-write units run as b runs them. The optional capabilities of b itself (crm.APIKeyAuthenticator) are
// kept: a one-statement authentication is no unit of work. The stores' in-place readers (catalog.VehicleReader,
// which only an adapter that runs each read once may offer) are not hidden, so catalog.Service.ReadVehicle and
// ReadVehicles, whose fn sees every vehicle of every run through them, are not for a test through RerunReads.
func RerunReads(b Backend, between func()) Backend {
	r := rerunReads{b: b, between: between}
	if a, ok := b.(crm.APIKeyAuthenticator); ok {
		return rerunReadsAuth{r, a}
	}
	return r
}

// rerunReadsAuth is a rerunReads over a backend that authenticates in one statement.
type rerunReadsAuth struct {
	rerunReads
	auth crm.APIKeyAuthenticator
}

// AuthenticateAPIKey implements crm.APIKeyAuthenticator by the backend's own.
func (r rerunReadsAuth) AuthenticateAPIKey(ctx context.Context, hash string, now, staleBefore time.Time) (crm.APIKey, crm.User, error) {
	return r.auth.AuthenticateAPIKey(ctx, hash, now, staleBefore)
}

type rerunReads struct {
	b       Backend
	between func()
}

// Transact implements crm.Transactor: a read-only unit runs fn twice, a read-write one as b runs it.
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
