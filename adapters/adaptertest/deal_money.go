package adaptertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dealMoneyAddsUp: a win with only an accessory line is refused naming the field and changes nothing; a car
// stocked without a price cannot be sold without one; the contract's total is the order's, line by line.
func dealMoneyAddsUp(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	c := e.customer("Иван")
	sale := e.open(c.ID, v.ID) // its amount defaults to the list price
	o, err := e.svc.CreateOrder(e.ctx, sale.ID, "")
	require.NoError(t, err)
	o, _, err = e.svc.AddOrderLine(e.ctx, o.ID, o.Version, sales.LineInput{Kind: sales.LineAccessory,
		Description: "Коврики салона", Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("3500", "RUB"),
		VATRate: decimal.RequireFromString("0.2")})
	require.NoError(t, err)
	// The sale is for the car, but its order sells only floor mats.
	sale = e.getSale(sale.ID)
	before := e.getVehicle(v.ID)

	_, _, err = e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{})
	require.ErrorIs(t, err, crm.ErrInvalid)
	assert.Equal(t, []string{"order.lines"}, salesFields(err), "%v", err)
	assert.Equal(t, sales.StatusOpen, e.getSale(sale.ID).Status, "a refused win changes nothing")
	assert.Equal(t, before, e.getVehicle(v.ID))
	_, _, err = e.svc.BuildSaleContract(e.ctx, sale.ID, sales.ContractTerms{})
	require.ErrorIs(t, err, crm.ErrInvalid, "no contract sells the car for the price of its floor mats")
	assert.Contains(t, salesFields(err), "lines")

	// With the car's line the contract is the order, line by line, and the win goes through.
	o, _, err = e.svc.AddOrderLine(e.ctx, o.ID, e.order(o.ID).Version, sales.LineInput{Kind: sales.LineVehicle, RefID: v.ID,
		Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("1500000", "RUB"), Discount: crm.MustMoney("20000", "RUB"),
		VATRate: decimal.RequireFromString("0.2")})
	require.NoError(t, err)
	contract, _, err := e.svc.BuildSaleContract(e.ctx, sale.ID, sales.ContractTerms{})
	require.NoError(t, err)
	require.Len(t, contract.Lines, len(o.Lines))
	for i, l := range o.Lines {
		assert.Equal(t, l.Description, contract.Lines[i].Description)
		assert.True(t, l.Gross.Amount.Equal(contract.Lines[i].Total.Amount), "line %d", i)
		assert.Equal(t, l.Kind == sales.LineVehicle, contract.Lines[i].Vehicle)
	}
	assert.True(t, o.Gross.Amount.Equal(contract.Totals.Total.Amount), "%s vs %s", o.Gross, contract.Totals.Total)
	assert.Equal(t, "1483500.00", contract.Totals.Total.StringAmount())
	_, _, err = e.svc.WinSale(e.ctx, sale.ID, e.getSale(sale.ID).Version, sales.WinInput{})
	require.NoError(t, err)

	// A car stocked without a price: the sale has no amount, and cannot be won until it has one.
	free, err := catalog.NewVehicle(e.dealer, catalog.Vehicle{VIN: catalog.VIN(fmt.Sprintf("XTAGFK330LY%06d", salesVINSeq.Add(1))),
		Make: "Lada", Model: "Niva", Year: 2026}, e.clock.Now())
	require.NoError(t, err, "a vehicle may be stocked without a price")
	e.update(func(ctx context.Context, s sales.Stores) error { return s.Vehicles().Create(ctx, &free) })
	unpriced := e.open(e.customer("Пётр").ID, free.ID)
	_, _, err = e.svc.WinSale(e.ctx, unpriced.ID, unpriced.Version, sales.WinInput{})
	require.ErrorIs(t, err, crm.ErrInvalid)
	assert.Equal(t, []string{"amount"}, salesFields(err))
	price := crm.MustMoney("990000", "RUB")
	unpriced, err = e.svc.EditSale(e.ctx, unpriced.ID, unpriced.Version, sales.Edit{Changes: sales.Changes{Amount: &price}})
	require.NoError(t, err)
	_, _, err = e.svc.WinSale(e.ctx, unpriced.ID, unpriced.Version, sales.WinInput{})
	require.NoError(t, err)
}

func (e *salesEnv) order(id crm.ID) sales.Order {
	e.t.Helper()
	o, err := e.svc.GetOrder(e.ctx, id)
	require.NoError(e.t, err)
	return o
}
