package pgidempotency_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leadClient sends POST /api/v1/leads with an Idempotency-Key as one user of a fresh dealer of db.
type leadClient struct {
	t     *testing.T
	db    *postgres.DB
	token string
}

func newLeadClient(t *testing.T, db *postgres.DB, clock crm.Clock) leadClient {
	ctx := context.Background()
	st := stack.New(db, clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
	require.NoError(t, err)
	u, err := st.AddUser(crm.WithDealer(ctx, d.ID), crm.User{Name: "Менеджер", Role: crm.RoleSalesManager})
	require.NoError(t, err)
	token, err := st.IssueAPIKey(ctx, u, "test")
	require.NoError(t, err)
	return leadClient{t: t, db: db, token: token}
}

func (c leadClient) send(h http.Handler, key, name string) *httptest.ResponseRecorder {
	body := `{"name": "` + name + `", "phone": "+79000000000", "need_type": "car_purchase", "source": "website"}`
	r := httptest.NewRequest("POST", "/api/v1/leads", strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+c.token)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(httpapi.IdempotencyHeader, key)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func (c leadClient) leads(name string) int {
	var n int
	require.NoError(c.t, c.db.SQLX().Get(&n, `SELECT count(*) FROM leads WHERE concat_ws(' ', doc->'contact'->>'first_name', doc->'contact'->>'last_name') = $1`, name))
	return n
}

// The answer commits in the same transaction as the write it answers: when the answer cannot be stored (the
// process dies, the connection drops, here a trigger refuses it), the write is gone too, the key is free at once,
// and the retry runs afresh — one lead, never two, never a key stuck in "pending".
func TestAnswerCommitsWithTheWriteItAnswers(t *testing.T) {
	db := pgtest.Open(t)
	clock := crm.NewManualClock(epoch)
	c := newLeadClient(t, db, clock)
	h := server(t, db, clock)
	_, err := db.SQLX().Exec(`CREATE FUNCTION refuse_answer() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.key = 'doomed' AND NOT NEW.pending THEN RAISE EXCEPTION 'the process died before the answer'; END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER refuse_answer BEFORE INSERT OR UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION refuse_answer()`)
	require.NoError(t, err)

	w := c.send(h, "doomed", "Анна Первая")
	assert.GreaterOrEqual(t, w.Code, 500, "the answer was not kept, so the request failed: %s", w.Body)
	assert.Zero(t, c.leads("Анна Первая"), "the write is not kept without its answer")
	var pending int
	require.NoError(t, db.SQLX().Get(&pending, `SELECT count(*) FROM idempotency_keys WHERE key = 'doomed'`))
	assert.Zero(t, pending, "no claim outlives the request")

	_, err = db.SQLX().Exec(`DROP TRIGGER refuse_answer ON idempotency_keys`)
	require.NoError(t, err)
	again := c.send(h, "doomed", "Анна Первая")
	require.Equal(t, 201, again.Code, "%s", again.Body)
	assert.Empty(t, again.Header().Get("Idempotent-Replayed"), "nothing was kept, so the retry runs")
	replay := c.send(h, "doomed", "Анна Первая")
	assert.Equal(t, "true", replay.Header().Get("Idempotent-Replayed"))
	assert.Equal(t, again.Body.String(), replay.Body.String())
	assert.Equal(t, 1, c.leads("Анна Первая"), "one lead")
}

// A request whose connection dies before its commit (a server killed mid-request) leaves neither its write nor
// its claim: a retry with the key runs at once, without waiting for a lease.
func TestClaimDiesWithItsConnection(t *testing.T) {
	db := pgtest.Open(t)
	clock := crm.NewManualClock(epoch)
	c := newLeadClient(t, db, clock)
	h := server(t, db, clock)
	admin := secondPool(t, db)
	// The trigger stands for the moment between the write and the commit; the backend is terminated there.
	_, err := db.SQLX().Exec(`CREATE FUNCTION die_before_commit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.doc->'contact'->>'last_name' = 'Обречённый' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER die_before_commit AFTER INSERT ON leads FOR EACH ROW EXECUTE FUNCTION die_before_commit()`)
	require.NoError(t, err)
	w := c.send(h, "killed", "Пётр Обречённый")
	assert.Equal(t, http.StatusServiceUnavailable, w.Code, "a lost connection is an outage, not a fault: %s", w.Body)
	assert.NotEmpty(t, w.Header().Get("Retry-After"))
	assert.Zero(t, c.leads("Пётр Обречённый"))
	_, err = admin.SQLX().Exec(`DROP TRIGGER die_before_commit ON leads`)
	require.NoError(t, err)
	again := c.send(h, "killed", "Пётр Обречённый")
	require.Equal(t, 201, again.Code, "the key is free at once: %s", again.Body)
	assert.Equal(t, 1, c.leads("Пётр Обречённый"))
}

// If-Match is part of what a key stands for: a 412 answered to a stale If-Match is not replayed to the corrected
// retry, which is told the key was used for another request.
func TestIfMatchIsPartOfTheFingerprint(t *testing.T) {
	db := pgtest.Open(t)
	clock := crm.NewManualClock(epoch)
	c := newLeadClient(t, db, clock)
	h := server(t, db, clock)
	created := c.send(h, "create", "Олег")
	require.Equal(t, 201, created.Code)
	patch := func(key, ifMatch string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("PATCH", created.Header().Get("Location"), strings.NewReader(`{"comments": "перезвонить"}`))
		r.Header.Set("Authorization", "Bearer "+c.token)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("If-Match", ifMatch)
		r.Header.Set(httpapi.IdempotencyHeader, key)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	stale := patch("edit", `"99"`)
	require.Equal(t, http.StatusPreconditionFailed, stale.Code, "%s", stale.Body)
	corrected := patch("edit", created.Header().Get("ETag"))
	assert.NotEqual(t, http.StatusPreconditionFailed, corrected.Code, "the 412 is not replayed to another If-Match: %s", corrected.Body)
	assert.Empty(t, corrected.Header().Get("Idempotent-Replayed"))
}
