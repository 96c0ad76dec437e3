package crm

import (
	"sync"
	"sync/atomic"
)

// The process's record of the API keys revoked in it (Team.RevokeAPIKey), so that every authenticator of the
// process that remembers tokens (httpapi.CachingAuthenticator) forgets a revoked one at once, whichever Team
// revoked it: the handler's, or one an embedder made with NewTeam over the same database. It keeps the hashes of
// the last keptRevocations revocations; an authenticator further behind forgets everything it remembers.
var revocations struct {
	n    atomic.Uint64 // revocations so far; revocation i (from 1) is in ring[(i-1)%keptRevocations]
	mu   sync.Mutex
	ring [keptRevocations]string
}

// keptRevocations is how many of the latest revocations the process's record keeps.
const keptRevocations = 256

// NoteKeyRevoked adds the key with this token hash (HashToken) to the process's record of revoked keys. Team
// calls it after a revocation commits; an embedder that revokes keys in the store itself calls it too.
func NoteKeyRevoked(hash string) {
	revocations.mu.Lock()
	i := revocations.n.Load()
	revocations.ring[i%keptRevocations] = hash
	revocations.n.Store(i + 1)
	revocations.mu.Unlock()
}

// KeyRevocations returns how many keys have been revoked in this process so far (NoteKeyRevoked): a caller that
// remembers tokens compares it with the count it last saw, one atomic load, to know whether to ask
// KeysRevokedSince.
func KeyRevocations() uint64 { return revocations.n.Load() }

// KeysRevokedSince calls forget with the hash of every key revoked after the first seen revocations of the
// process and returns the count now; all is true (and forget is not called) when more than the record keeps
// (256) happened since: the caller must then forget every token it remembers.
func KeysRevokedSince(seen uint64, forget func(hash string)) (now uint64, all bool) {
	revocations.mu.Lock()
	defer revocations.mu.Unlock()
	now = revocations.n.Load()
	if now-seen > keptRevocations || seen > now {
		return now, true
	}
	for i := seen; i < now; i++ {
		forget(revocations.ring[i%keptRevocations])
	}
	return now, false
}
