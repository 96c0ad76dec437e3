package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCatalogSearchParity saves the same vehicles (same IDs and times) in both adapters and pages through many
// random searches on each: the pages, and even the cursors, must be identical.
func TestCatalogSearchParity(t *testing.T) {
	pg := pgtest.Open(t)
	mem := memory.New()
	ctx := crm.WithDealer(context.Background(), crm.NewID())
	epoch := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(7, 11))
	makes := [][2]string{{"Lada", "Vesta"}, {"LADA", "Granta"}, {"Kia", "Rio"}, {"Škoda", "Octavia"},
		{"Москвич", "3"}, {"МОСКВИЧ", "3e"}, {"Haval", "F7"}, {"Chery", "Tiggo 7 Pro"}}
	trims := []string{"", "Comfort", "Luxe", "Люкс", "Tech_Plus"}
	statuses := []catalog.Status{catalog.StatusInStock, catalog.StatusInTransit, catalog.StatusReserved,
		catalog.StatusSold, catalog.StatusUnavailable}
	var vehicles []catalog.Vehicle
	for i := range 300 {
		mm := makes[rng.IntN(len(makes))]
		v := catalog.Vehicle{
			Meta: crm.Meta{ID: crm.NewID(), CreatedAt: epoch.Add(time.Duration(rng.IntN(120)) * time.Minute)},
			VIN:  catalog.VIN(fmt.Sprintf("XTA%014d", i)), Make: mm[0], Model: mm[1], Trim: trims[rng.IntN(len(trims))],
			Year: 2010 + rng.IntN(17), Condition: catalog.Used, Status: statuses[rng.IntN(len(statuses))],
		}
		v.UpdatedAt = v.CreatedAt
		v.Finance.ListPrice = crm.NewMoney(decimal.New(int64(500+rng.IntN(40))*50_000, 0), "RUB")
		v.Finance.Cost, v.Finance.Discount, v.Finance.MarketValue = crm.Zero("RUB"), crm.Zero("RUB"), crm.Zero("RUB")
		vehicles = append(vehicles, v)
	}
	// Stores stamp CreatedAt with the unit's now: each vehicle is created by a unit whose clock reads its time.
	clock := crm.NewManualClock(epoch)
	for _, b := range []crm.Transactor{pg, mem} {
		u := crm.NewUnit[catalog.Stores](b, clock)
		for _, v := range vehicles {
			clock.Set(v.CreatedAt)
			require.NoError(t, u.Update(ctx, func(ctx context.Context, s catalog.Stores) error { return s.Vehicles().Create(ctx, &v) }))
		}
	}
	pages := func(u crm.UnitOfWork[catalog.Stores], q catalog.VehicleQuery) (out []string) {
		for range 400 {
			var page catalog.VehiclePage
			require.NoError(t, u.View(ctx, func(ctx context.Context, s catalog.Stores) (err error) {
				page, err = s.Vehicles().Search(ctx, q)
				return err
			}))
			for _, v := range page.Items {
				out = append(out, v.ID.String())
			}
			out = append(out, "cursor "+page.NextCursor)
			if page.NextCursor == "" {
				return out
			}
			q.Cursor = page.NextCursor
		}
		t.Fatal("search did not end")
		return nil
	}
	texts := []string{"", "", "a", "es", "tig", "ЛЮ", "_", "%", "xta0000000000012", "3e"}
	for i := range 150 {
		q := catalog.VehicleQuery{Sort: []catalog.VehicleSort{catalog.SortCreated, catalog.SortPrice, catalog.SortYear}[rng.IntN(3)],
			Desc: rng.IntN(2) == 0, Limit: []int{0, 1, 7, 30}[rng.IntN(4)], Text: texts[rng.IntN(len(texts))]}
		if rng.IntN(2) == 0 {
			mm := makes[rng.IntN(len(makes))]
			q.Make = mm[0]
			if rng.IntN(2) == 0 {
				q.Model = mm[1]
			}
		}
		if rng.IntN(3) == 0 {
			q.Trim = trims[rng.IntN(len(trims))]
		}
		for _, s := range statuses {
			if rng.IntN(4) == 0 {
				q.Status = append(q.Status, s)
			}
		}
		if rng.IntN(3) == 0 {
			q.YearFrom = 2010 + rng.IntN(10)
		}
		if rng.IntN(3) == 0 {
			q.YearTo = 2018 + rng.IntN(9)
		}
		if rng.IntN(3) == 0 {
			d := decimal.New(int64(500+rng.IntN(20))*50_000, 0)
			q.PriceFrom = &d
		}
		if rng.IntN(3) == 0 {
			d := decimal.New(int64(520+rng.IntN(20))*50_000, 0)
			q.PriceTo = &d
		}
		if q.YearFrom > q.YearTo && q.YearTo != 0 {
			q.YearFrom, q.YearTo = q.YearTo, q.YearFrom
		}
		if q.PriceFrom != nil && q.PriceTo != nil && q.PriceFrom.GreaterThan(*q.PriceTo) {
			q.PriceFrom, q.PriceTo = q.PriceTo, q.PriceFrom
		}
		assert.Equal(t, pages(crm.NewUnit[catalog.Stores](mem, nil), q), pages(crm.NewUnit[catalog.Stores](pg, nil), q), "query %d: %+v", i, q)
	}
}
