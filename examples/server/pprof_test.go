package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServerPprof: -pprof serves the runtime profiles on a listener of their own, not on the API's.
func TestServerPprof(t *testing.T) {
	s := start(t, "-pprof", "127.0.0.1:0")
	var at string
	for _, l := range s.lines {
		if a, ok := strings.CutPrefix(l, "pprof on "); ok {
			at = a
		}
	}
	require.NotEmpty(t, at, "the pprof line precedes the listening line: %v", s.lines)
	resp, err := http.Get(at + "goroutine?debug=1")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(body), "goroutine profile")

	resp, err = http.Get(s.base + "/debug/pprof/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.NotEqual(t, 200, resp.StatusCode, "not on the API's listener")
}
