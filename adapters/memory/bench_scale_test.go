package memory_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// The scale series (issue 16 item 6): the same request at 1k, 10k and 100k cars of the asking dealer, with as many
// cars of another dealer beside them, so that a cost growing with the size is a scan, and one growing with the
// other dealer's rows is a scan of rows that are not the dealer's.
//
//	go test -run XXX -bench 'BenchmarkScale' -benchmem -count 6 ./adapters/memory

var scaleSizes = []int{1_000, 10_000, 100_000}

// scaleDB returns a database with n cars of the returned dealer and n of another one (seeded once per size).
func scaleDB(b *testing.B, n int) (*memory.DB, context.Context) {
	b.Helper()
	if s, ok := scaleDBs[n]; ok {
		return s.db, s.ctx
	}
	db := memory.New()
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ctx context.Context
	for k, dealer := range []crm.ID{crm.NewID(), crm.NewID()} {
		dctx := crm.WithDealer(context.Background(), dealer)
		if k == 0 {
			ctx = dctx
		}
		rng := rand.New(rand.NewPCG(uint64(n), uint64(k)))
		const batch = 10_000 // one unit of work per batch, with its own time: created_at differs between batches
		for from := 0; from < n; from += batch {
			clock := crm.NewManualClock(epoch.Add(time.Duration(from) * time.Second))
			err := crm.NewUnit[catalog.Stores](db, clock).Update(dctx, func(ctx context.Context, s catalog.Stores) error {
				for i := from; i < min(n, from+batch); i++ {
					v := benchVehicle(rng, dealer, i+k*10_000_000, epoch)
					if err := s.Vehicles().Create(ctx, &v); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	scaleDBs[n] = scaleState{db, ctx}
	return db, ctx
}

type scaleState struct {
	db  *memory.DB
	ctx context.Context
}

var scaleDBs = map[int]scaleState{}

func sizeName(n int) string { return fmt.Sprintf("size=%dk", n/1000) }

// BenchmarkScaleVehicleFirstPage is the first page of 20 of the catalog in the default order (created_at
// ascending, oldest first, as GET /api/v1/vehicles?limit=20 asks), newest first, by price descending, the third
// page newest first, a filter, and two texts.
func BenchmarkScaleVehicleFirstPage(b *testing.B) {
	cases := []struct {
		name  string
		q     catalog.VehicleQuery
		pages int // pages to skip first
	}{
		{"Default", catalog.VehicleQuery{Limit: 20}, 0},
		{"CreatedDesc", catalog.VehicleQuery{Desc: true, Limit: 20}, 0},
		{"PriceDesc", catalog.VehicleQuery{Sort: catalog.SortPrice, Desc: true, Limit: 20}, 0},
		{"ThirdPage", catalog.VehicleQuery{Desc: true, Limit: 20}, 2},
		{"InStockKia", catalog.VehicleQuery{Status: []catalog.Status{catalog.StatusInStock}, Make: "kia", Desc: true, Limit: 20}, 0},
		{"TextVIN", catalog.VehicleQuery{Text: "00000042", Limit: 20}, 0},
		{"TextWords", catalog.VehicleQuery{Text: "kia model 3 lux", Limit: 20}, 0},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for _, n := range scaleSizes {
				b.Run(sizeName(n), func(b *testing.B) {
					db, ctx := scaleDB(b, n)
					unit := crm.NewUnit[catalog.Stores](db, nil)
					search := func(q catalog.VehicleQuery) catalog.VehiclePage {
						var page catalog.VehiclePage
						err := unit.View(ctx, func(ctx context.Context, s catalog.Stores) (err error) {
							page, err = s.Vehicles().Search(ctx, q)
							return err
						})
						if err != nil {
							b.Fatal(err)
						}
						return page
					}
					q := c.q
					for range c.pages {
						q.Cursor = search(q).NextCursor
					}
					b.ReportAllocs()
					for b.Loop() {
						if page := search(q); len(page.Items) == 0 {
							b.Fatal("empty page")
						}
					}
				})
			}
		})
	}
}

// BenchmarkScaleBooking books a test drive (leads.Service.BookTestDrive on memory) on a car that already had
// drives=N booked drives before now, then (off the clock) cancels it, so every iteration books against the same
// calendar.
func BenchmarkScaleBooking(b *testing.B) {
	for _, n := range []int{0, 100, 1_000, 5_000} {
		b.Run(fmt.Sprintf("drives=%d", n), func(b *testing.B) {
			db := memory.New()
			dealer, err := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север»", Currency: "RUB"}, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			if err := crm.NewUnit[crm.Stores](db, nil).Update(context.Background(), func(ctx context.Context, s crm.Stores) error {
				return s.Dealers().Create(ctx, &dealer)
			}); err != nil {
				b.Fatal(err)
			}
			ctx := crm.WithDealer(context.Background(), dealer.ID)
			loc := leads.DefaultConfig().Location
			now := time.Date(2026, 12, 1, 8, 0, 0, 0, loc)
			clock := crm.NewManualClock(now)
			svc := leads.NewService(crm.NewUnit[leads.Stores](db, clock), clock)
			if err := svc.SeedDirectories(ctx); err != nil {
				b.Fatal(err)
			}
			lead, err := svc.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
				Phones: []string{"+7 901 0000001"}}, Source: leads.SourceWebsite, NeedType: leads.NeedCarPurchase})
			if err != nil {
				b.Fatal(err)
			}
			car, err := catalog.NewVehicle(dealer, catalog.Vehicle{VIN: "XTA00000000000001", Make: "Lada", Model: "Vesta",
				Year: 2026}, now)
			if err != nil {
				b.Fatal(err)
			}
			err = crm.NewUnit[leads.Stores](db, clock).Update(ctx, func(ctx context.Context, s leads.Stores) error {
				if err := s.Vehicles().Create(ctx, &car); err != nil {
					return err
				}
				for i := range n { // past drives, every 30 minutes back from yesterday
					start := now.Add(-24*time.Hour - time.Duration(i+1)*30*time.Minute)
					d := leads.TestDrive{LeadID: lead.ID, VehicleID: car.ID, Start: start, End: start.Add(30 * time.Minute),
						Status: leads.TestDriveBooked}
					if err := s.TestDrives().Create(ctx, &d); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			start := time.Date(2026, 12, 1, 12, 0, 0, 0, loc).UTC()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				d, err := svc.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: lead.ID, VehicleID: car.ID, Start: start})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if _, err := svc.CancelTestDrive(ctx, d.ID, d.Version, "bench"); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}

// BenchmarkScaleDriveCreate is the store's part of a booking: TestDrives().Create of a booked drive on a car that
// has drives=N booked drives already (its overlap check, what PostgreSQL's exclusion constraint does), each
// iteration in a later slot.
func BenchmarkScaleDriveCreate(b *testing.B) {
	for _, n := range []int{0, 100, 1_000, 10_000} {
		b.Run(fmt.Sprintf("drives=%d", n), func(b *testing.B) {
			db := memory.New()
			ctx := crm.WithDealer(context.Background(), crm.NewID())
			unit := crm.NewUnit[leads.Stores](db, nil)
			car, lead := crm.NewID(), crm.NewID()
			at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			book := func(ctx context.Context, s leads.Stores) error {
				d := leads.TestDrive{LeadID: lead, VehicleID: car, Start: at, End: at.Add(30 * time.Minute), Status: leads.TestDriveBooked}
				at = d.End
				return s.TestDrives().Create(ctx, &d)
			}
			if err := unit.Update(ctx, func(ctx context.Context, s leads.Stores) error {
				for range n {
					if err := book(ctx, s); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := unit.Update(ctx, book); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScaleVehicleWrite is what the catalog's indexes (the ordered views and the text index) cost a write at
// 1k, 10k and 100k cars of the dealer: UpdateText changes a car's trim (Luxe ↔ Comfort: some of its text's
// trigrams leave and others enter), CreateRolledBack creates a car in a unit of work that then fails (the create
// and its undo, so the catalog stays the same size).
func BenchmarkScaleVehicleWrite(b *testing.B) {
	errRollBack := errors.New("roll back")
	for _, name := range []string{"UpdateText", "CreateRolledBack"} {
		b.Run(name, func(b *testing.B) {
			for _, n := range scaleSizes {
				b.Run(sizeName(n), func(b *testing.B) {
					db, ctx := scaleDB(b, n)
					unit := crm.NewUnit[catalog.Stores](db, nil)
					var id crm.ID
					if err := unit.View(ctx, func(ctx context.Context, s catalog.Stores) error {
						p, err := s.Vehicles().Search(ctx, catalog.VehicleQuery{Limit: 1})
						if err == nil {
							id = p.Items[0].ID
						}
						return err
					}); err != nil {
						b.Fatal(err)
					}
					rng := rand.New(rand.NewPCG(uint64(n), 99))
					epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
					b.ReportAllocs()
					i := 0
					for b.Loop() {
						i++
						err := unit.Update(ctx, func(ctx context.Context, s catalog.Stores) error {
							if name == "CreateRolledBack" {
								d, _ := crm.DealerFrom(ctx)
								v := benchVehicle(rng, d, 20_000_000+i, epoch)
								if err := s.Vehicles().Create(ctx, &v); err != nil {
									return err
								}
								return errRollBack
							}
							v, err := s.Vehicles().Get(ctx, id)
							if err != nil {
								return err
							}
							v.Trim = map[bool]string{true: "Luxe", false: "Comfort"}[v.Trim != "Luxe"]
							return s.Vehicles().Update(ctx, &v)
						})
						if err != nil && !errors.Is(err, errRollBack) {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkScaleVehicleHeap reports the heap a catalog of n cars of one dealer takes after a collection, per car
// (B/car): the cards, the table, its ordered views and the text index. One iteration builds the catalog.
func BenchmarkScaleVehicleHeap(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			var perCar float64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				db := memory.New()
				dealer := crm.NewID()
				ctx := crm.WithDealer(context.Background(), dealer)
				rng := rand.New(rand.NewPCG(uint64(n), 0))
				epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
				for from := 0; from < n; from += 10_000 {
					if err := crm.NewUnit[catalog.Stores](db, nil).Update(ctx, func(ctx context.Context, s catalog.Stores) error {
						for i := from; i < min(n, from+10_000); i++ {
							v := benchVehicle(rng, dealer, i, epoch)
							if err := s.Vehicles().Create(ctx, &v); err != nil {
								return err
							}
						}
						return nil
					}); err != nil {
						b.Fatal(err)
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				perCar = float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
				runtime.KeepAlive(db)
			}
			b.ReportMetric(perCar, "B/car")
		})
	}
}
