package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// emptyDatabase creates a database on the test server, dropped when the test ends, and returns its URL.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	admin := pgtest.Admin(t)
	t.Cleanup(func() { admin.Close() })
	name := "dealercrm_srv_" + strings.ReplaceAll(crm.NewID().String(), "-", "")[:12]
	_, err := admin.Exec(`CREATE DATABASE ` + name)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	u, err := url.Parse(pgtest.URL())
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
}

// post sends a JSON body to path with token and an Idempotency-Key.
func (s *started) post(t *testing.T, path, token, key, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", s.base+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestServerIdempotencyOnPostgresIsShared(t *testing.T) {
	dsn := emptyDatabase(t)
	args := []string{"-postgres", dsn, "-demo=false", "-bootstrap-admin", "Автоцентр"}
	first := start(t, args...)
	db, err := sqlx.Open("postgres", dsn)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`INSERT INTO idempotency_keys (dealer_id, user_id, key, fingerprint, pending, created_at)
		VALUES ($1, $2, 'stale', 'fp', true, now() - interval '25 hours')`, crm.NewID(), crm.NewID())
	require.NoError(t, err)
	second := start(t, args...) // another process on the same database, with a fresh token of the same admin

	const lead = `{"name": "Иван Петров", "phone": "+79000000000", "need_type": "car_purchase", "source": "website"}`
	r1, b1 := first.post(t, "/api/v1/leads", first.tokens["Автоцентр/admin"], "lead-1", lead)
	require.Equal(t, 201, r1.StatusCode, b1)
	r2, b2 := second.post(t, "/api/v1/leads", second.tokens["Автоцентр/admin"], "lead-1", lead)
	require.Equal(t, 201, r2.StatusCode, b2)
	assert.Equal(t, b1, b2, "the second server replays the first one's response")
	assert.Equal(t, "true", r2.Header.Get("Idempotent-Replayed"))
	var leads int
	require.NoError(t, db.Get(&leads, `SELECT count(*) FROM leads`))
	assert.Equal(t, 1, leads)

	assert.Eventually(t, func() bool {
		var stale int
		return db.Get(&stale, `SELECT count(*) FROM idempotency_keys WHERE key = 'stale'`) == nil && stale == 0
	}, 10*time.Second, 20*time.Millisecond, "a starting server purges expired records")
}
