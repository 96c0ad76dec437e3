package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEmbeddingReservesTheCar(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	assert.Regexp(t, `^Lada Vesta 2026: reserved \(test drive \d\d\.\d\d\.\d{4} 10:00 \S+\)\n$`, out.String())
}
