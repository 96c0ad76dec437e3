package pgidempotency_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/httpapi/pgidempotency"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secondPool opens another connection pool to db's database, as another server process would.
func secondPool(t *testing.T, db *postgres.DB) *postgres.DB {
	t.Helper()
	var name string
	require.NoError(t, db.SQLX().Get(&name, `SELECT current_database()`))
	u, err := url.Parse(pgtest.URL())
	require.NoError(t, err)
	u.Path = "/" + name
	other, err := postgres.Open(context.Background(), u.String())
	require.NoError(t, err)
	t.Cleanup(func() { other.Close() })
	return other
}

// server is one handler as one process would build it: its own stack and its own idempotency store over db.
func server(t *testing.T, db *postgres.DB, clock crm.Clock) http.Handler {
	t.Helper()
	cfg := stack.New(db, clock).HTTPConfig()
	cfg.Idempotency = pgidempotency.New(db, 24*time.Hour)
	h, err := httpapi.New(cfg)
	require.NoError(t, err)
	return h
}

func TestIdempotencyAcrossHandlersSharingPostgres(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	clock := crm.NewManualClock(epoch)
	st := stack.New(db, clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
	require.NoError(t, err)
	u, err := st.AddUser(crm.WithDealer(ctx, d.ID), crm.User{Name: "Менеджер", Role: crm.RoleSalesManager})
	require.NoError(t, err)
	token, err := st.IssueAPIKey(ctx, u, "test")
	require.NoError(t, err)

	handlers := []http.Handler{server(t, db, clock), server(t, secondPool(t, db), clock)}
	const body = `{"name": "Иван Петров", "phone": "+79000000000", "need_type": "car_purchase", "source": "website"}`
	send := func(h http.Handler) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/api/v1/leads", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set(httpapi.IdempotencyHeader, "lead-1")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}

	// The same POST, sent to both handlers at once, several times over: one runs, every other replays it.
	const perHandler = 10
	results := make([]*httptest.ResponseRecorder, 2*perHandler)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			<-start
			results[i] = send(handlers[i%2])
		})
	}
	close(start)
	wg.Wait()
	first := -1
	for i, w := range results {
		require.Equal(t, 201, w.Code, "request %d: %s", i, w.Body)
		if w.Header().Get("Idempotent-Replayed") == "" {
			assert.Equal(t, -1, first, "requests %d and %d both ran", first, i)
			first = i
		}
	}
	require.NotEqual(t, -1, first, "one request ran")
	for i, w := range results {
		assert.Equal(t, results[first].Body.String(), w.Body.String(), "request %d (handler %d)", i, i%2)
		assert.Equal(t, results[first].Header().Get("Location"), w.Header().Get("Location"))
		assert.Equal(t, results[first].Header().Get("ETag"), w.Header().Get("ETag"))
	}
	var leads int
	require.NoError(t, db.SQLX().Get(&leads, `SELECT count(*) FROM leads`))
	assert.Equal(t, 1, leads, "one lead was created")

	t.Run("a restarted server replays it too", func(t *testing.T) {
		clock.Advance(time.Hour)
		w := send(server(t, db, clock))
		assert.Equal(t, 201, w.Code)
		assert.Equal(t, "true", w.Header().Get("Idempotent-Replayed"))
		assert.Equal(t, results[first].Body.String(), w.Body.String())
	})
	t.Run("after the lifetime the key runs again", func(t *testing.T) {
		clock.Advance(24 * time.Hour)
		w := send(handlers[1])
		assert.Empty(t, w.Header().Get("Idempotent-Replayed"))
		assert.NotEqual(t, results[first].Body.String(), w.Body.String())
	})
}
