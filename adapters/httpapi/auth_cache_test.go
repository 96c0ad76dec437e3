package httpapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/internal/boundedmap"
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
	if c.entries.Len() != 0 {
		t.Errorf("ForgetToken left %d entries", c.entries.Len())
	}
}

// raceNext is an authenticator whose first answer waits: it has read a valid key and not answered yet, as a
// request in flight while the key is revoked (outside review D2). After revoke, it refuses.
type raceNext struct {
	mu       sync.Mutex
	revoked  bool
	first    bool
	readDone chan struct{}
	release  chan struct{}
}

func newRaceNext() *raceNext {
	return &raceNext{first: true, readDone: make(chan struct{}), release: make(chan struct{})}
}

func (n *raceNext) Authenticate(_ context.Context, _ string) (crm.User, error) {
	n.mu.Lock()
	r, f := n.revoked, n.first
	n.first = false
	n.mu.Unlock()
	if r {
		return crm.User{}, &crm.Error{Kind: crm.KindUnauthenticated, Message: "revoked"}
	}
	if f {
		close(n.readDone)
		<-n.release
	}
	return crm.User{Name: "Мария"}, nil
}

func (n *raceNext) revoke() {
	n.mu.Lock()
	n.revoked = true
	n.mu.Unlock()
}

// TestCachingAuthenticatorKeepsNoAnswerReadBeforeARevocation: a request that read the key before the revocation
// and answers after it gets its (then valid) answer, but the cache does not keep it, so the next request is
// refused — whether the revocation reached the cache by ForgetToken (the HTTP route) or by the record of
// revocations it follows (crm.Team.RevokeAPIKey, crm.Revocations.NoteKeyRevoked). Deterministic: the in-flight
// answer waits on a channel (outside review D2).
func TestCachingAuthenticatorKeepsNoAnswerReadBeforeARevocation(t *testing.T) {
	var revocations crm.Revocations
	for name, forget := range map[string]func(c *CachingAuthenticator, hash string){
		"ForgetToken":    func(c *CachingAuthenticator, hash string) { c.ForgetToken(hash) },
		"NoteKeyRevoked": func(_ *CachingAuthenticator, hash string) { revocations.NoteKeyRevoked(hash) },
	} {
		t.Run(name, func(t *testing.T) {
			clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
			next := newRaceNext()
			c := NewCachingAuthenticator(next, 5*time.Second, clock).FollowRevocations(&revocations)
			token := "tok-" + name
			var wg sync.WaitGroup
			wg.Add(1)
			var inFlight error
			go func() {
				defer wg.Done()
				_, inFlight = c.Authenticate(context.Background(), token)
			}()
			<-next.readDone
			next.revoke()
			forget(c, crm.HashToken(token))
			close(next.release)
			wg.Wait()
			require.NoError(t, inFlight, "the request in flight read the key before the revocation")
			u, err := c.Authenticate(context.Background(), token)
			assert.True(t, errors.Is(err, crm.ErrUnauthenticated), "revoked token accepted after the revocation returned: %q, %v", u.Name, err)
		})
	}
}

// TestCachingAuthenticatorForgetsKeysRevokedInItsRecord: a key noted revoked in a record (as a crm.Team given it
// does after the commit) is dropped from every cache that follows the record at its next request; an unrelated
// entry stays; a cache that follows another record, or none, keeps it (another deployment: within the TTL); a
// cache more than the record keeps behind forgets everything.
func TestCachingAuthenticatorForgetsKeysRevokedInItsRecord(t *testing.T) {
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	var mu sync.Mutex
	calls := map[string]int{}
	next := AuthenticatorFunc(func(_ context.Context, token string) (crm.User, error) {
		mu.Lock()
		defer mu.Unlock()
		calls[token]++
		return crm.User{Name: token}, nil
	})
	var revocations, elsewhere crm.Revocations
	c1 := NewCachingAuthenticator(next, time.Hour, clock).FollowRevocations(&revocations)
	c2 := NewCachingAuthenticator(next, time.Hour, clock).FollowRevocations(&revocations)
	other := NewCachingAuthenticator(next, time.Hour, clock).FollowRevocations(&elsewhere)
	none := NewCachingAuthenticator(next, time.Hour, clock)
	ctx := context.Background()
	all := []*CachingAuthenticator{c1, c2, other, none}
	for _, c := range all {
		for _, tok := range []string{"keep", "drop"} {
			_, err := c.Authenticate(ctx, tok)
			require.NoError(t, err)
		}
	}
	revocations.NoteKeyRevoked(crm.HashToken("drop"))
	for _, c := range all {
		for _, tok := range []string{"keep", "drop"} {
			_, err := c.Authenticate(ctx, tok)
			require.NoError(t, err)
		}
	}
	assert.Equal(t, map[string]int{"keep": 4, "drop": 6}, calls,
		"each cache that follows the record read the revoked token again, and only it; the others read nothing")

	for i := 0; i < 300; i++ {
		revocations.NoteKeyRevoked(crm.HashToken(fmt.Sprint("other ", i)))
	}
	_, err := c1.Authenticate(ctx, "keep")
	require.NoError(t, err)
	assert.Equal(t, 5, calls["keep"], "more revocations than the record keeps: the cache started afresh")
}

// TestCachingAuthenticatorMakesRoomWithoutEmptying: a full cache drops its expired entries, then arbitrary ones
// down to half, instead of every entry (outside review N3).
func TestCachingAuthenticatorMakesRoomWithoutEmptying(t *testing.T) {
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	next := AuthenticatorFunc(func(_ context.Context, token string) (crm.User, error) { return crm.User{Name: token}, nil })
	c := NewCachingAuthenticator(next, time.Minute, clock)
	require.Equal(t, AuthCacheSize, c.entries.Max())
	c.entries = boundedmap.New(10, c.expired)
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		_, _ = c.Authenticate(ctx, fmt.Sprint("old ", i))
	}
	clock.Advance(30 * time.Second)
	for i := 0; i < 6; i++ {
		_, _ = c.Authenticate(ctx, fmt.Sprint("new ", i))
	}
	require.Equal(t, 10, c.entries.Len())
	clock.Advance(31 * time.Second) // the 4 old ones expired
	_, _ = c.Authenticate(ctx, "one more")
	assert.Equal(t, 6, c.entries.Len(), "the 4 expired entries dropped, then 1 arbitrary one down to half, then the new one")
	for i := 0; i < 4; i++ {
		_, _ = c.Authenticate(ctx, fmt.Sprint("more ", i))
	}
	require.Equal(t, 10, c.entries.Len())
	_, _ = c.Authenticate(ctx, "past full")
	assert.Equal(t, 6, c.entries.Len(), "none expired: down to half, and the new one")
	_, ok := c.entries.Get(hashOf("past full"))
	assert.True(t, ok)
}
