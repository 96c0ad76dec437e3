package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// IdempotencyKey names one Idempotency-Key of one user of one dealer: keys of different users never meet.
type IdempotencyKey struct {
	DealerID crm.ID
	UserID   crm.ID
	Key      string
}

// StoredResponse is a response kept for replay: status, the headers that matter and the exact body.
type StoredResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// IdempotencyRecord is what a store holds under a key: the fingerprint of the first request (a hash of method,
// path, query and body), whether it is still executing, and its response once it finished.
type IdempotencyRecord struct {
	Fingerprint string
	Pending     bool
	Response    StoredResponse
	CreatedAt   time.Time
}

// IdempotencyStore keeps the first response to each idempotency key. Implementations must make Begin atomic: of
// two concurrent Begin calls for one absent key exactly one gets claimed == true.
type IdempotencyStore interface {
	// Begin claims key for a new request: when no live record exists (none, or older than the store's lifetime
	// at now) it saves a pending record with fingerprint and returns claimed == true; otherwise it returns the
	// existing record and claimed == false.
	Begin(ctx context.Context, key IdempotencyKey, fingerprint string, now time.Time) (rec IdempotencyRecord, claimed bool, err error)
	// Complete stores the response of the claimed key's request; the record stops being pending.
	Complete(ctx context.Context, key IdempotencyKey, resp StoredResponse) error
	// Release forgets a pending claim whose request did not finish (a server error, a panic), so a retry runs.
	Release(ctx context.Context, key IdempotencyKey) error
}

// AtomicIdempotencyStore is an IdempotencyStore that can keep a response in the same transaction as the writes of
// the request it answers (pgidempotency.Store). The handler prefers Atomic when the store has it: then after any
// crash a key either holds the answer of a write that committed with it, or nothing happened and the key is free.
type AtomicIdempotencyStore interface {
	IdempotencyStore
	// Atomic claims key for a request with fingerprint and runs serve in one transaction that the claim, every
	// unit of work run with serve's context, and serve's response all belong to; it commits them together when
	// serve returns keep == true and rolls everything back otherwise (a server error is not kept, so a retry runs
	// again). When a live record exists serve does not run: Atomic returns the record with claimed == false (a
	// claim in flight elsewhere is waited for until it ends or ctx is done; then the record returned is pending).
	// After an error, nothing serve wrote is kept and the key is free — except when the connection was lost on
	// the COMMIT itself, whose outcome a retry with the key finds out. serve may run more than once: a store
	// whose transaction died under serve before anything committed may run it again, as a retry would.
	Atomic(ctx context.Context, key IdempotencyKey, fingerprint string, now time.Time,
		serve func(ctx context.Context) (resp StoredResponse, keep bool)) (rec IdempotencyRecord, claimed bool, err error)
}
