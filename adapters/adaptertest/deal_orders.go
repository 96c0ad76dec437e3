package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// part creates a part of the env's dealer with qty in stock.
func (e *salesEnv) part(number string, qty int) catalog.Part {
	e.t.Helper()
	p, err := catalog.NewPart(e.dealer, catalog.Part{Number: number, Name: "Коврики салона " + number, Quantity: qty,
		Price: crm.MustMoney("3500", "RUB")}, e.clock.Now())
	require.NoError(e.t, err)
	e.update(func(ctx context.Context, s sales.Stores) error { return s.Parts().Create(ctx, &p) })
	return p
}

func (e *salesEnv) getPart(id crm.ID) (p catalog.Part) {
	e.t.Helper()
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		p, err = s.Parts().Get(ctx, id)
		return err
	})
	return p
}

// orderWith opens a sale with an order holding qty of part p as an accessory line.
func (e *salesEnv) orderWith(p catalog.Part, qty int64) sales.Order {
	e.t.Helper()
	sale := e.open(e.customer("Покупатель").ID, crm.ID{})
	o, err := e.svc.CreateOrder(e.ctx, sale.ID, "")
	require.NoError(e.t, err)
	o, _, err = e.svc.AddOrderLine(e.ctx, o.ID, o.Version, sales.LineInput{Kind: sales.LineAccessory, RefID: p.ID,
		Description: p.Name, Quantity: decimal.NewFromInt(qty), UnitPrice: p.Price})
	require.NoError(e.t, err)
	return o
}

// dealOrderNumbers: 50 orders created at once get 50 different numbers, 1…50 of the dealer's year without gaps;
// another dealer's sequence starts at 1; a rolled-back creation gives its number back.
func dealOrderNumbers(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	const n = 50
	saleIDs := make([]crm.ID, n)
	for i := range saleIDs {
		saleIDs[i] = e.open(e.customer(fmt.Sprint("Клиент ", i)).ID, crm.ID{}).ID
	}
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		numbers = make([]string, n)
		errs    = make([]error, n)
	)
	for i := range saleIDs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var o sales.Order
			for attempt := 0; attempt < 20; attempt++ { // a serialization conflict is retried by the caller
				o, errs[i] = e.svc.CreateOrder(e.ctx, saleIDs[i], "")
				if errs[i] == nil || !isRetryable(errs[i]) {
					break
				}
			}
			numbers[i] = o.Number
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "order %d", i)
	}
	sort.Strings(numbers)
	want := make([]string, n)
	for i := range want {
		want[i] = sales.FormatOrderNumber(Epoch.Year(), int64(i+1))
	}
	assert.Equal(t, want, numbers, "unique, gap-free, in the dealer's sequence of the year")

	// A creation that fails gives its number back: the next one is 51.
	_, err := e.svc.CreateOrder(e.ctx, saleIDs[0], "")
	require.ErrorIs(t, err, sales.ErrOrderExists)
	next, err := e.svc.CreateOrder(e.ctx, e.open(e.customer("Ещё").ID, crm.ID{}).ID, "")
	require.NoError(t, err)
	assert.Equal(t, sales.FormatOrderNumber(Epoch.Year(), n+1), next.Number)
	assert.Equal(t, sales.OrderDraft, next.Status)

	other := salesEnvOf(t, e.b, "Юг")
	first, err := other.svc.CreateOrder(other.ctx, other.open(other.customer("Южанин").ID, crm.ID{}).ID, "")
	require.NoError(t, err)
	assert.Equal(t, sales.FormatOrderNumber(Epoch.Year(), 1), first.Number, "each dealer has its own sequence")
}

func isRetryable(err error) bool {
	return crm.KindOf(err) == crm.KindConflict && !isDomainConflict(err)
}

