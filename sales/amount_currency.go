package sales

import (
	"context"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// checkAmountCurrency refuses a sale amount in another currency than the sale's car is priced in (invalid
// "amount.currency"): the order, the credit and the contract are all in the car's currency. A sale without a car,
// a car without a price, or an amount without a currency (filled later) passes.
func checkAmountCurrency(amount crm.Money, v catalog.Vehicle) error {
	car := v.Finance.ListPrice.Currency
	if car == "" || amount.Currency == "" || amount.Currency == car {
		return nil
	}
	return crm.Invalid("sales", crm.FieldError{Field: "amount.currency",
		Message: "must be " + string(car) + ", the currency the car is priced in"})
}

// checkChangedAmount applies checkAmountCurrency to an edit's new amount, reading the sale's car.
func checkChangedAmount(ctx context.Context, st Stores, sale Sale, amount *crm.Money) error {
	if amount == nil || sale.VehicleID == (crm.ID{}) || amount.Currency == "" {
		return nil
	}
	v, err := st.Vehicles().Get(ctx, sale.VehicleID)
	if err != nil {
		return err
	}
	return checkAmountCurrency(*amount, v)
}
