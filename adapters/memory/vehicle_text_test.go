package memory_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
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
			var err error
			if got, err = searchIDs(ctx, s, q, 0); err != nil {
				return err
			}
			want = want[:0]
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

// TestTextSearchPropertyAgreesWithScan is the property of the text index (issue 16 item 6, outside review D4):
// random catalogs (a small vocabulary, so texts match many cars or few, VINs numbered in runs, so matches cluster
// in one part of an order), changed and partly rolled back, and random queries (a piece of a car's text in any
// case, or a random one; every sort, both directions, a status filter, any page size), paged (up to 12 pages): every
// page is what the plain scan finds — catalog.VehicleQuery.Match over all the dealer's cars, in Compare's order.
func TestTextSearchPropertyAgreesWithScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 6))
	for round := range 4 {
		db := memory.New()
		dealer := crm.NewID()
		ctx := crm.WithDealer(context.Background(), dealer)
		unit := crm.NewUnit[catalog.Stores](db, nil)
		epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		n := 200 + rng.IntN(2000)
		var ids []crm.ID
		write := func(fail bool, fn func(ctx context.Context, s catalog.Stores) error) {
			err := unit.Update(ctx, func(ctx context.Context, s catalog.Stores) error {
				if err := fn(ctx, s); err != nil {
					return err
				}
				if fail {
					return context.Canceled
				}
				return nil
			})
			if err != nil && !fail {
				t.Fatal(err)
			}
		}
		write(false, func(ctx context.Context, s catalog.Stores) error {
			other := crm.WithDealer(ctx, crm.NewID())
			for i := range n {
				v := benchVehicle(rng, dealer, i, epoch)
				v.VIN = catalog.VIN(fmt.Sprintf("XTA%014d", rng.IntN(n)*10_000+i)) // runs of near numbers
				if err := s.Vehicles().Create(ctx, &v); err != nil {
					return err
				}
				ids = append(ids, v.ID)
				w := benchVehicle(rng, crm.ID{}, i, epoch) // the same texts at another dealer: never found
				w.DealerID = crm.ID{}
				if err := s.Vehicles().Create(other, &w); err != nil {
					return err
				}
			}
			return nil
		})
		rename := func(fail bool) {
			write(fail, func(ctx context.Context, s catalog.Stores) error {
				for range 20 {
					v, err := s.Vehicles().Get(ctx, ids[rng.IntN(len(ids))])
					if err != nil {
						return err
					}
					v.Make = []string{"Запорожец", "Kia", "Lada"}[rng.IntN(3)]
					v.Trim = []string{"Особая", "Luxe", "Comfort X"}[rng.IntN(3)]
					v.Model = fmt.Sprintf("Model %d", rng.IntN(7))
					if err := s.Vehicles().Update(ctx, &v); err != nil {
						return err
					}
				}
				return nil
			})
		}
		// Most Kia cars become Zaz cars (the trigrams of kia fall from a tenth of the cars to below a 64th: their
		// bitmaps become lists again), first in a unit rolled back that also creates Kia cars.
		massRename := func(fail bool) {
			write(fail, func(ctx context.Context, s catalog.Stores) error {
				for i := range 40 * len(ids) / 100 { // more Kia cars, numbered in the index, in the unit rolled back
					if !fail {
						break
					}
					v := benchVehicle(rng, dealer, n+i, epoch)
					v.Make = "Kia"
					if err := s.Vehicles().Create(ctx, &v); err != nil {
						return err
					}
				}
				for i, id := range ids {
					v, err := s.Vehicles().Get(ctx, id)
					if err != nil {
						return err
					}
					if v.Make != "Kia" || i%25 == 0 {
						continue
					}
					v.Make = "Zaz"
					if err := s.Vehicles().Update(ctx, &v); err != nil {
						return err
					}
				}
				return nil
			})
		}
		rename(true)
		rename(false)
		massRename(true)
		if round%2 == 1 {
			massRename(false)
		}
		var all []catalog.Vehicle
		if err := unit.View(ctx, func(ctx context.Context, s catalog.Stores) error {
			for cursor := ""; ; {
				p, err := s.Vehicles().Search(ctx, catalog.VehicleQuery{Limit: 500, Cursor: cursor})
				if err != nil {
					return err
				}
				all = append(all, p.Items...)
				if cursor = p.NextCursor; cursor == "" {
					return nil
				}
			}
		}); err != nil {
			t.Fatal(err)
		}
		if len(all) != n {
			t.Fatalf("round %d: %d cars listed, want %d", round, len(all), n)
		}
		for range 60 {
			var text string
			if rng.IntN(8) == 0 {
				text = string([]byte{byte('0' + rng.IntN(10)), byte('0' + rng.IntN(10)), 'a' + byte(rng.IntN(3))})[:1+rng.IntN(3)]
			} else {
				v := all[rng.IntN(len(all))]
				full := []rune(v.Make + " " + v.Model + " " + v.Trim + " " + string(v.VIN))
				i := rng.IntN(len(full))
				j := min(len(full), i+1+rng.IntN(16))
				text = string(full[i:j])
				if rng.IntN(2) == 0 {
					text = strings.ToUpper(text)
				}
			}
			q := catalog.VehicleQuery{Text: text, Sort: []catalog.VehicleSort{catalog.SortCreated, catalog.SortPrice, catalog.SortYear}[rng.IntN(3)],
				Desc: rng.IntN(2) == 0, Limit: 1 + rng.IntN(40)}
			const pages = 12 // and the first pages' cars are the first of the scan's
			if rng.IntN(3) == 0 {
				q.Status = []catalog.Status{catalog.StatusInStock}
			}
			pq, _, err := q.Prepare()
			if err != nil {
				t.Fatal(err)
			}
			var want []crm.ID
			matched := slices.Clone(all)
			matched = slices.DeleteFunc(matched, func(v catalog.Vehicle) bool { return !pq.Match(&v) })
			slices.SortFunc(matched, func(a, b catalog.Vehicle) int { return pq.Compare(&a, &b) })
			for _, v := range matched {
				want = append(want, v.ID)
			}
			var got []crm.ID
			if err := unit.View(ctx, func(ctx context.Context, s catalog.Stores) (err error) {
				got, err = searchIDs(ctx, s, q, pages*q.Limit)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if len(want) > pages*q.Limit {
				want = want[:pages*q.Limit]
			}
			if !slices.Equal(got, want) {
				t.Errorf("round %d, %d cars, text %q sort %s desc %v status %v limit %d: %d found, want %d", round, n, text, q.Sort,
					q.Desc, q.Status, q.Limit, len(got), len(want))
			}
		}
	}
}

// searchIDs pages through q's results in s from the first page and returns the vehicles' IDs, stopping at the
// page that brings at least max of them (max 0: every page).
func searchIDs(ctx context.Context, s catalog.Stores, q catalog.VehicleQuery, max int) ([]crm.ID, error) {
	var ids []crm.ID
	for q.Cursor = ""; ; {
		p, err := s.Vehicles().Search(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, v := range p.Items {
			ids = append(ids, v.ID)
		}
		if q.Cursor = p.NextCursor; q.Cursor == "" || max > 0 && len(ids) >= max {
			return ids, nil
		}
	}
}
