package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

var orderRecords = records[sales.Order]{name: "orders", meta: func(o *sales.Order) *crm.Meta { return &o.Meta }, clone: sales.Order.Clone}

// saleOrderKey names the one order a sale may have.
type saleOrderKey struct{ dealer, sale crm.ID }

type orderStore struct{ tx *Tx }

// Orders returns the order store of this unit of work.
func (tx *Tx) Orders() sales.OrderStore { return orderStore{tx} }

func (s orderStore) bySale() *table[saleOrderKey, crm.ID] {
	return tableOf[saleOrderKey, crm.ID](s.tx.db, "orders_by_sale")
}

func (s orderStore) Get(ctx context.Context, id crm.ID) (sales.Order, error) {
	return orderRecords.get(ctx, s.tx, id)
}

func (s orderStore) FindBySale(ctx context.Context, saleID crm.ID) (sales.Order, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return sales.Order{}, err
	}
	id, ok := s.bySale().get(saleOrderKey{dealer, saleID})
	if !ok {
		return sales.Order{}, crm.NotFound("memory.Orders.FindBySale", "sale %s has no order", saleID)
	}
	return orderRecords.get(ctx, s.tx, id)
}

func (s orderStore) Create(ctx context.Context, o *sales.Order) error {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	key := saleOrderKey{dealer, o.SaleID}
	if other, ok := s.bySale().get(key); ok && other != o.ID {
		return crm.Duplicate("memory.Orders.Create", "sale %s already has order %s", o.SaleID, other)
	}
	if err := orderRecords.create(ctx, s.tx, o); err != nil {
		return err
	}
	return s.bySale().put(s.tx, key, o.ID)
}

func (s orderStore) Update(ctx context.Context, o *sales.Order) error {
	old, err := orderRecords.get(ctx, s.tx, o.ID)
	if err == nil && old.SaleID != o.SaleID {
		return crm.Invalid("memory.Orders.Update", crm.FieldError{Field: "sale_id", Message: "cannot change"})
	}
	return orderRecords.update(ctx, s.tx, o)
}

// orderYearKey names one dealer's order sequence of one year.
type orderYearKey struct {
	dealer crm.ID
	year   int
}

// NextNumber implements sales.OrderStore.NextNumber: a counter per dealer and year, written through the unit of
// work (a rollback undoes it, so numbers have no gaps; writers hold the lock, so none repeats).
func (s orderStore) NextNumber(ctx context.Context, year int) (int64, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return 0, err
	}
	t := tableOf[orderYearKey, int64](s.tx.db, "order_numbers")
	key := orderYearKey{dealer, year}
	n, _ := t.get(key)
	n++
	if err := t.put(s.tx, key, n); err != nil {
		return 0, err
	}
	return n, nil
}

// List implements sales.OrderStore.List.
func (s orderStore) List(ctx context.Context, q sales.OrderQuery) (sales.OrderPage, error) {
	at, after, err := sales.OrderList.DecodeTime("memory.Orders.List", q.Cursor)
	if err != nil {
		return sales.OrderPage{}, err
	}
	out, err := orderRecords.all(ctx, s.tx, func(o *sales.Order) bool {
		if !q.Match(*o) {
			return false
		}
		if q.Cursor != "" {
			return o.CreatedAt.Before(at) || (o.CreatedAt.Equal(at) && o.ID.String() < after.String())
		}
		return true
	})
	if err != nil {
		return sales.OrderPage{}, err
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID.String() > out[j].ID.String()
	})
	limit := crm.PageLimit(q.Limit)
	page := sales.OrderPage{Items: out}
	if len(out) > limit {
		page.Items = out[:limit]
		last := page.Items[limit-1]
		page.NextCursor = sales.OrderList.TimeCursor(last.CreatedAt, last.ID)
	}
	if page.Items == nil {
		page.Items = []sales.Order{}
	}
	return page, nil
}
