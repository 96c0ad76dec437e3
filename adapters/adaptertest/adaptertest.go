// Package adaptertest is the contract every storage adapter must pass: one suite, run against the in-memory
// and the PostgreSQL adapter alike, so that the two can never drift. It follows the standard library's
// conformance suites (nettest.TestConn, fstest.TestFS).
//
// An adapter's own test calls Run with a function that opens a fresh, empty backend:
//
//	func TestContract(t *testing.T) {
//		adaptertest.Run(t, func(t *testing.T) adaptertest.Backend { return memory.New() })
//	}
package adaptertest

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Backend is what an adapter hands out: one unit of work per domain bundle.
type Backend interface {
	KernelBackend
	CatalogBackend
	LeadsBackend
	SalesBackend
	CustomersBackend
}

// KernelBackend hands out the kernel's unit of work.
type KernelBackend interface {
	KernelUnit() crm.UnitOfWork[crm.Stores]
}

// Open returns a fresh, empty backend for one test.
type Open func(t *testing.T) Backend

// Run runs the whole contract against backends made by open.
func Run(t *testing.T, open Open) {
	t.Run("kernel", func(t *testing.T) { runKernel(t, open) })
	t.Run("relay", func(t *testing.T) { runRelay(t, open) })
	t.Run("catalog", func(t *testing.T) { runCatalog(t, open) })
	t.Run("leads", func(t *testing.T) { runLeads(t, open) })
	t.Run("sales", func(t *testing.T) { runSales(t, open) })
	t.Run("versions", func(t *testing.T) { runVersions(t, open) })
	t.Run("customers", func(t *testing.T) { runCustomers(t, open) })
}

// Epoch is the fixed start of every test clock.
var Epoch = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// NewDealer creates a dealer in b and returns a context scoped to it.
func NewDealer(t *testing.T, b KernelBackend, name string) (context.Context, crm.Dealer) {
	t.Helper()
	d, err := crm.NewDealer(crm.Dealer{Name: name, LegalName: "ООО «" + name + "»", Currency: "RUB"}, Epoch)
	if err != nil {
		t.Fatal(err)
	}
	err = b.KernelUnit().Update(context.Background(), func(ctx context.Context, s crm.Stores) error {
		return s.Dealers().Create(ctx, &d)
	})
	if err != nil {
		t.Fatal(err)
	}
	return crm.WithDealer(context.Background(), d.ID), d
}
