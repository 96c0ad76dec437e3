package sales

import (
	"fmt"

	"github.com/dealercrm/dealercrm/crm"
)

// CheckPrice reports whether sale can be won at a price that adds up: when its order has lines, one of them must
// be a vehicle line for the sale's vehicle at a positive price (a car is never sold for the price of its floor
// mats); without an order, or with an empty one, the sale's own amount must be positive. A vehicle may be stocked
// without a price, but it cannot be sold without one. It returns crm.KindInvalid naming "order.lines" (no vehicle
// line for the car), "order.lines[i].unit_price" (the vehicle line is not priced) or "amount".
func CheckPrice(sale Sale, order *Order) error {
	const op = "sales.CheckPrice"
	if order == nil || len(order.Lines) == 0 {
		if !sale.Amount.IsPositive() {
			return crm.Invalid(op, crm.FieldError{Field: "amount",
				Message: "the sale has no price: give it an amount, or an order with the vehicle's line"})
		}
		return nil
	}
	for i, l := range order.Lines {
		if l.Kind != LineVehicle || l.RefID != sale.VehicleID {
			continue
		}
		if !l.Gross.IsPositive() {
			return crm.Invalid(op, crm.FieldError{Field: fmt.Sprintf("order.lines[%d].unit_price", i),
				Message: "the vehicle must be sold at a positive price"})
		}
		return nil
	}
	return crm.Invalid(op, crm.FieldError{Field: "order.lines",
		Message: fmt.Sprintf("the order has no line for the sale's vehicle %s at a positive price", sale.VehicleID)})
}
