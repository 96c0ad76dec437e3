package httpapi

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCachingAuthenticator(t *testing.T) {
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	var mu sync.Mutex
	calls := 0
	known := map[string]crm.User{"good": {Name: "Мария", Role: crm.RoleSalesManager}}
	next := AuthenticatorFunc(func(_ context.Context, token string) (crm.User, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		u, ok := known[token]
		if !ok {
			return crm.User{}, &crm.Error{Kind: crm.KindUnauthenticated, Message: "unknown"}
		}
		return u, nil
	})
	c := NewCachingAuthenticator(next, 10*time.Second, clock)
	ctx := context.Background()

	for i := 0; i < 3; i++ {
		u, err := c.Authenticate(ctx, "good")
		require.NoError(t, err)
		assert.Equal(t, "Мария", u.Name)
	}
	assert.Equal(t, 1, calls, "answered from the cache")

	for i := 0; i < 2; i++ {
		_, err := c.Authenticate(ctx, "bad")
		assert.True(t, errors.Is(err, crm.ErrUnauthenticated))
	}
	assert.Equal(t, 3, calls, "refusals are never cached")

	mu.Lock()
	delete(known, "good") // revoked
	mu.Unlock()
	_, err := c.Authenticate(ctx, "good")
	require.NoError(t, err, "still fresh")
	clock.Advance(10 * time.Second)
	_, err = c.Authenticate(ctx, "good")
	assert.True(t, errors.Is(err, crm.ErrUnauthenticated), "noticed once the entry expired")
}

// revokeInStore revokes every key of user as another process would: in the database, not through this handler.
func (f *fixture) revokeInStore(d dealerFixture, user crm.ID) {
	f.t.Helper()
	at := f.clock.Now()
	err := crm.NewUnit[crm.Stores](f.db, f.clock).Update(d.ctx, func(ctx context.Context, s crm.Stores) error {
		keys, err := s.APIKeys().ListByUser(ctx, user)
		if err != nil {
			return err
		}
		for i := range keys {
			keys[i].RevokedAt = &at
			if err := s.APIKeys().Update(ctx, &keys[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// The handler's default authenticator remembers a token's user for DefaultAuthCacheTTL: a key revoked elsewhere
// still works until then; with a negative AuthCacheTTL it is refused at once.
func TestDefaultAuthenticatorCachesTokens(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	f.must(200, get("/api/v1/me", tok))
	f.revokeInStore(f.a, f.a.users[crm.RoleSalesManager].ID)
	f.must(200, get("/api/v1/me", tok))
	f.clock.Advance(DefaultAuthCacheTTL - time.Millisecond)
	f.must(200, get("/api/v1/me", tok))
	f.clock.Advance(time.Millisecond)
	f.must(401, get("/api/v1/me", tok))

	f = newFixture(t, func(c *Config) { c.AuthCacheTTL = -1 })
	tok = f.a.token(crm.RoleSalesManager)
	f.must(200, get("/api/v1/me", tok))
	f.revokeInStore(f.a, f.a.users[crm.RoleSalesManager].ID)
	f.must(401, get("/api/v1/me", tok))
}

// TestCachingAuthenticatorHitAllocatesNothing: a fresh entry answers without an allocation, and ForgetToken takes
// crm.HashToken's hex.
func TestCachingAuthenticatorHitAllocatesNothing(t *testing.T) {
	u := crm.User{Name: "Мария", Role: crm.RoleReadOnly}
	next := AuthenticatorFunc(func(ctx context.Context, token string) (crm.User, error) { return u, nil })
	c := NewCachingAuthenticator(next, time.Minute, crm.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	token := "dcrm_" + strings.Repeat("x", 43)
	ctx := context.Background()
	if _, err := c.Authenticate(ctx, token); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = c.Authenticate(ctx, token) }); n != 0 {
		t.Errorf("a cache hit allocates %.0f times", n)
	}
	c.ForgetToken(crm.HashToken(token))
	if len(c.entries) != 0 {
		t.Errorf("ForgetToken left %d entries", len(c.entries))
	}
}