func isDomainConflict(err error) bool {
	for _, target := range []error{sales.ErrOrderExists, sales.ErrOrderStatus, catalog.ErrInsufficientStock} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// dealOrderLifecycle: draft → confirmed (stock taken) → paid → delivered; cancelling a confirmed order returns the
// stock; lines change only in a draft; the list filters by status and number and pages by keyset.
func dealOrderLifecycle(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	mats := e.part("MATS-01", 5)
	o := e.orderWith(mats, 2)
	assert.Equal(t, sales.OrderDraft, o.Status)
	_, err := e.svc.PayOrder(e.ctx, o.ID, o.Version)
	require.ErrorIs(t, err, sales.ErrOrderStatus, "a draft is not paid")

	o, err = e.svc.ConfirmOrder(e.ctx, o.ID, o.Version)
	require.NoError(t, err)
	assert.Equal(t, sales.OrderConfirmed, o.Status)
	assert.Equal(t, 3, e.getPart(mats.ID).Quantity, "confirming takes the lines from stock")
	_, _, err = e.svc.AddOrderLine(e.ctx, o.ID, o.Version, sales.LineInput{Kind: sales.LineOther, Description: "Сбор",
		Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("100", "RUB")})
	require.ErrorIs(t, err, sales.ErrOrderStatus, "a confirmed order's lines no longer change")

	o, err = e.svc.PayOrder(e.ctx, o.ID, o.Version)
	require.NoError(t, err)
	o, err = e.svc.DeliverOrder(e.ctx, o.ID, o.Version)
	require.NoError(t, err)
	assert.Equal(t, sales.OrderDelivered, o.Status)
	_, err = e.svc.CancelOrder(e.ctx, o.ID, o.Version)
	require.ErrorIs(t, err, sales.ErrOrderStatus, "a delivered order is final")
	assert.Equal(t, 3, e.getPart(mats.ID).Quantity)

	c := e.orderWith(mats, 3)
	c, err = e.svc.ConfirmOrder(e.ctx, c.ID, c.Version)
	require.NoError(t, err)
	assert.Equal(t, 0, e.getPart(mats.ID).Quantity)
	c, err = e.svc.CancelOrder(e.ctx, c.ID, c.Version)
	require.NoError(t, err)
	assert.Equal(t, sales.OrderCancelled, c.Status)
	assert.Equal(t, 3, e.getPart(mats.ID).Quantity, "cancelling returns what it took")

	// Not enough in stock: refused, nothing taken, still a draft.
	big := e.orderWith(mats, 4)
	_, err = e.svc.ConfirmOrder(e.ctx, big.ID, big.Version)
	require.ErrorIs(t, err, catalog.ErrInsufficientStock)
	assert.Equal(t, 3, e.getPart(mats.ID).Quantity)
	got, err := e.svc.GetOrder(e.ctx, big.ID)
	require.NoError(t, err)
	assert.Equal(t, sales.OrderDraft, got.Status)

	// The list: by status, by number, in keyset pages.
	page, err := e.svc.ListOrders(e.ctx, sales.OrderQuery{Status: sales.OrderCancelled})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, c.ID, page.Items[0].ID)
	page, err = e.svc.ListOrders(e.ctx, sales.OrderQuery{Number: c.Number[len(c.Number)-6:]})
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "found by its number")
	assert.Equal(t, c.Number, page.Items[0].Number)
	var all []string
	q := sales.OrderQuery{Limit: 2}
	for {
		page, err := e.svc.ListOrders(e.ctx, q)
		require.NoError(t, err)
		for _, it := range page.Items {
			all = append(all, it.Number)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	assert.ElementsMatch(t, []string{o.Number, c.Number, big.Number}, all)
	_, err = e.svc.ListOrders(e.ctx, sales.OrderQuery{Status: "shipped"})
	require.ErrorIs(t, err, crm.ErrInvalid)
}

// dealOrdersRaceForTheLastPart: two orders confirmed at once for the last unit of a part: exactly one wins, the
// stock is never negative.
func dealOrdersRaceForTheLastPart(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	for round := 0; round < 5; round++ {
		last := e.part(fmt.Sprint("LAST-", round), 1)
		orders := []sales.Order{e.orderWith(last, 1), e.orderWith(last, 1)}
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  = make([]error, len(orders))
		)
		for i, o := range orders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for attempt := 0; attempt < 20; attempt++ {
					_, errs[i] = e.svc.ConfirmOrder(e.ctx, o.ID, o.Version)
					if errs[i] == nil || !isRetryable(errs[i]) {
						break
					}
				}
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			assert.ErrorIs(t, err, catalog.ErrInsufficientStock)
		}
		assert.Equal(t, 1, won, "one winner for the last unit")
		assert.Equal(t, 0, e.getPart(last.ID).Quantity, "never negative")
	}
}
