package memory

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

var saleRecords = records[sales.Sale]{name: "sales", meta: func(s *sales.Sale) *crm.Meta { return &s.Meta }, clone: sales.Sale.Clone,
	external: func(s *sales.Sale) string { return s.ExternalID }}

// wonSaleKey names the one won sale a dealer may have per vehicle.
type wonSaleKey struct{ dealer, vehicle crm.ID }

type saleStore struct{ tx *Tx }

// Sales returns the sale store of this unit of work.
func (tx *Tx) Sales() sales.SaleStore { return saleStore{tx} }

func (s saleStore) won() *table[wonSaleKey, crm.ID] {
	return tableOf[wonSaleKey, crm.ID](s.tx.db, "sales_won_by_vehicle")
}

func (s saleStore) Get(ctx context.Context, id crm.ID) (sales.Sale, error) {
	return saleRecords.get(ctx, s.tx, id)
}

// oneWon holds what the PostgreSQL partial unique index holds: one won sale per (dealer, vehicle).
func (s saleStore) oneWon(ctx context.Context, op string, sale *sales.Sale) error {
	if sale.Status != sales.StatusWon {
		return nil
	}
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	if other, ok := s.won().get(wonSaleKey{dealer, sale.VehicleID}); ok && other != sale.ID {
		return crm.Duplicate(op, "vehicle %s is already won by sale %s", sale.VehicleID, other)
	}
	return nil
}

func (s saleStore) indexWon(sale *sales.Sale) error {
	if sale.Status != sales.StatusWon {
		return nil
	}
	return s.won().put(s.tx, wonSaleKey{sale.DealerID, sale.VehicleID}, sale.ID)
}

func (s saleStore) Create(ctx context.Context, sale *sales.Sale) error {
	if err := s.oneWon(ctx, "memory.Sales.Create", sale); err != nil {
		return err
	}
	if err := saleRecords.create(ctx, s.tx, sale); err != nil {
		return err
	}
	return s.indexWon(sale)
}

func (s saleStore) Update(ctx context.Context, sale *sales.Sale) error {
	if err := s.oneWon(ctx, "memory.Sales.Update", sale); err != nil {
		return err
	}
	if err := saleRecords.update(ctx, s.tx, sale); err != nil {
		return err
	}
	return s.indexWon(sale)
}

func (s saleStore) List(ctx context.Context, q sales.SaleQuery) (sales.SalePage, error) {
	at, after, err := sales.SaleList.DecodeTime("memory.Sales.List", q.Cursor)
	if err != nil {
		return sales.SalePage{}, err
	}
	out, err := saleRecords.all(ctx, s.tx, func(sale *sales.Sale) bool {
		if !q.Match(*sale) {
			return false
		}
		if q.Cursor != "" {
			return sale.CreatedAt.Before(at) || (sale.CreatedAt.Equal(at) && sale.ID.String() < after.String())
		}
		return true
	})
	if err != nil {
		return sales.SalePage{}, err
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID.String() > out[j].ID.String()
	})
	limit := crm.PageLimit(q.Limit)
	page := sales.SalePage{Items: out}
	if len(out) > limit {
		last := out[limit-1]
		page.Items, page.NextCursor = out[:limit], sales.SaleList.TimeCursor(last.CreatedAt, last.ID)
	}
	if page.Items == nil {
		page.Items = []sales.Sale{}
	}
	return page, nil
}

var _ sales.Stores = (*Tx)(nil)

// GetByExternalID implements sales.SaleStore.GetByExternalID.
func (s saleStore) GetByExternalID(ctx context.Context, externalID string) (sales.Sale, error) {
	return saleRecords.byExternal(ctx, s.tx, externalID)
}
