package sales_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/sales"
)

// countingRenderer counts its renders.
type countingRenderer struct {
	textRenderer
	n atomic.Int64
}

func (r *countingRenderer) Render(ctx context.Context, c sales.Contract) ([]byte, error) {
	r.n.Add(1)
	time.Sleep(time.Millisecond)
	return r.textRenderer.Render(ctx, c)
}

func TestContractFingerprint(t *testing.T) {
	c, err := sales.BuildContract(contractInput())
	if err != nil {
		t.Fatal(err)
	}
	later := c.Clone()
	later.Date = later.Date.Add(time.Hour)
	if c.Fingerprint() != later.Fingerprint() {
		t.Error("the time of day is not printed, so it must not change the fingerprint")
	}
	tomorrow := c.Clone()
	tomorrow.Date = tomorrow.Date.AddDate(0, 0, 1)
	changed := c.Clone()
	changed.Buyer.Address += " кв. 2"
	for _, other := range []sales.Contract{tomorrow, changed} {
		if other.Fingerprint() == c.Fingerprint() {
			t.Errorf("a changed contract kept its fingerprint: %+v", other.Buyer)
		}
	}
}

func TestRenderCache(t *testing.T) {
	c, err := sales.BuildContract(contractInput())
	if err != nil {
		t.Fatal(err)
	}
	r := &countingRenderer{textRenderer: textRenderer{contentType: "application/pdf"}}
	cache := sales.NewRenderCache(r, 0)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, err := cache.Render(ctx, c)
			if err != nil || len(data) == 0 {
				t.Errorf("render: %q %v", data, err)
			}
		}()
	}
	wg.Wait()
	if n := r.n.Load(); n != 1 {
		t.Errorf("20 fetches of one contract rendered it %d times, want 1", n)
	}
	changed := c.Clone()
	changed.Vehicle.VIN = "XTA21900080654321"
	if data, _ := cache.Render(ctx, changed); string(data) != "Договор № ДКП-2026/0042, VIN XTA21900080654321" {
		t.Errorf("changed contract rendered as %q", data)
	}
	if n := r.n.Load(); n != 2 || cache.Renders() != 2 {
		t.Errorf("a changed contract renders once more: %d renders", n)
	}
	if cache.ContentType() != "application/pdf" {
		t.Error(cache.ContentType())
	}

	// A small budget keeps the most recently used files only.
	small := sales.NewRenderCache(r, 8*60)
	r.n.Store(0)
	for i := range 30 {
		x := c.Clone()
		x.Number = string(rune('A' + i))
		_, _ = small.Render(ctx, x)
		_, _ = small.Render(ctx, x)
	}
	if n := r.n.Load(); n != 30 {
		t.Errorf("30 contracts fetched twice each: %d renders, want 30", n)
	}
}
