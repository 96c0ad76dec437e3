package httpapi

import (
	"context"
	"sync"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// CachingAuthenticator remembers what another Authenticator answered for each token for a while, so that a busy
// client does not cost a database transaction per request. Only successful answers are kept (keyed by the token's
// hash, never the token); a revoked key or a changed role is noticed when its entry expires, so keep TTL short.
type CachingAuthenticator struct {
	next  Authenticator
	ttl   time.Duration
	clock crm.Clock
	max   int // entries kept at most; beyond it the cache is emptied

	mu      sync.Mutex
	entries map[string]cachedUser
}

type cachedUser struct {
	user    crm.User
	expires time.Time
}

// NewCachingAuthenticator caches next's answers for ttl by clock (at most 10,000 tokens).
func NewCachingAuthenticator(next Authenticator, ttl time.Duration, clock crm.Clock) *CachingAuthenticator {
	return &CachingAuthenticator{next: next, ttl: ttl, clock: clock, max: 10_000, entries: map[string]cachedUser{}}
}

// Authenticate answers from the cache while the token's entry is fresh, and asks next otherwise.
func (c *CachingAuthenticator) Authenticate(ctx context.Context, token string) (crm.User, error) {
	key, now := crm.HashToken(token), c.clock.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.user, nil
	}
	u, err := c.next.Authenticate(ctx, token)
	if err != nil {
		return crm.User{}, err
	}
	c.mu.Lock()
	if len(c.entries) >= c.max {
		c.entries = map[string]cachedUser{}
	}
	c.entries[key] = cachedUser{user: u, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return u, nil
}
