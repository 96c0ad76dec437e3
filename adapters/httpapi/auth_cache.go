package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/internal/boundedmap"
)

// CachingAuthenticator remembers what another Authenticator answered for each token for a while, so that a busy
// client does not cost a database read per request; the handler's default authenticator is one
// (Config.AuthCacheTTL). Only successful answers are kept (keyed by the token's hash, never the token), never past
// the key's own expiry when next tells it (KeyAuthenticator), and at most AuthCacheSize of them.
//
// Revocation: a key revoked through ForgetToken (the handler's route does it) or noted in the record of revoked
// keys the cache follows (FollowRevocations: the deployment's crm.Revocations, which every crm.Team given it
// notes in) is refused from the moment the revocation returns, also when a request that read the key before the
// revocation finishes after it (an answer read before a ForgetToken or a noted revocation is not kept). A key
// revoked in another process, by a Team that notes in no record or another one, or a changed role, is noticed
// when the entry expires, within the TTL: keep it short.
type CachingAuthenticator struct {
	next  Authenticator
	ttl   time.Duration
	clock crm.Clock

	mu sync.Mutex
	// entries are the answers kept, at most AuthCacheSize; when full, the expired ones go first (boundedmap).
	entries *boundedmap.Map[tokenHash, cachedUser]
	// gen counts the forgettings (ForgetToken, a revocation noted in revocations): an answer read while it moved
	// may predate the revocation, so it is returned but not kept.
	gen uint64
	// revocations is the record of revoked keys the cache follows (FollowRevocations); nil: none.
	revocations *crm.Revocations
	// revoked is how many of revocations' noted revocations (crm.Revocations.Count) the entries reflect.
	revoked uint64
}

// tokenHash is a token's SHA-256, the cache's key: the bytes of crm.HashToken's hex.
type tokenHash [sha256.Size]byte

// hashOf hashes token without allocating (a token of up to 128 bytes is copied on the stack).
func hashOf(token string) tokenHash {
	var buf [128]byte
	if len(token) <= len(buf) {
		return sha256.Sum256(append(buf[:0], token...))
	}
	return sha256.Sum256([]byte(token))
}

type cachedUser struct {
	user    crm.User
	expires time.Time
}

// DefaultAuthCacheTTL is how long the handler's default authenticator remembers a token's user (Config.AuthCacheTTL).
const DefaultAuthCacheTTL = 5 * time.Second

// AuthCacheSize is how many tokens a CachingAuthenticator keeps at most. When a new answer finds it full, the
// expired entries are dropped and then, while more than half of it is taken, arbitrary ones: those tokens are
// read again at their next request (the cache no longer empties itself at once).
const AuthCacheSize = 10_000

// NewCachingAuthenticator caches next's answers for ttl by clock (at most AuthCacheSize tokens; crm.SystemClock
// when clock is nil). It follows no record of revoked keys until FollowRevocations.
func NewCachingAuthenticator(next Authenticator, ttl time.Duration, clock crm.Clock) *CachingAuthenticator {
	if clock == nil {
		clock = crm.SystemClock{}
	}
	c := &CachingAuthenticator{next: next, ttl: ttl, clock: clock}
	c.entries = boundedmap.New(AuthCacheSize, c.expired)
	return c
}

// expired reports whether e is past its expiry (the entries dropped first when the cache is full).
func (c *CachingAuthenticator) expired(_ tokenHash, e cachedUser) bool {
	return !c.clock.Now().Before(e.expires)
}

// FollowRevocations makes c forget, at its next request, the token of every key noted in r (the deployment's
// record of revoked keys, which its crm.Teams note in: crm.WithRevocations), and returns c. The handler's
// default authenticator follows Config.Revocations. Call it before c answers; called later, c starts afresh
// (it forgets every token it remembers). A nil r follows none.
func (c *CachingAuthenticator) FollowRevocations(r *crm.Revocations) *CachingAuthenticator {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.revocations = r
	if r != nil {
		c.revoked = r.Count()
	}
	c.entries.Clear()
	c.gen++
	return c
}

// Authenticate answers from the cache while the token's entry is fresh, and asks next otherwise. A hit allocates
// nothing.
func (c *CachingAuthenticator) Authenticate(ctx context.Context, token string) (crm.User, error) {
	key, now := hashOf(token), c.clock.Now()
	c.mu.Lock()
	c.syncRevocations()
	e, ok := c.entries.Get(key)
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.user, nil
	}
	expires := now.Add(c.ttl)
	var u crm.User
	var err error
	if ka, ok := c.next.(keyAuthenticator); ok {
		var k crm.APIKey
		u, k, err = ka.AuthenticateKey(ctx, token)
		if err == nil && k.ExpiresAt != nil && k.ExpiresAt.Before(expires) {
			expires = *k.ExpiresAt
		}
	} else {
		u, err = c.next.Authenticate(ctx, token)
	}
	if err != nil {
		return crm.User{}, err
	}
	c.mu.Lock()
	c.syncRevocations()
	if c.gen == gen { // nothing was forgotten while next answered: the answer postdates every revocation known here
		c.entries.Put(key, cachedUser{user: u, expires: expires})
	}
	c.mu.Unlock()
	return u, nil
}

// syncRevocations drops the entries of the keys noted revoked in the record c follows since the last call
// (crm.Revocations.Since), all of them when it fell too far behind; c.mu is held. Without a new revocation it is
// one atomic load.
func (c *CachingAuthenticator) syncRevocations() {
	if c.revocations == nil || c.revocations.Count() == c.revoked {
		return
	}
	n, all := c.revocations.Since(c.revoked, c.forget)
	if all {
		c.entries.Clear()
	}
	c.revoked = n
	c.gen++
}

// forget drops the entry of the token with this hex hash; c.mu is held.
func (c *CachingAuthenticator) forget(hash string) {
	var key tokenHash
	if n, err := hex.Decode(key[:], []byte(hash)); err != nil || n != len(key) {
		return // not a hash of crm.HashToken: no entry has it
	}
	c.entries.Delete(key)
}

// ForgetToken drops the cached answer for the token with this hash (crm.HashToken), so that the next request asks
// next again; an answer next is giving for it at the time is not kept either.
func (c *CachingAuthenticator) ForgetToken(hash string) {
	c.mu.Lock()
	c.forget(hash)
	c.gen++
	c.mu.Unlock()
}
