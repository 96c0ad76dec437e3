package chaos_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// client is an HTTP client with a deadline, as a real one has.
var client = &http.Client{Timeout: 10 * time.Second}

// A connection lost before anything was sent on it (every pooled connection's backend terminated, as a
// database restart does) costs no request: the BEGIN, or the unit of work, runs again on a fresh connection.
func TestLostConnectionsAreRetried(t *testing.T) {
	w := newWorld(t)
	h, db := w.handler(w.url)
	srv := httptest.NewServer(h)
	defer srv.Close()
	warm := func() {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() { _, _ = db.SQLX().Exec(`SELECT pg_sleep(0.02)`) })
		}
		wg.Wait()
	}
	for round, name := range []string{"keyed POST", "plain GET", "keyed POST again"} {
		warm()
		require.GreaterOrEqual(t, w.terminateAll(), 1, "round %d", round)
		for i := range 5 {
			if name == "plain GET" {
				req, _ := http.NewRequest("GET", srv.URL+"/api/v1/leads", nil)
				req.Header.Set("Authorization", "Bearer "+w.token)
				res, err := client.Do(req)
				require.NoError(t, err)
				res.Body.Close()
				assert.Equal(t, 200, res.StatusCode, "%s %d after the restart", name, i)
				continue
			}
			a := w.send(client.Do, srv.URL, fmt.Sprintf("retry-%d-%d", round, i))
			assert.Equal(t, 201, a.status, "%s %d after the restart: %+v", name, i, a)
		}
	}
}

// faultRun is the tally of one fault test: what it sent, what it saw, and what it found after.
type faultRun struct {
	sent, fiveXX, internal, badOutage, partial, stuck, readyFlaps int
}

func (f faultRun) String() string {
	return fmt.Sprintf("requests sent %d, 5xx seen %d (500: %d; 503 without Retry-After or code: %d), "+
		"partial states %d, stuck keys %d, /readyz flaps while serving %d",
		f.sent, f.fiveXX, f.internal, f.badOutage, f.partial, f.stuck, f.readyFlaps)
}

// load sends keyed lead POSTs from workers until stop closes, records every first answer, then retries each key
// not answered 201 until it is (or gives up), and checks the invariant: exactly one lead per key.
func (w *world) load(base string, workers int, stop <-chan struct{}, run *faultRun) {
	var (
		mu    sync.Mutex
		first = map[string]answer{}
		seq   atomic.Int64
		wg    sync.WaitGroup
	)
	for wk := range workers {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				key := fmt.Sprintf("k%d-%d", wk, seq.Add(1))
				a := w.send(client.Do, base, key)
				mu.Lock()
				first[key] = a
				mu.Unlock()
				if a.status >= 500 || a.status == 0 {
					time.Sleep(100 * time.Millisecond) // a client backs off when told to come back later
				}
			}
		})
	}
	wg.Wait()
	keys := make(chan string, len(first))
	for key, a := range first {
		run.sent++
		if a.status >= 500 {
			run.fiveXX++
		}
		if a.status == 500 {
			run.internal++
		}
		if a.status == 503 && (a.retryAfter == "" || a.code == "") {
			run.badOutage++
		}
		keys <- key
	}
	close(keys)
	var stuck atomic.Int64
	for range 8 { // every key retried until answered 201: a replay, or a fresh run when nothing had committed
		wg.Go(func() {
			for key := range keys {
				a := w.send(client.Do, base, key)
				for try := 0; a.status != 201 && try < 20; try++ {
					time.Sleep(100 * time.Millisecond)
					a = w.send(client.Do, base, key)
				}
				if a.status != 201 {
					stuck.Add(1)
					w.t.Logf("key %s still answers %+v", key, a)
				}
			}
		})
	}
	wg.Wait()
	run.stuck = int(stuck.Load())
	counts := map[string]int{}
	rows, err := w.admin.Query(`SELECT doc->'contact'->>'last_name', count(*) FROM leads GROUP BY 1`)
	require.NoError(w.t, err)
	defer rows.Close()
	for rows.Next() {
		var key string
		var n int
		require.NoError(w.t, rows.Scan(&key, &n))
		counts[key] = n
	}
	require.NoError(w.t, rows.Err())
	for key := range first {
		if counts[key] != 1 {
			run.partial++
			w.t.Logf("key %s has %d leads", key, counts[key])
		}
	}
	if len(counts) != len(first) {
		run.partial += len(counts) - len(first)
	}
	if run.internal > 0 || run.stuck > 0 {
		for _, l := range w.errors.faults(10) {
			w.t.Log("server error: " + l)
		}
	}
}

// watchReady polls /readyz until stop closes and counts the answers that were not 200.
func watchReady(base string, stop <-chan struct{}, flaps *atomic.Int64) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(50 * time.Millisecond):
		}
		res, err := client.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
		}
		if err != nil || res.StatusCode != 200 {
			flaps.Add(1)
		}
	}
}

// Backends terminated again and again under write load: no 500, every key ends with exactly one lead (retried
// until answered, each retry replays or runs afresh), no key stays stuck, and /readyz keeps answering ready
// while requests succeed.
func TestBackendsTerminatedUnderLoad(t *testing.T) {
	w := newWorld(t)
	h, _ := w.handler(w.url)
	srv := httptest.NewServer(h)
	defer srv.Close()
	length := terminateFor
	stop, killed := make(chan struct{}), 0
	var flaps atomic.Int64
	var bg sync.WaitGroup
	bg.Go(func() { watchReady(srv.URL, stop, &flaps) })
	bg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				killed += w.terminateAll()
			}
		}
	})
	time.AfterFunc(length, func() { close(stop) })
	var run faultRun
	w.load(srv.URL, workers, stop, &run)
	bg.Wait()
	run.readyFlaps = int(flaps.Load())
	t.Logf("backends terminated %d; %v", killed, run)
	assert.Positive(t, killed)
	assert.Positive(t, run.sent)
	assert.Zero(t, run.internal, "an outage is never a 500")
	assert.Zero(t, run.badOutage)
	assert.Zero(t, run.partial, "exactly one lead per key")
	assert.Zero(t, run.stuck)
	assert.Zero(t, run.readyFlaps)
}

// The database cut off (a proxy between the server and PostgreSQL closes every connection and refuses new ones)
// under write load: requests answer 503 with Retry-After and the code unavailable (or timeout), never 500; once
// the route is back every key ends with exactly one lead and none is stuck.
func TestDatabaseCutOffUnderLoad(t *testing.T) {
	w := newWorld(t)
	proxy, err := newProxyTo(w)
	require.NoError(t, err)
	defer proxy.Close()
	h, _ := w.handler(w.via(proxy.Addr()))
	srv := httptest.NewServer(h)
	defer srv.Close()
	cut := cutFor
	stop := make(chan struct{})
	var cutSeen atomic.Int64
	go func() {
		time.Sleep(400 * time.Millisecond)
		proxy.Cut()
		time.Sleep(cut)
		cutSeen.Store(int64(w.count(func(s int) bool { return s == 503 })))
		proxy.Restore()
		time.Sleep(400 * time.Millisecond)
		close(stop)
	}()
	var run faultRun
	w.load(srv.URL, workers, stop, &run)
	t.Logf("database cut for %v; 503 during the cut %d; %v", cut, cutSeen.Load(), run)
	assert.Positive(t, cutSeen.Load(), "the cut was noticed")
	assert.Zero(t, run.internal, "an outage is never a 500")
	assert.Zero(t, run.badOutage)
	assert.Zero(t, run.partial, "exactly one lead per key")
	assert.Zero(t, run.stuck)
}
