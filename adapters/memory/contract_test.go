package memory_test

import (
	"testing"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/memory"
)

func TestContract(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T) adaptertest.Backend { return memory.New() })
}

// TestContractReadsRunTwice runs the contract suite on memory with every read-only unit of work run twice
// (adaptertest.RerunReads): any adapter may run a View's fn more than once (crm.UnitOfWork; PostgreSQL does the
// first time a call site reads in more than one statement), so every read of the domain must start afresh on each
// run — memory alone, which runs it once, would not show one that keeps something of its first run.
func TestContractReadsRunTwice(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T) adaptertest.Backend { return adaptertest.RerunReads(memory.New(), nil) })
}
