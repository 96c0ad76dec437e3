package crm

import (
	"sync"
	"sync/atomic"
)

// Revocations is one deployment's record of the API keys revoked in it, so that every authenticator of the
// deployment that remembers tokens (httpapi.CachingAuthenticator) forgets a revoked one at once, whichever Team
// revoked it: the HTTP handler's, or one the embedder made with NewTeam over the same storage. A program makes
// one (adapters/stack does) and hands it to each of its Teams (WithRevocations) and to its caching
// authenticators; two stacks of one process are two deployments and keep two records.
//
// It keeps the hashes of the last 256 revocations: an authenticator further behind forgets everything it
// remembers. The zero value is an empty record, ready to use; it is safe for concurrent use and must not be
// copied after first use.
type Revocations struct {
	n    atomic.Uint64 // revocations so far; revocation i (from 1) is in ring[(i-1)%keptRevocations]
	mu   sync.Mutex    // held while ring and n change together, and while Since reads them
	ring [keptRevocations]string
}

// keptRevocations is how many of the latest revocations a Revocations keeps.
const keptRevocations = 256

// NoteKeyRevoked adds the key with this token hash (HashToken) to the record. A Team given the record calls it
// after a revocation commits; an embedder that revokes keys by writing the store itself calls it too.
func (r *Revocations) NoteKeyRevoked(hash string) {
	r.mu.Lock()
	i := r.n.Load()
	r.ring[i%keptRevocations] = hash
	r.n.Store(i + 1)
	r.mu.Unlock()
}

// Count returns how many keys have been noted revoked so far: a caller that remembers tokens compares it with
// the count it last saw, one atomic load, to know whether to ask Since.
func (r *Revocations) Count() uint64 { return r.n.Load() }

// Since calls forget with the hash of every key noted revoked after the first seen revocations and returns the
// count now; all is true (and forget is not called) when more than the record keeps (256) happened since, or
// seen is ahead of the record (a count of another record): the caller must then forget every token it
// remembers. forget runs with the record locked: it must not call the record.
func (r *Revocations) Since(seen uint64, forget func(hash string)) (now uint64, all bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now = r.n.Load()
	if now-seen > keptRevocations || seen > now {
		return now, true
	}
	for i := seen; i < now; i++ {
		forget(r.ring[i%keptRevocations])
	}
	return now, false
}
