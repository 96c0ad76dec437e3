package postgres_test

import (
	"testing"

	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/stretchr/testify/assert"
)

func TestWithBinaryParameters(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u@h:5432/db?sslmode=disable":                 "postgres://u@h:5432/db?binary_parameters=yes&sslmode=disable",
		"postgresql://u@h/db":                                    "postgresql://u@h/db?binary_parameters=yes",
		"postgres://u@h/db?sslmode=disable&binary_parameters=no": "postgres://u@h/db?sslmode=disable&binary_parameters=no",
		"host=127.0.0.1 dbname=test sslmode=disable":             "host=127.0.0.1 dbname=test sslmode=disable binary_parameters=yes",
		"host=127.0.0.1 binary_parameters=yes":                   "host=127.0.0.1 binary_parameters=yes",
		"":                                                       "binary_parameters=yes",
	} {
		assert.Equal(t, want, postgres.WithBinaryParameters(in), in)
	}
}
