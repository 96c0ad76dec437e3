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
