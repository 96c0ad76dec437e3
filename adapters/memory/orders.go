package memory

import (
	"context"

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
