package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBaselineRun(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), options{baseline: true, duration: 400 * time.Millisecond, concurrency: 2,
		maxRequests: 200, routes: "get,list,lead,drive", markdown: true}, &out)
	require.NoError(t, err)
	for _, want := range []string{"bare net/http baseline", "GET  /api/v1/vehicles/{id}", "POST /api/v1/leads/{id}/test-drives", "| route |"} {
		assert.Contains(t, out.String(), want)
	}
	assert.NotContains(t, out.String(), "first error")
}

func TestRunNeedsAToken(t *testing.T) {
	err := run(context.Background(), options{addr: "127.0.0.1:1", duration: time.Second, concurrency: 1, routes: "get"}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "-token is required")
}

func TestUnknownRoute(t *testing.T) {
	err := run(context.Background(), options{baseline: true, duration: 100 * time.Millisecond, concurrency: 1, routes: "nope"}, &bytes.Buffer{})
	assert.ErrorContains(t, err, `unknown route "nope"`)
}
