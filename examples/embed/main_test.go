package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEmbeddingServesBothMuxes: the program's own route and the mounted CRM API answer on one mux; the API
// sees the car the program reserved. It runs at 23:00 Moscow time too: nothing depends on the hour.
func TestEmbeddingServesBothMuxes(t *testing.T) {
	for _, at := range []time.Time{time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC), time.Date(2026, 11, 27, 20, 0, 0, 0, time.UTC)} {
		var out bytes.Buffer
		a, err := setUp(context.Background(), crm.NewManualClock(at), &out)
		require.NoError(t, err)
		assert.Regexp(t, `^Lada Vesta 2026: reserved \(test drive \d\d\.\d\d\.\d{4} \d\d:\d\d \S+\)\n$`, out.String())
		srv := httptest.NewServer(a.mux)

		res, err := http.Get(srv.URL + "/hello")
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		assert.Equal(t, "hello from the embedding program\n", string(body))

		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/vehicles", nil)
		req.Header.Set("Authorization", "Bearer "+a.token)
		res, err = http.DefaultClient.Do(req)
		require.NoError(t, err)
		var list struct {
			Items []struct {
				Status string `json:"status"`
			} `json:"items"`
		}
		require.NoError(t, json.NewDecoder(res.Body).Decode(&list))
		res.Body.Close()
		require.Equal(t, 200, res.StatusCode)
		require.Len(t, list.Items, 1)
		assert.Equal(t, "reserved", list.Items[0].Status)

		res, err = http.Get(srv.URL + "/api/v1/vehicles")
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, 401, res.StatusCode, "the API keeps its authentication when mounted")
		res, err = http.Get(srv.URL + "/openapi.json")
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, 200, res.StatusCode)
		srv.Close()
	}
}

// TestRunListensAndStops runs the whole program on a free port and stops it through its context.
func TestRunListensAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", crm.SystemClock{}, pw); pw.Close() }()
	lines := bufio.NewScanner(pr)
	var base string
	for lines.Scan() {
		if after, ok := strings.CutPrefix(lines.Text(), "listening on "); ok {
			base = after
			break
		}
	}
	require.NotEmpty(t, base)
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	res, err := http.Get(base + "/hello")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 200, res.StatusCode)
	cancel()
	require.NoError(t, <-done)
}
