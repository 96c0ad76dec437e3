package memory_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// TestTextSearchAgreesWithMatch searches texts through the trigram index and compares every page with what
// catalog.VehicleQuery.Match finds over all the dealer's cars, before and after cards change their text (one
// change rolled back).
func TestTextSearchAgreesWithMatch(t *testing.T) {
	db := memory.New()
	dealer := crm.NewID()
	ctx := crm.WithDealer(context.Background(), dealer)
	unit := crm.NewUnit[catalog.Stores](db, nil)
	rng := rand.New(rand.NewPCG(7, 16))
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := unit.Update(ctx, func(ctx context.Context, s catalog.Stores) error {
		for i := range 2000 {
			v := benchVehicle(rng, dealer, i, epoch)
			if err := s.Vehicles().Create(ctx, &v); err != nil {
				return err
			}
		}
		otherDealer := crm.NewID()
		other := crm.WithDealer(ctx, otherDealer) // the same texts at another dealer: never found
		for i := range 200 {
			v := benchVehicle(rng, otherDealer, i, epoch)
			if err := s.Vehicles().Create(other, &v); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	check := func(text string) {
		t.Helper()
		q := catalog.VehicleQuery{Text: text, Sort: catalog.SortPrice, Limit: 500}
		var got []crm.ID
		var want []catalog.Vehicle
		if err := unit.View(ctx, func(ctx context.Context, s catalog.Stores) error {
			for cursor := ""; ; {
				q.Cursor = cursor
				p, err := s.Vehicles().Search(ctx, q)
				if err != nil {
					return err
				}
				for _, v := range p.Items {
					got = append(got, v.ID)
				}
				if cursor = p.NextCursor; cursor == "" {
					break
				}
			}
			all, err := s.Vehicles().Search(ctx, catalog.VehicleQuery{Limit: 500})
			for cursor := all.NextCursor; ; {
				if err != nil {
					return err
				}
				want = append(want, all.Items...)
				if cursor == "" {
					break
				}
				all, err = s.Vehicles().Search(ctx, catalog.VehicleQuery{Limit: 500, Cursor: cursor})
				cursor = all.NextCursor
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		pq, _, _ := q.Prepare()
		want = slices.DeleteFunc(want, func(v catalog.Vehicle) bool { return !pq.Match(&v) })
		slices.SortFunc(want, func(a, b catalog.Vehicle) int { return pq.Compare(&a, &b) })
		var wantIDs []crm.ID
		for _, v := range want {
			wantIDs = append(wantIDs, v.ID)
		}
		if !slices.Equal(got, wantIDs) {
			t.Errorf("text %q: %d cars, want %d", text, len(got), len(wantIDs))
		}
	}
	texts := []string{"00000042", "0000001", "kia model 3 lux", "МОСКВИЧ", "москвич model 1", "škoda", "xta", "ki",
		"a", "zzz", "luxe xta0", "comfort xta000000000017"}
	for _, text := range texts {
		check(text)
	}
	renamed := func(fail bool) {
		_ = unit.Update(ctx, func(ctx context.Context, s catalog.Stores) error {
			p, err := s.Vehicles().Search(ctx, catalog.VehicleQuery{Text: "xta00000000000017"})
			if err != nil || len(p.Items) != 1 {
				t.Fatalf("the car to rename: %v, %d found", err, len(p.Items))
			}
			v := p.Items[0]
			v.Make, v.Trim = "Запорожец", "Особая"
			if err := s.Vehicles().Update(ctx, &v); err != nil {
				t.Fatal(err)
			}
			if fail {
				return context.Canceled
			}
			return nil
		})
	}
	renamed(true)
	for _, text := range append(texts, "запорожец", "особая xta") {
		check(text)
	}
	renamed(false)
	for _, text := range append(texts, "запорожец", "особая xta") {
		check(text)
	}
}
