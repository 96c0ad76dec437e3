package memory_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/shopspring/decimal"
)

// TestIndexesFollowRollback writes through the indexes (the per-dealer ordered views of the vehicles, a car's
// calendar of drives) in units of work that fail, and checks that searches answer as if nothing was written.
func TestIndexesFollowRollback(t *testing.T) {
	db := memory.New()
	dealer := crm.NewID()
	ctx := crm.WithDealer(context.Background(), dealer)
	unit := crm.NewUnit[leads.Stores](db, nil)
	car := func(i int, price int64) catalog.Vehicle {
		v := catalog.Vehicle{VIN: catalog.VIN(fmt.Sprintf("XTA%014d", i)), Make: "Lada", Model: "Vesta", Year: 2026,
			Condition: catalog.New, Status: catalog.StatusInStock}
		v.Finance = catalog.VehicleFinance{ListPrice: crm.NewMoney(decimal.NewFromInt(price), "RUB"), Cost: crm.Zero("RUB"),
			Discount: crm.Zero("RUB"), MarketValue: crm.Zero("RUB")}
		return v
	}
	var kept []crm.ID
	if err := unit.Update(ctx, func(ctx context.Context, s leads.Stores) error {
		for i := range 300 { // more than a chunk of the ordered views
			v := car(i, int64(1_000_000+i))
			if err := s.Vehicles().Create(ctx, &v); err != nil {
				return err
			}
			kept = append(kept, v.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	page := func(q catalog.VehicleQuery) []crm.ID {
		t.Helper()
		var ids []crm.ID
		if err := unit.View(ctx, func(ctx context.Context, s leads.Stores) error {
			p, err := s.Vehicles().Search(ctx, q)
			for _, v := range p.Items {
				ids = append(ids, v.ID)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	cheapest := page(catalog.VehicleQuery{Sort: catalog.SortPrice, Limit: 3})
	dearest := page(catalog.VehicleQuery{Sort: catalog.SortPrice, Desc: true, Limit: 3})
	if len(cheapest) != 3 || cheapest[0] != kept[0] || dearest[0] != kept[299] {
		t.Fatalf("price order: %v / %v", cheapest, dearest)
	}

	boom := errors.New("boom")
	err := unit.Update(ctx, func(ctx context.Context, s leads.Stores) error {
		for i := range 300 {
			v := car(1000+i, 1)
			if err := s.Vehicles().Create(ctx, &v); err != nil {
				return err
			}
		}
		v, err := s.Vehicles().Get(ctx, kept[299])
		if err != nil {
			return err
		}
		v.Finance.ListPrice = crm.NewMoney(decimal.NewFromInt(1), "RUB")
		if err := s.Vehicles().Update(ctx, &v); err != nil {
			return err
		}
		d := leads.TestDrive{VehicleID: kept[0], Start: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Status: leads.TestDriveBooked}
		d.End = d.Start.Add(time.Hour)
		if err := s.TestDrives().Create(ctx, &d); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("update: %v", err)
	}
	if got := page(catalog.VehicleQuery{Sort: catalog.SortPrice, Limit: 3}); fmt.Sprint(got) != fmt.Sprint(cheapest) {
		t.Errorf("after the rollback the cheapest are %v, want %v", got, cheapest)
	}
	if got := page(catalog.VehicleQuery{Sort: catalog.SortPrice, Desc: true, Limit: 3}); fmt.Sprint(got) != fmt.Sprint(dearest) {
		t.Errorf("after the rollback the dearest are %v, want %v", got, dearest)
	}
	if got := page(catalog.VehicleQuery{Limit: 500}); len(got) != 300 {
		t.Errorf("after the rollback the dealer has %d cars, want 300", len(got))
	}
	if err := unit.View(ctx, func(ctx context.Context, s leads.Stores) error {
		cal, err := s.TestDrives().ListByVehicle(ctx, kept[0])
		if len(cal) != 0 {
			t.Errorf("after the rollback the car has %d drives", len(cal))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	other := crm.WithDealer(context.Background(), crm.NewID())
	if err := unit.View(other, func(ctx context.Context, s leads.Stores) error {
		p, err := s.Vehicles().Search(ctx, catalog.VehicleQuery{})
		if len(p.Items) != 0 {
			t.Errorf("another dealer sees %d cars", len(p.Items))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
