package memory_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/dealercrm/dealercrm/timeline"
	"github.com/shopspring/decimal"
)

// scopeFixture is one dealer's small book (a customer with a lead, notices, sales, a completed drive, a plan) in a
// database where another dealer's rows can be added: a query of the first dealer must cost the same however many
// rows the other has (outside review D3).
type scopeFixture struct {
	db                *memory.DB
	ctx, otherCtx     context.Context
	customer, ownerID crm.ID
	epoch             time.Time
}

func newScopeFixture(t testing.TB) *scopeFixture {
	t.Helper()
	f := &scopeFixture{db: memory.New(), ownerID: crm.NewID(), epoch: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	f.ctx = crm.WithDealer(context.Background(), crm.NewID())
	f.otherCtx = crm.WithDealer(context.Background(), crm.NewID())
	f.customer = crm.NewID()
	f.write(t, f.ctx, 1, 0)
	return f
}

func (f *scopeFixture) tx(t testing.TB, ctx context.Context, writable bool, fn func(ctx context.Context, tx *memory.Tx) error) {
	t.Helper()
	if err := f.db.Transact(ctx, writable, func(ctx context.Context, tx any) error { return fn(ctx, tx.(*memory.Tx)) }); err != nil {
		t.Fatal(err)
	}
}

// write adds n leads, each with a notice, an open and a won sale and a completed drive, and plans plans, to the
// context's dealer; the leads of the first dealer are its customer's.
func (f *scopeFixture) write(t testing.TB, ctx context.Context, n, plansN int) {
	t.Helper()
	const batch = 10_000
	for from := 0; from < max(n, plansN); from += batch {
		f.tx(t, ctx, true, func(ctx context.Context, tx *memory.Tx) error {
			for i := from; i < min(n, from+batch); i++ {
				customer := crm.NewID()
				if ctx == f.ctx {
					customer = f.customer
				}
				at := f.epoch.Add(time.Duration(i) * time.Minute)
				l := leads.Lead{CustomerID: customer, OwnerID: f.ownerID, Source: leads.SourceWebsite, NeedType: leads.NeedCarPurchase,
					Stage: "new"}
				if err := tx.Leads().Create(ctx, &l); err != nil {
					return err
				}
				m := crm.Message{Topic: "lead.created", Recipient: "x@example.ru", Subject: "s", CreatedAt: at,
					NextAttemptAt: at.Add(24 * time.Hour * 365),
					Data:          map[string]string{"customer_id": customer.String(), "lead_id": l.ID.String()}}
				if i%2 == 1 { // a notice to staff: no lead, no customer
					m.Data = map[string]string{"user_id": f.ownerID.String()}
				}
				if err := tx.Outbox().Enqueue(ctx, &m); err != nil {
					return err
				}
				amount := crm.NewMoney(decimal.NewFromInt(1_000_000), "RUB")
				open := sales.Sale{LeadID: l.ID, CustomerID: customer, OwnerID: f.ownerID, VehicleID: crm.NewID(), Status: sales.StatusOpen,
					Amount: amount, ExpectedClose: at, Probability: 50}
				won := sales.Sale{LeadID: l.ID, CustomerID: customer, OwnerID: f.ownerID, VehicleID: crm.NewID(), Status: sales.StatusWon,
					Amount: amount, WonAt: at}
				for _, s := range []*sales.Sale{&open, &won} {
					if err := tx.Sales().Create(ctx, s); err != nil {
						return err
					}
				}
				d := leads.TestDrive{LeadID: l.ID, CustomerID: customer, VehicleID: crm.NewID(), Start: at, End: at.Add(30 * time.Minute),
					Status: leads.TestDriveCompleted}
				if err := tx.TestDrives().Create(ctx, &d); err != nil {
					return err
				}
			}
			for i := from; i < min(plansN, from+batch); i++ { // one owner each: no two overlap
				p := plans.Plan{Period: plans.Month, Start: f.epoch, Scope: plans.Scope{OwnerID: crm.NewID()}, TargetUnits: 1}
				if err := tx.Plans().Create(ctx, &p); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// queries are the first dealer's queries that once walked every dealer's rows, by name.
func (f *scopeFixture) queries(t testing.TB) map[string]func() {
	q := analytics.Query{From: f.epoch.Add(-time.Hour), To: f.epoch.Add(24 * time.Hour), Currency: "RUB"}
	view := func(fn func(ctx context.Context, tx *memory.Tx) error) func() {
		return func() { f.tx(t, f.ctx, false, fn) }
	}
	return map[string]func(){
		"Timeline": view(func(ctx context.Context, tx *memory.Tx) error {
			items, err := tx.Timeline().Customer(ctx, f.customer, timeline.Position{}, 20)
			if err == nil && len(items) == 0 {
				err = fmt.Errorf("empty timeline")
			}
			return err
		}),
		"OutboxList": view(func(ctx context.Context, tx *memory.Tx) error {
			_, err := tx.Outbox().List(ctx, 20)
			return err
		}),
		"OutboxClaim": func() { // nothing of the first dealer's is due
			f.tx(t, f.ctx, true, func(ctx context.Context, tx *memory.Tx) error {
				_, err := tx.Outbox().Claim(ctx, crm.Lease{Token: crm.NewID(), Until: f.epoch.Add(time.Hour)}, f.epoch.Add(time.Hour), 10)
				return err
			})
		},
		"Funnel": view(func(ctx context.Context, tx *memory.Tx) error {
			_, _, err := tx.Analytics().Funnel(ctx, q)
			return err
		}),
		"Conversion": view(func(ctx context.Context, tx *memory.Tx) error {
			_, _, err := tx.Analytics().Conversion(ctx, q, analytics.ByManager)
			return err
		}),
		"StageTimes": view(func(ctx context.Context, tx *memory.Tx) error {
			_, _, err := tx.Analytics().StageTimes(ctx, q)
			return err
		}),
		"Results": view(func(ctx context.Context, tx *memory.Tx) error {
			_, _, err := tx.Analytics().Results(ctx, q, analytics.ByNeedType)
			return err
		}),
		"Summary": view(func(ctx context.Context, tx *memory.Tx) error {
			_, _, err := tx.Analytics().Summary(ctx, q)
			return err
		}),
		"LeadResponse": view(func(ctx context.Context, tx *memory.Tx) error {
			_, _, _, err := tx.Analytics().LeadResponse(ctx, q, analytics.BySource)
			return err
		}),
		"PlanActuals": view(func(ctx context.Context, tx *memory.Tx) error {
			_, err := tx.PlanProgress().Actuals(ctx, plans.ProgressQuery{From: q.From, To: q.To, Currency: "RUB"})
			return err
		}),
		"PlanList": view(func(ctx context.Context, tx *memory.Tx) error {
			_, err := tx.Plans().List(ctx, time.Time{}, time.Time{}, crm.ID{})
			return err
		}),
	}
}

// TestOneDealersQueriesIgnoreOtherDealersRows measures the allocations of each of one dealer's queries that once
// walked every dealer's rows (the customer timeline walked the whole outbox and parsed each message's lead_id:
// 3 allocations per other dealer's message), with no other dealer, then with another dealer holding 50,000 leads,
// notices, drives and twice as many sales (and 500 plans): they must not change. The test of "rows read" for the
// reports, which read other dealers' rows without allocating, is TestNoQueryRangesOverAWholeTable.
func TestOneDealersQueriesIgnoreOtherDealersRows(t *testing.T) {
	f := newScopeFixture(t)
	qs := f.queries(t)
	before := map[string]float64{}
	for name, q := range qs {
		before[name] = testing.AllocsPerRun(20, q)
	}
	f.write(t, f.otherCtx, 50_000, 500)
	for name, q := range qs {
		if after := testing.AllocsPerRun(20, q); after != before[name] {
			t.Errorf("%s: %v allocations with another dealer's 50,000 rows, %v without", name, after, before[name])
		}
	}
}

// BenchmarkScaleOtherDealer is the scale series of outside review D3: one dealer's customer timeline, outbox list
// and reports with other=N leads, notices, drives and 2N sales of another dealer beside its own few.
//
//	go test -run XXX -bench 'BenchmarkScaleOtherDealer' -benchmem -count 3 ./adapters/memory
func BenchmarkScaleOtherDealer(b *testing.B) {
	for _, n := range []int{0, 10_000, 100_000} {
		f := newScopeFixture(b)
		f.write(b, f.otherCtx, n, 0)
		qs := f.queries(b)
		for _, name := range []string{"Timeline", "OutboxList", "Summary", "Conversion", "PlanActuals"} {
			b.Run(fmt.Sprintf("%s/other=%dk", name, n/1000), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					qs[name]()
				}
			})
		}
	}
}
