package httpapi_test

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/httpapi/idempotencytest"
)

func TestIdempotencyStoreContractMemory(t *testing.T) {
	idempotencytest.Run(t, func(t *testing.T, lifetime time.Duration) httpapi.IdempotencyStore {
		return httpapi.NewMemoryIdempotencyStore(lifetime)
	})
}
