package sales_test

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var priceNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func TestCheckPrice(t *testing.T) {
	car := crm.NewID()
	sale := sales.Sale{VehicleID: car}
	order := func(lines ...sales.LineInput) *sales.Order {
		o, err := sales.NewOrder(crm.NewID(), crm.NewID(), "RUB", priceNow)
		require.NoError(t, err)
		for _, l := range lines {
			_, err := o.AddLine(l, priceNow)
			require.NoError(t, err)
		}
		return &o
	}
	mats := sales.LineInput{Kind: sales.LineAccessory, Description: "Коврики салона", Quantity: decimal.NewFromInt(1),
		UnitPrice: crm.MustMoney("3500", "RUB")}
	vehicle := func(price string) sales.LineInput {
		return sales.LineInput{Kind: sales.LineVehicle, Description: "Lada Vesta", RefID: car, Quantity: decimal.NewFromInt(1),
			UnitPrice: crm.MustMoney(price, "RUB")}
	}
	for _, c := range []struct {
		name  string
		sale  sales.Sale
		order *sales.Order
		field string
	}{
		{"NoOrderNoAmount", sale, nil, "amount"},
		{"EmptyOrderNoAmount", sale, order(), "amount"},
		{"NoOrderAmount", sales.Sale{VehicleID: car, Amount: crm.MustMoney("1500000", "RUB")}, nil, ""},
		{"FloorMatsOnly", sales.Sale{VehicleID: car, Amount: crm.MustMoney("1500000", "RUB")}, order(mats), "order.lines"},
		{"FreeCar", sale, order(mats, vehicle("0")), "order.lines[1].unit_price"},
		{"PricedCar", sale, order(mats, vehicle("1500000")), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := sales.CheckPrice(c.sale, c.order)
			if c.field == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, crm.ErrInvalid)
			assert.Equal(t, c.field, fieldOf(err), "%v", err)
		})
	}
}

func fieldOf(err error) string {
	if fs := crm.FieldsOf(err); len(fs) > 0 {
		return fs[0].Field
	}
	return ""
}

// TestContractNeverSellsTheCarForItsFloorMats: lines without the car's line cannot make a contract, even when they
// add up to the amount.
func TestContractNeverSellsTheCarForItsFloorMats(t *testing.T) {
	in := contractInput()
	in.Amount = crm.MustMoney("3500", "RUB")
	in.Lines = []sales.ContractLine{{Description: "Коврики салона", Quantity: decimal.NewFromInt(1),
		UnitPrice: crm.MustMoney("3500", "RUB")}}
	_, err := sales.BuildContract(in)
	require.ErrorIs(t, err, crm.ErrInvalid)
	assert.Contains(t, fields(err), "lines")
}
