package stack_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStacksKeepTheirOwnRevocations: a key revoked through a stack's Team (the Go API) is refused by the same
// stack's HTTP handler from the moment RevokeAPIKey returns, although the handler's cache had its token. Another
// stack of the process is another deployment: over the same database it notices the revocation as another
// process would, when its cached entry expires (AuthCacheTTL), and its record of revocations stays empty.
func TestStacksKeepTheirOwnRevocations(t *testing.T) {
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			clock := crm.NewManualClock(epoch)
			db := open(t)
			one, two := stack.New(db, clock), stack.New(db, clock)
			require.NotSame(t, one.Revocations, two.Revocations)
			serve := func(st *stack.Stack) func(token string) int {
				cfg := st.HTTPConfig()
				cfg.AuthCacheTTL = time.Hour
				h, err := httpapi.New(cfg)
				require.NoError(t, err)
				return func(token string) int {
					r := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
					r.Header.Set("Authorization", "Bearer "+token)
					w := httptest.NewRecorder()
					h.ServeHTTP(w, r)
					return w.Code
				}
			}
			get1, get2 := serve(one), serve(two)

			ctx := context.Background()
			d, err := one.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
			require.NoError(t, err)
			ctx = crm.WithDealer(ctx, d.ID)
			u, err := one.Team.AddUser(ctx, crm.User{Name: "Мария Менеджер", Role: crm.RoleSalesManager})
			require.NoError(t, err)
			key, token, err := one.Team.IssueAPIKey(ctx, u.ID, crm.KeyRequest{Name: "сайт"})
			require.NoError(t, err)
			_, other, err := one.Team.IssueAPIKey(ctx, u.ID, crm.KeyRequest{Name: "касса"})
			require.NoError(t, err)
			for _, get := range []func(string) int{get1, get2} {
				require.Equal(t, 200, get(token))
				require.Equal(t, 200, get(other))
			}

			_, err = one.Team.RevokeAPIKey(ctx, key.ID, 0)
			require.NoError(t, err)
			assert.Equal(t, 401, get1(token), "the same stack's handler refuses the key at once")
			assert.Equal(t, 200, get1(other), "and only that key")
			assert.Equal(t, uint64(1), one.Revocations.Count())
			assert.Equal(t, uint64(0), two.Revocations.Count(), "another stack's record is its own")
			assert.Equal(t, 200, get2(token), "another stack remembers the token as another process would")
			clock.Advance(time.Hour)
			assert.Equal(t, 401, get2(token), "until its cached entry expires")
			assert.Equal(t, 200, get2(other))
		})
	}
}
