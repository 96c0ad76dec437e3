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
