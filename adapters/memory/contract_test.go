package memory_test

import (
	"testing"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/memory"
)

func TestContract(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T) adaptertest.Backend { return memory.New() })
}
