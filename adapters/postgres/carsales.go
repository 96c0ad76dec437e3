package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

type carSaleStore struct{ t *Tx }

// CarSales returns the service side's read of won sales in this unit of work.
func (t *Tx) CarSales() aftersales.CarSaleStore { return carSaleStore{t} }

// ListWonByVIN is one statement: the won sales joined to their catalog vehicles by VIN.
func (s carSaleStore) ListWonByVIN(ctx context.Context, vin catalog.VIN) ([]aftersales.CarSale, error) {
	const op = "postgres.CarSales.ListWonByVIN"
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryContext(ctx, `SELECT `+carSaleCols+` FROM sales s
		JOIN vehicles v ON v.id = s.vehicle_id AND v.dealer_id = s.dealer_id
		WHERE s.dealer_id = $1 AND v.vin = $2 AND s.status = 'won' ORDER BY s.won_at, s.id`, d, string(vin))
	return collectRows(rows, err, op, scanCarSale)
}

// carSaleCols are the columns of a won sale as the service side reads it (scanCarSale), of sales aliased s.
const carSaleCols = `s.id, s.vehicle_id, s.customer_id, s.owner_id, s.amount, s.currency, s.payment_method, s.won_at`

// scanCarSale reads a row of carSaleCols.
func scanCarSale(row interface{ Scan(...any) error }) (aftersales.CarSale, error) {
	var c aftersales.CarSale
	var owner sql.Null[crm.ID]
	var currency string
	var wonAt time.Time
	err := row.Scan(&c.SaleID, &c.VehicleID, &c.CustomerID, &owner, &c.Amount.Amount, &currency, &c.PaymentMethod, &wonAt)
	c.OwnerID, c.Amount.Currency, c.WonAt = owner.V, crm.Currency(currency), wonAt.UTC()
	if currency == "" && c.Amount.IsZero() {
		c.Amount = crm.Money{}
	}
	return c, err
}
