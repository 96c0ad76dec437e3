package loadgen

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Route is one kind of request the generator sends.
type Route struct {
	Name string // as reported, e.g. "GET /api/v1/vehicles/{id}"
	// New builds request number i of worker w (both from 0).
	New func(worker, i int) (*http.Request, error)
	// Want is the status code that counts as success.
	Want int
}

// Limits bound one route's run: it stops at whichever comes first.
type Limits struct {
	Duration    time.Duration // wall time
	MaxRequests int           // requests in all
	Concurrency int           // workers sending one request at a time each
}

// Result is what one route's run measured.
type Result struct {
	Route     string
	Requests  int           // requests completed (successes and errors)
	Errors    int           // requests that failed or answered another status than Route.Want
	FirstErr  string        // what the first error was
	Elapsed   time.Duration // wall time of the run
	Latencies []time.Duration
}

// PerSecond returns the completed requests per second of wall time.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Percentile returns the latency below which p percent of the successful requests completed (nearest rank).
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.Latencies)
	slices.Sort(s)
	k := int(p/100*float64(len(s))+0.999999) - 1
	return s[max(0, min(k, len(s)-1))]
}

// Run sends rt's requests from lim.Concurrency workers through client until lim.Duration has passed or
// lim.MaxRequests were sent, and measures them. It stops early when ctx is done.
func Run(ctx context.Context, client *http.Client, rt Route, lim Limits) Result {
	if lim.Concurrency < 1 {
		lim.Concurrency = 1
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Duration)
	defer cancel()
	var sent atomic.Int64
	var mu sync.Mutex
	res := Result{Route: rt.Name}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range lim.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var n, errs int
			var first string
			for i := 0; ctx.Err() == nil && (lim.MaxRequests <= 0 || sent.Add(1) <= int64(lim.MaxRequests)); i++ {
				d, err := once(ctx, client, rt, w, i)
				if ctx.Err() != nil {
					break // the request was cut short by the deadline: not a measurement
				}
				n++
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
					continue
				}
				lat = append(lat, d)
			}
			mu.Lock()
			res.Requests += n
			res.Errors += errs
			res.Latencies = append(res.Latencies, lat...)
			if res.FirstErr == "" {
				res.FirstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res
}

// once sends one request and returns its latency.
func once(ctx context.Context, client *http.Client, rt Route, w, i int) (time.Duration, error) {
	req, err := rt.New(w, i)
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return 0, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(t0)
	if resp.StatusCode != rt.Want {
		return d, fmt.Errorf("%s: status %d, want %d: %.200s", rt.Name, resp.StatusCode, rt.Want, body)
	}
	return d, nil
}

// NewClient returns an HTTP client that keeps enough idle connections for concurrency workers.
func NewClient(concurrency int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = concurrency * 2
	tr.MaxIdleConnsPerHost = concurrency * 2
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}
