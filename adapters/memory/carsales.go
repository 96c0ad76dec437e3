package memory

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

type carSaleStore struct{ tx *Tx }

// CarSales returns the service side's read of won sales in this unit of work.
func (tx *Tx) CarSales() aftersales.CarSaleStore { return carSaleStore{tx} }

// ListWonByVIN finds the dealer's catalog vehicle with the VIN (one per dealer) and its won sale (one per vehicle).
func (s carSaleStore) ListWonByVIN(ctx context.Context, vin catalog.VIN) ([]aftersales.CarSale, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.tx.Vehicles().GetByVIN(ctx, vin)
	if errors.Is(err, crm.ErrNotFound) {
		return []aftersales.CarSale{}, nil
	}
	if err != nil {
		return nil, err
	}
	id, ok := saleStore(s).won().get(wonSaleKey{dealer, v.ID})
	if !ok {
		return []aftersales.CarSale{}, nil
	}
	sale, err := saleRecords.get(ctx, s.tx, id)
	if err != nil {
		return nil, err
	}
	return []aftersales.CarSale{{SaleID: sale.ID, VehicleID: sale.VehicleID, CustomerID: sale.CustomerID, OwnerID: sale.OwnerID,
		Amount: sale.Amount, PaymentMethod: string(sale.PaymentMethod), WonAt: sale.WonAt}}, nil
}
