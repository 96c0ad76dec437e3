package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serverProcessEnv, set to 1, makes the test binary run main (TestMain): startProcess uses it.
const serverProcessEnv = "DEALERCRM_SERVER_PROCESS"

// startProcess runs the server as a separate operating-system process (this test binary re-executed as the
// server) with args on 127.0.0.1:0, and waits for its listening line. Its standard error is kept in logs; the
// process is stopped with SIGTERM when the test ends.
func startProcess(t *testing.T, args ...string) *started {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-addr", "127.0.0.1:0", "-relay-interval", "50ms"}, args...)...)
	cmd.Env = append(os.Environ(), serverProcessEnv+"=1")
	s := &started{tokens: map[string]string{}, logs: &logBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = s.logs
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	s.stop = func() { _ = cmd.Process.Signal(syscall.SIGTERM) }
	s.kill = func() {
		_ = cmd.Process.Kill()
		s.stop = nil
		<-s.done
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, out)
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() { s.shutdown(t) })
	timeout := time.After(60 * time.Second)
	for s.base == "" {
		select {
		case line, ok := <-lines:
			require.True(t, ok, "the server process stopped before listening: %v\n%s", s.lines, s.logs)
			s.lines = append(s.lines, line)
			if m := tokenLine.FindStringSubmatch(line); m != nil {
				s.tokens[m[2]+"/"+m[3]] = m[4]
			}
			if a, ok := strings.CutPrefix(line, "listening on "); ok {
				s.base = a
			}
		case <-timeout:
			t.Fatalf("no listening line; got %v", s.lines)
		}
	}
	go func() {
		for range lines {
		}
	}()
	return s
}

// send sends a JSON body with token (and an Idempotency-Key when key is not empty) and returns the status and
// the decoded answer.
func (s *started) send(t *testing.T, method, path, token, key string, body any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(string(b)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

var noticeID = regexp.MustCompile(`msg=notice message_id=(\S+) topic=(\S+)`)

// TestTwoProcessesOnOneDatabase runs two server processes on one PostgreSQL database, as two API instances
// behind a load balancer would, and races them: twenty bookings of one car's slot sent to both (one 201, the
// rest 409), one Idempotency-Key sent to both at once (one customer, the same answer everywhere), and forty more
// bookings sent to both while both processes' relays run: all 41 booking notices delivered, each message sent
// once across the two (which relay sends which is timing, logged and not asserted).
func TestTwoProcessesOnOneDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs two server processes")
	}
	dsn := emptyDatabase(t)
	args := []string{"-postgres", dsn, "-demo=false", "-bootstrap-admin", "Автоцентр"}
	a := startProcess(t, args...)
	b := startProcess(t, args...) // a fresh token of the same admin
	procs := []*started{a, b}
	tok := func(s *started) string { return s.tokens["Автоцентр/admin"] }
	require.NotEmpty(t, tok(a))
	require.NotEmpty(t, tok(b))

	code, vehicle := a.send(t, "POST", "/api/v1/vehicles", tok(a), "", map[string]any{"vin": "1M8GDM9AXKP042788",
		"make": "Lada", "model": "Vesta", "year": 2026, "list_price": map[string]any{"amount": "1450000", "currency": "RUB"}})
	require.Equal(t, 201, code, "%v", vehicle)
	code, customer := b.send(t, "POST", "/api/v1/customers", tok(b), "", map[string]any{"name": "Ольга Соколова",
		"phone": "+79005550101", "email": "olga@example.ru"})
	require.Equal(t, 201, code, "%v", customer)

	raceBooked := 0 // drives booked by the race below, each queueing a notice
	t.Run("one booking of a slot wins across processes", func(t *testing.T) {
		start := time.Now().UTC().AddDate(0, 0, 7).Truncate(24 * time.Hour).Add(9 * time.Hour) // 12:00 in Moscow
		body := map[string]any{"customer_id": customer["id"], "vehicle_id": vehicle["id"],
			"start": start.Format(time.RFC3339), "end": start.Add(30 * time.Minute).Format(time.RFC3339)}
		statuses := make([]int, 20)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Go(func() {
				s := procs[i%2]
				statuses[i], _ = s.send(t, "POST", "/api/v1/test-drives", tok(s), "", body)
			})
		}
		wg.Wait()
		counts := map[int]int{}
		for _, c := range statuses {
			counts[c]++
		}
		assert.Equal(t, map[int]int{201: 1, 409: 19}, counts)
		raceBooked = counts[201]
	})

	t.Run("an idempotency key is honoured across processes", func(t *testing.T) {
		body := map[string]any{"name": "Пётр Волков", "phone": "+79005550202"}
		ids := make([]any, 10)
		statuses := make([]int, 10)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				s := procs[i%2]
				var out map[string]any
				statuses[i], out = s.send(t, "POST", "/api/v1/customers", tok(s), "two-processes-1", body)
				ids[i] = out["id"]
			})
		}
		wg.Wait()
		for i := range ids {
			assert.Equal(t, 201, statuses[i], "every retry gets the first answer")
			assert.Equal(t, ids[0], ids[i])
		}
		code, found := a.send(t, "GET", "/api/v1/customers?phone=%2B79005550202", tok(a), "", nil)
		require.Equal(t, 200, code)
		assert.Len(t, found["items"], 1, "one customer was created")
	})

	t.Run("each of many notices is sent once by one of the relays", func(t *testing.T) {
		// Forty more bookings (one car, one customer: ten half-hour slots a day, 10:00–15:00 in Moscow, on four
		// days after the race's day), twenty through each process, one after another so that the notices are
		// queued while both relays (every 50 ms) are running. Each queues a test_drive.booked notice.
		const bookings = 40
		day := time.Now().UTC().AddDate(0, 0, 8).Truncate(24 * time.Hour).Add(7 * time.Hour)
		for i := range bookings {
			start := day.AddDate(0, 0, i/10).Add(time.Duration(i%10) * 30 * time.Minute)
			s := procs[i%2]
			code, out := s.send(t, "POST", "/api/v1/test-drives", tok(s), "", map[string]any{"customer_id": customer["id"],
				"vehicle_id": vehicle["id"], "start": start.Format(time.RFC3339), "end": start.Add(30 * time.Minute).Format(time.RFC3339)})
			require.Equal(t, 201, code, "booking %d: %v", i, out)
		}
		want := bookings + raceBooked // the race's winner queued one as well
		count := func() (sent map[string]int, byProc []int, booked int) {
			sent = map[string]int{}
			byProc = make([]int, len(procs))
			for p, s := range procs {
				for _, m := range noticeID.FindAllStringSubmatch(s.logs.String(), -1) {
					sent[m[1]]++
					byProc[p]++
					if m[2] == "test_drive.booked" {
						booked++
					}
				}
			}
			return sent, byProc, booked
		}
		require.Eventually(t, func() bool {
			_, _, booked := count()
			return booked >= want
		}, 15*time.Second, 50*time.Millisecond, "all %d booking notices are delivered", want)
		time.Sleep(500 * time.Millisecond) // ten more relay passes in each process: a second send would show now
		sent, byProc, booked := count()
		assert.Equal(t, want, booked, "booking notices delivered")
		for id, n := range sent {
			assert.Equal(t, 1, n, "message %s sent %d times", id, n)
		}
		// Which relay claims a notice depends on when its ticker fires relative to the booking: one relay may
		// legitimately claim them all, so the split is logged, not asserted.
		t.Logf("%d distinct notices delivered: %d by process a's relay, %d by process b's", len(sent), byProc[0], byProc[1])
	})
}
