package httpapi

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

func TestAuthentication(t *testing.T) {
	f := newFixture(t)
	for name, q := range map[string]req{
		"no header":     get("/api/v1/customers", ""),
		"unknown token": get("/api/v1/customers", "dcrm_nope"),
		"basic auth":    get("/api/v1/customers", "").with("Authorization", "Basic YTpi"),
		"empty bearer":  get("/api/v1/customers", "").with("Authorization", "Bearer "),
	} {
		t.Run(name, func(t *testing.T) {
			res := f.must(401, q)
			assert.Equal(t, ProblemContentType, res.Header.Get("Content-Type"))
			assert.Contains(t, res.Header.Get("WWW-Authenticate"), "Bearer")
			assert.EqualValues(t, 401, res.JSON()["status"])
		})
	}
	t.Run("revoked key", func(t *testing.T) {
		u := f.a.users[crm.RoleAdmin]
		k, token, err := crm.NewAPIKey(u, "old", epoch)
		assert.NoError(t, err)
		now := epoch
		k.RevokedAt = &now
		assert.NoError(t, crm.NewUnit[crm.Stores](f.db, nil).Update(f.a.ctx, func(ctx context.Context, s crm.Stores) error {
			return s.APIKeys().Create(ctx, &k)
		}))
		f.must(401, get("/api/v1/customers", token))
	})
	t.Run("public routes need no token", func(t *testing.T) {
		f.must(200, get("/healthz", ""))
		f.must(200, get("/openapi.json", ""))
	})
}

func TestRolesOnCustomers(t *testing.T) {
	f := newFixture(t)
	for _, role := range allRoles {
		t.Run(string(role), func(t *testing.T) {
			want := 201
			if role == crm.RoleReadOnly {
				want = 403
			}
			f.must(want, post("/api/v1/customers", f.a.token(role), newCustomerBody()))
			f.must(200, get("/api/v1/customers", f.a.token(role)))
		})
	}
	_ = time.Second
}

// wrappedUnit is a unit of work that is not crm.NewUnit's (an embedder's tracing wrapper, say).
type wrappedUnit struct{ crm.UnitOfWork[crm.Stores] }

// TestKeyAuthenticatorRecordsTheLastUseEitherWay: over crm.NewUnit on an adapter the key is read and its use
// recorded in one statement (crm.APIKeyAuthenticator); over another unit of work in a read and a best-effort
// write. Both record the use at most once a minute and refuse a revoked key.
func TestKeyAuthenticatorRecordsTheLastUseEitherWay(t *testing.T) {
	for name, wrap := range map[string]func(crm.UnitOfWork[crm.Stores]) crm.UnitOfWork[crm.Stores]{
		"one statement": func(u crm.UnitOfWork[crm.Stores]) crm.UnitOfWork[crm.Stores] { return u },
		"unit of work":  func(u crm.UnitOfWork[crm.Stores]) crm.UnitOfWork[crm.Stores] { return wrappedUnit{u} },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			kernel := crm.NewUnit[crm.Stores](f.db, f.clock)
			a := NewKeyAuthenticator(wrap(kernel)).WithClock(f.clock)
			assert.Equal(t, name == "one statement", a.direct != nil)
			team := crm.NewTeam(kernel, f.clock)
			key, token, err := team.IssueAPIKey(f.a.ctx, f.a.users[crm.RoleReadOnly].ID, crm.KeyRequest{Name: "x"})
			assert.NoError(t, err)
			lastUse := func() *time.Time {
				keys, err := team.ListAPIKeys(f.a.ctx, key.UserID)
				assert.NoError(t, err)
				for _, k := range keys {
					if k.ID == key.ID {
						return k.LastUsedAt
					}
				}
				t.Fatal("key not listed")
				return nil
			}
			t0 := f.clock.Now()
			_, k, err := a.AuthenticateKey(context.Background(), token)
			assert.NoError(t, err)
			if assert.NotNil(t, k.LastUsedAt) && assert.NotNil(t, lastUse()) {
				assert.True(t, lastUse().Equal(t0))
			}
			f.clock.Advance(time.Minute - time.Second)
			_, err = a.Authenticate(context.Background(), token)
			assert.NoError(t, err)
			assert.True(t, lastUse().Equal(t0), "within the minute")
			f.clock.Advance(time.Second)
			_, err = a.Authenticate(context.Background(), token)
			assert.NoError(t, err)
			assert.True(t, lastUse().Equal(t0.Add(time.Minute)), "a minute on")
			_, err = team.RevokeAPIKey(f.a.ctx, key.ID, 0)
			assert.NoError(t, err)
			_, err = a.Authenticate(context.Background(), token)
			assert.Equal(t, crm.KindUnauthenticated, crm.KindOf(err))
		})
	}
}
