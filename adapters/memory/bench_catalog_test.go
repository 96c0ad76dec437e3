package memory_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// benchVehicles is how many vehicles the catalog benchmarks seed for one dealer.
const benchVehicles = 100_000

// catalogBench is the seeded database, built once per test binary and only when a catalog benchmark runs.
var catalogBench struct {
	once sync.Once
	db   *memory.DB
	ctx  context.Context
	ids  []crm.ID
}

// benchVehicle returns the i-th seeded vehicle: 10 makes × 5 models, statuses 70 % in stock, prices from 500,000 to
// 5,000,000, model years 2010–2026; deterministic, so the PostgreSQL benchmark seeds the same shape.
func benchVehicle(rng *rand.Rand, dealer crm.ID, i int, epoch time.Time) catalog.Vehicle {
	makes := []string{"Lada", "Kia", "Hyundai", "Toyota", "Škoda", "Haval", "Chery", "Geely", "Renault", "Москвич"}
	statuses := []catalog.Status{catalog.StatusInStock, catalog.StatusInStock, catalog.StatusInStock, catalog.StatusInStock,
		catalog.StatusInStock, catalog.StatusInStock, catalog.StatusInStock, catalog.StatusInTransit, catalog.StatusReserved,
		catalog.StatusUnavailable}
	var id crm.ID
	for j := range id {
		id[j] = byte(rng.Uint32())
	}
	id[6], id[8] = id[6]&0x0f|0x40, id[8]&0x3f|0x80
	m := rng.IntN(len(makes))
	v := catalog.Vehicle{
		Meta: crm.Meta{ID: id, DealerID: dealer, CreatedAt: epoch.Add(time.Duration(i) * time.Second)},
		VIN:  catalog.VIN(fmt.Sprintf("XTA%014d", i)), Make: makes[m], Model: fmt.Sprintf("Model %d", rng.IntN(5)),
		Trim: []string{"Base", "Comfort", "Luxe"}[rng.IntN(3)], Year: 2010 + rng.IntN(17), Condition: catalog.New,
		Status: statuses[rng.IntN(len(statuses))], Location: "Площадка 1", Mileage: rng.IntN(100_000),
	}
	v.UpdatedAt = v.CreatedAt
	v.Finance = catalog.VehicleFinance{ListPrice: crm.NewMoney(decimal.New(int64(500+rng.IntN(4500))*1000, 0), "RUB"),
		Cost: crm.Zero("RUB"), Discount: crm.Zero("RUB"), MarketValue: crm.Zero("RUB"), VATRate: decimal.RequireFromString("0.2")}
	v.Specs = catalog.VehicleSpecs{EngineType: "petrol I4", DisplacementCC: 1600, PowerHP: decimal.NewFromInt(106), Seats: 5, Doors: 4}
	if v.Status == catalog.StatusReserved {
		v.Reservations = []catalog.Reservation{{Purpose: catalog.ForTestDrive, RefID: id, Holder: catalog.Holder{LeadID: id},
			CreatedAt: v.CreatedAt}}
	}
	return v
}

func seedCatalog(b *testing.B) {
	catalogBench.once.Do(func() {
		start := time.Now()
		db := memory.New()
		dealer := uuid.MustParse("00000000-0000-4000-8000-0000000000be")
		ctx := crm.WithDealer(context.Background(), dealer)
		rng := rand.New(rand.NewPCG(2026, 11))
		epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		ids := make([]crm.ID, 0, benchVehicles)
		err := crm.NewUnit[catalog.Stores](db, nil).Update(ctx, func(ctx context.Context, s catalog.Stores) error {
			for i := range benchVehicles {
				v := benchVehicle(rng, dealer, i, epoch)
				if err := s.Vehicles().Create(ctx, &v); err != nil {
					return err
				}
				ids = append(ids, v.ID)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		catalogBench.db, catalogBench.ctx, catalogBench.ids = db, ctx, ids
		b.Logf("seeded %d vehicles in %v", benchVehicles, time.Since(start))
	})
	if catalogBench.db == nil {
		b.Fatal("seeding failed")
	}
}

// BenchmarkCatalogGet is one View unit with one vehicle Get among 100,000.
func BenchmarkCatalogGet(b *testing.B) {
	seedCatalog(b)
	unit, ctx, ids := crm.NewUnit[catalog.Stores](catalogBench.db, nil), catalogBench.ctx, catalogBench.ids
	b.Run("Serial", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			err := unit.View(ctx, func(ctx context.Context, s catalog.Stores) error {
				_, err := s.Vehicles().Get(ctx, ids[i%len(ids)])
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("Parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(len(ids))
			for pb.Next() {
				err := unit.View(ctx, func(ctx context.Context, s catalog.Stores) error {
					_, err := s.Vehicles().Get(ctx, ids[i%len(ids)])
					return err
				})
				if err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
}

// BenchmarkCatalogSearch runs searches over the 100,000 vehicles in a View unit: the keyset page the PostgreSQL
// benchmark runs (status, make, model, price range; 50 rows; third page), the first page with no filter, and a
// free-text search.
func BenchmarkCatalogSearch(b *testing.B) {
	seedCatalog(b)
	unit, ctx := crm.NewUnit[catalog.Stores](catalogBench.db, nil), catalogBench.ctx
	from, to := decimal.NewFromInt(1_000_000), decimal.NewFromInt(3_000_000)
	search := func(b *testing.B, q catalog.VehicleQuery) catalog.VehiclePage {
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
	keyset := catalog.VehicleQuery{Status: []catalog.Status{catalog.StatusInStock, catalog.StatusReserved}, Make: "Kia",
		Model: "Model 2", PriceFrom: &from, PriceTo: &to, Limit: 50}
	for range 2 {
		keyset.Cursor = search(b, keyset).NextCursor
	}
	for _, c := range []struct {
		name string
		q    catalog.VehicleQuery
	}{
		{"KeysetPage", keyset},
		{"AllFirstPage", catalog.VehicleQuery{Limit: 50}},
		{"PriceDescFirstPage", catalog.VehicleQuery{Sort: catalog.SortPrice, Desc: true, Limit: 50}},
		{"Text", catalog.VehicleQuery{Text: "kia model 3 lux", Limit: 50}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if page := search(b, c.q); len(page.Items) == 0 {
					b.Fatal("empty page")
				}
			}
		})
	}
}
