package httpapi

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func countCustomers(f *fixture, token string) int {
	f.t.Helper()
	return len(f.must(200, get("/api/v1/customers?limit=200", token)).Items())
}

func TestIdempotencyReplay(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	q := post("/api/v1/customers", tok, newCustomerBody()).with(IdempotencyHeader, "key-1")

	first := f.must(201, q)
	again := f.must(201, q)
	assert.Equal(t, first.Body, again.Body, "a replay returns the first body byte for byte")
	assert.Equal(t, first.Header.Get("Location"), again.Header.Get("Location"))
	assert.Equal(t, first.Header.Get("ETag"), again.Header.Get("ETag"))
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, 1, countCustomers(f, tok))

	t.Run("the key with another body is a 422 naming the header", func(t *testing.T) {
		other := newCustomerBody()
		other["name"] = "Анна Смирнова"
		res := f.must(422, post("/api/v1/customers", tok, other).with(IdempotencyHeader, "key-1"))
		assert.Equal(t, []string{IdempotencyHeader}, res.Fields())
		assert.Equal(t, 1, countCustomers(f, tok))
	})
	t.Run("the key on another path is a 422", func(t *testing.T) {
		f.must(422, post("/api/v1/customers?x=1", tok, newCustomerBody()).with(IdempotencyHeader, "key-1"))
	})
	t.Run("keys are per user and per dealer", func(t *testing.T) {
		f.must(201, post("/api/v1/customers", f.a.token(crm.RoleAdmin), newCustomerBody()).with(IdempotencyHeader, "key-1"))
		f.must(201, post("/api/v1/customers", f.b.token(crm.RoleAdmin), newCustomerBody()).with(IdempotencyHeader, "key-1"))
		assert.Equal(t, 2, countCustomers(f, tok))
	})
	t.Run("refusals are replayed too, and write nothing", func(t *testing.T) {
		bad := post("/api/v1/customers", tok, map[string]any{"email": "nope"}).with(IdempotencyHeader, "key-2")
		r1, r2 := f.must(422, bad), f.must(422, bad)
		assert.Equal(t, r1.Body, r2.Body)
		assert.Equal(t, 2, countCustomers(f, tok))
	})
	t.Run("a bad key is a 422", func(t *testing.T) {
		f.must(422, post("/api/v1/customers", tok, newCustomerBody()).with(IdempotencyHeader, strings.Repeat("k", 256)))
	})
	t.Run("records expire after 24 hours", func(t *testing.T) {
		f.clock.Advance(24*time.Hour + time.Second)
		res := f.must(201, q)
		assert.NotEqual(t, first.Str("id"), res.Str("id"))
		assert.Empty(t, res.Header.Get("Idempotent-Replayed"))
	})
}

func TestIdempotencyConcurrentDuplicates(t *testing.T) {
	onBothAdapters(t, testIdempotencyConcurrentDuplicates)
}

func testIdempotencyConcurrentDuplicates(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	q := post("/api/v1/customers", tok, newCustomerBody()).with(IdempotencyHeader, "same")
	const n = 50
	bodies := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := f.do(q)
			if res.Status != 201 {
				t.Errorf("status %d: %s", res.Status, res.Body)
			}
			bodies[i] = string(res.Body)
		}()
	}
	wg.Wait()
	for _, b := range bodies {
		assert.Equal(t, bodies[0], b)
	}
	assert.Equal(t, 1, countCustomers(f, tok))
}

func TestIdempotencyServerErrorsAreNotKept(t *testing.T) {
	store := NewMemoryIdempotencyStore(0)
	h := &Handler{idem: store, clock: crm.NewManualClock(epoch), logger: testLogger(&syncBuffer{})}
	user := crm.User{Meta: crm.Meta{ID: crm.NewID(), DealerID: crm.NewID()}}
	calls := 0
	serve := func(status int) int {
		r, _ := http.NewRequest("POST", "/x", strings.NewReader("{}"))
		r.Header.Set(IdempotencyHeader, "k")
		w := &muxWriter{header: http.Header{}}
		h.serveIdempotent(w, r, user, func(w http.ResponseWriter, r *http.Request) {
			calls++
			w.WriteHeader(status)
		})
		return w.status
	}
	assert.Equal(t, 500, serve(500))
	assert.Equal(t, 201, serve(201), "a retry after a server error runs again")
	assert.Equal(t, 201, serve(409), "then the success is replayed")
	assert.Equal(t, 2, calls)
}

func TestMemoryIdempotencyStoreSweepsExpired(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryIdempotencyStore(time.Hour)
	k := IdempotencyKey{DealerID: crm.NewID(), UserID: crm.NewID(), Key: "a"}
	_, claimed, err := s.Begin(ctx, k, "fp", epoch)
	require.NoError(t, err)
	require.True(t, claimed)
	require.NoError(t, s.Release(ctx, k))
	assert.Equal(t, 0, s.Len(), "Release deletes the pending record")

	_, _, _ = s.Begin(ctx, k, "fp", epoch)
	require.NoError(t, s.Complete(ctx, k, StoredResponse{Status: 201}))
	other := k
	other.Key = "b"
	_, _, _ = s.Begin(ctx, other, "fp", epoch.Add(time.Hour))
	assert.Equal(t, 1, s.Len(), "a Begin after the lifetime sweeps the expired record")
}
