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
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Backend is a storage adapter under test: it runs transactions over every store (crm.Transactor), and
// crm.NewUnit makes each domain's unit of work over it with the test's clock. *memory.DB and *postgres.DB are
// Backends.
type Backend = crm.Transactor

// Open returns a fresh, empty backend for one test.
type Open func(t *testing.T) Backend

// Run runs the whole contract against backends made by open.
//
// Every test opens a backend of its own, so the tests are independent and run in parallel (t.Parallel, bounded by
// go test's -parallel): open is called from each test's goroutine after it has marked itself parallel. The relay
// tests run first and alone, because some of them judge that nothing waits on a hung notifier by the clock.
func Run(t *testing.T, open Open) {
	popen := parallel(open)
	t.Run("relay", func(t *testing.T) { runRelay(t, open) })
	t.Run("kernel", func(t *testing.T) { t.Parallel(); runKernel(t, popen) })
	t.Run("catalog", func(t *testing.T) { t.Parallel(); runCatalog(t, popen) })
	t.Run("leads", func(t *testing.T) { t.Parallel(); runLeads(t, popen) })
	t.Run("sales", func(t *testing.T) { t.Parallel(); runSales(t, popen) })
	t.Run("versions", func(t *testing.T) { t.Parallel(); runVersions(t, popen) })
	t.Run("customers", func(t *testing.T) { t.Parallel(); runCustomers(t, popen) })
	t.Run("times", func(t *testing.T) { t.Parallel(); runTimes(t, popen) })
	t.Run("records", func(t *testing.T) { t.Parallel(); runRecordStores(t, popen) })
	t.Run("deal", func(t *testing.T) { t.Parallel(); runDeal(t, popen) })
	t.Run("credit", func(t *testing.T) { t.Parallel(); runCredit(t, popen) })
	t.Run("activities", func(t *testing.T) { t.Parallel(); runActivities(t, popen) })
	t.Run("playbooks", func(t *testing.T) { t.Parallel(); runPlaybooks(t, popen) })
	t.Run("timeline", func(t *testing.T) { t.Parallel(); runTimeline(t, popen) })
	t.Run("leadresponse", func(t *testing.T) { t.Parallel(); runLeadResponse(t, popen) })
	t.Run("plans", func(t *testing.T) { t.Parallel(); runPlans(t, popen) })
	t.Run("analytics", func(t *testing.T) { t.Parallel(); runAnalytics(t, popen) })
	t.Run("directory", func(t *testing.T) { t.Parallel(); runDirectory(t, popen) })
	t.Run("aftersales", func(t *testing.T) { t.Parallel(); runAftersales(t, popen) })
	t.Run("appraisal", func(t *testing.T) { t.Parallel(); runAppraisal(t, popen) })
	t.Run("notify", func(t *testing.T) { t.Parallel(); runNotify(t, popen) })
	t.Run("campaigns", func(t *testing.T) { t.Parallel(); runCampaigns(t, popen) })
	t.Run("consent", func(t *testing.T) { t.Parallel(); runConsent(t, popen) })
}

// parallel returns open that first marks the calling test parallel (once per test: a test that opens two
// backends, or opens one in a subtest of a parallel test, is marked once).
func parallel(open Open) Open {
	var marked sync.Map // *testing.T → struct{}
	return func(t *testing.T) Backend {
		if _, done := marked.LoadOrStore(t, struct{}{}); !done {
			t.Parallel()
		}
		return open(t)
	}
}

// Epoch is the fixed start of every test clock.
var Epoch = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// NewDealer creates a dealer in b and returns a context scoped to it.
func NewDealer(t *testing.T, b Backend, name string) (context.Context, crm.Dealer) {
	t.Helper()
	d, err := crm.NewDealer(crm.Dealer{Name: name, LegalName: "ООО «" + name + "»", Currency: "RUB"}, Epoch)
	if err != nil {
		t.Fatal(err)
	}
	err = crm.NewUnit[crm.Stores](b, nil).Update(context.Background(), func(ctx context.Context, s crm.Stores) error {
		return s.Dealers().Create(ctx, &d)
	})
	if err != nil {
		t.Fatal(err)
	}
	return crm.WithDealer(context.Background(), d.ID), d
}
