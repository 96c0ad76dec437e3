package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// killOutcome is what a client saw of one keyed request sent before a kill -9.
type killOutcome struct {
	status int    // 0: no answer (the connection died with the process)
	id     string // the lead's id, when 201
}

// TestKill9WithRequestsInFlight kills the server process (SIGKILL) on PostgreSQL while keyed POSTs are in
// flight, starts it again, and retries every key: each gets the original outcome (a replay of the same lead) or
// a fresh one (the write had not committed), never a duplicate, never a stuck key (a retry answered "in
// progress" once the new process runs). The rounds, workers and load are larger with -tags chaos (scripts/chaos).
func TestKill9WithRequestsInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: kills and restarts server processes")
	}
	dsn := emptyDatabase(t)
	args := []string{"-postgres", dsn, "-demo=false", "-bootstrap-admin", "Автоцентр"}
	db, err := sqlx.Open("postgres", dsn)
	require.NoError(t, err)
	defer db.Close()

	client := &http.Client{Timeout: 10 * time.Second}
	post := func(base, token, key string) killOutcome {
		body := fmt.Sprintf(`{"name": "Клиент %s", "phone": "+79000000000", "need_type": "car_purchase", "source": "website"}`, key)
		req, err := http.NewRequest("POST", base+"/api/v1/leads", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		res, err := client.Do(req)
		if err != nil {
			return killOutcome{}
		}
		defer res.Body.Close()
		var out struct {
			ID string `json:"id"`
		}
		if err := jsonDecode(res, &out); err != nil {
			return killOutcome{} // the kill cut the answer after its status line: not an answer the client could use
		}
		return killOutcome{status: res.StatusCode, id: out.ID}
	}

	var sent, unanswered, fiveXX, replayedSame, fresh, stuck, duplicates, lost int
	first := map[string]killOutcome{}
	var mu sync.Mutex
	token := ""
	for round := range killRounds {
		s := startProcess(t, args...)
		token = s.tokens["Автоцентр/admin"]
		require.NotEmpty(t, token)
		var seq atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range killWorkers {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					key := fmt.Sprintf("r%dw%d-%d", round, w, seq.Add(1))
					o := post(s.base, token, key)
					mu.Lock()
					first[key] = o
					mu.Unlock()
				}
			})
		}
		time.Sleep(killAfter)
		s.kill() // kill -9 with requests in flight
		close(stop)
		wg.Wait()
	}

	s := startProcess(t, args...)
	token = s.tokens["Автоцентр/admin"]
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	keys := make([]string, 0, len(first))
	for k := range first {
		keys = append(keys, k)
	}
	retried := make([]killOutcome, len(keys))
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range 8 {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(keys) && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				o := post(s.base, token, keys[i])
				for try := 0; o.status != 201 && try < 10; try++ { // a claim of the dead process, if any, lapses
					time.Sleep(300 * time.Millisecond)
					o = post(s.base, token, keys[i])
				}
				retried[i] = o
			}
		})
	}
	wg.Wait()

	counts := map[string]int{}
	rows, err := db.Query(`SELECT doc->'contact'->>'last_name', count(*) FROM leads GROUP BY 1`)
	require.NoError(t, err)
	for rows.Next() {
		var k string
		var n int
		require.NoError(t, rows.Scan(&k, &n))
		counts[k] = n
	}
	require.NoError(t, rows.Close())
	for i, k := range keys {
		o, r := first[k], retried[i]
		sent++
		switch {
		case o.status == 0:
			unanswered++
		case o.status >= 500:
			fiveXX++
		}
		switch {
		case r.status != 201:
			stuck++
			t.Logf("key %s: first %+v, retry %+v", k, o, r)
		case o.status == 201 && o.id != r.id:
			duplicates++
			t.Logf("key %s: answered %s, replayed %s", k, o.id, r.id)
		case o.status == 201:
			replayedSame++
		default:
			fresh++
		}
		switch n := counts[k]; {
		case n > 1:
			duplicates++
		case n == 0:
			lost++
		}
	}
	t.Logf("kill -9 rounds %d, workers %d: requests sent %d (unanswered at the kill %d, 5xx %d); after restart: "+
		"replayed %d, ran afresh %d, duplicates %d, stuck keys %d, keys without their lead %d",
		killRounds, killWorkers, sent, unanswered, fiveXX, replayedSame, fresh, duplicates, stuck, lost)
	assert.Positive(t, unanswered, "the kill caught requests in flight")
	assert.Zero(t, duplicates, "never a duplicate")
	assert.Zero(t, stuck, "never a stuck key")
	assert.Zero(t, lost, "every key ends with its lead")
	assert.Equal(t, len(keys), len(counts), "no lead without its key")
}

// jsonDecode decodes res's body into v.
func jsonDecode(res *http.Response, v any) error {
	return json.NewDecoder(res.Body).Decode(v)
}
