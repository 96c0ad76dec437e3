package stack_test

import (
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/postgres"
	"github.com/dealercrm/dealercrm/adapters/stack"
)

// Both storage adapters are backends.
var (
	_ stack.Backend = (*memory.DB)(nil)
	_ stack.Backend = (*postgres.DB)(nil)
)
