package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// CachingAuthenticator remembers what another Authenticator answered for each token for a while, so that a busy
// client does not cost a database read per request; the handler's default authenticator is one
// (Config.AuthCacheTTL). Only successful answers are kept (keyed by the token's
// hash, never the token), never past the key's own expiry when next tells it (KeyAuthenticator). A key revoked
// through this process's handler is forgotten at once (ForgetToken); one revoked elsewhere, or a changed role, is
// noticed when its entry expires, so keep TTL short.
type CachingAuthenticator struct {
	next  Authenticator
	ttl   time.Duration
	clock crm.Clock
	max   int // entries kept at most; beyond it the cache is emptied

	mu      sync.Mutex
	entries map[tokenHash]cachedUser
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

// AuthCacheSize is how many tokens a CachingAuthenticator keeps at most; past it the cache starts afresh.
const AuthCacheSize = 10_000

// NewCachingAuthenticator caches next's answers for ttl by clock (at most AuthCacheSize tokens; crm.SystemClock
// when clock is nil).
func NewCachingAuthenticator(next Authenticator, ttl time.Duration, clock crm.Clock) *CachingAuthenticator {
	if clock == nil {
		clock = crm.SystemClock{}
	}
	return &CachingAuthenticator{next: next, ttl: ttl, clock: clock, max: AuthCacheSize, entries: map[tokenHash]cachedUser{}}
}

// Authenticate answers from the cache while the token's entry is fresh, and asks next otherwise. A hit allocates
// nothing.
func (c *CachingAuthenticator) Authenticate(ctx context.Context, token string) (crm.User, error) {
	key, now := hashOf(token), c.clock.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
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
	if len(c.entries) >= c.max {
		c.entries = map[tokenHash]cachedUser{}
	}
	c.entries[key] = cachedUser{user: u, expires: expires}
	c.mu.Unlock()
	return u, nil
}

// ForgetToken drops the cached answer for the token with this hash (crm.HashToken), so that the next request asks
// next again.
func (c *CachingAuthenticator) ForgetToken(hash string) {
	var key tokenHash
	if n, err := hex.Decode(key[:], []byte(hash)); err != nil || n != len(key) {
		return // not a hash of crm.HashToken: no entry has it
	}
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}
