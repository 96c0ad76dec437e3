package sales

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// paymentFields names, for each field of the contract's payment, the sale's field a caller fixes instead: the
// credit's amount, bank and term come from the linked credit application, the trade-in's from the linked sheet.
var paymentFields = map[string]string{
	"credit_amount":      "credit_application_id",
	"credit_bank":        "credit_application_id",
	"credit_term_months": "credit_application_id",
	"trade_in_amount":    "trade_in_appraisal_id",
	"trade_in_vehicle":   "trade_in_appraisal_id",
	"payment_method":     "payment_method",
}

// checkPaymentTerms refuses to win a sale whose payment no purchase contract could state: paying by credit
// without a funding credit application, by trade-in without a sheet, or a credit and trade-in that together pass
// the price (the order's total, else the sale's amount). It applies the contract's own payment rules
// (contractPayment) to what the links give, and names the sale's fields: crm.KindInvalid naming
// "payment_method", "credit_application_id" or "trade_in_appraisal_id".
func checkPaymentTerms(ctx context.Context, st Stores, sale Sale, order *Order) error {
	in := ContractInput{Amount: salePrice(sale, order), PaymentMethod: sale.PaymentMethod}
	if err := paymentLinks(ctx, st, sale, &in); err != nil {
		return err
	}
	var p crm.Problems
	contractPayment(&p, in)
	var out crm.Problems
	for _, f := range crm.FieldsOf(p.Err("sales")) {
		if field, ok := paymentFields[f.Field]; ok {
			out.Add(field, "%s", paymentMessage(f))
		}
	}
	return out.Err("sales")
}

// paymentMessage says what a contract payment problem means for the sale.
func paymentMessage(f crm.FieldError) string {
	switch f.Field {
	case "credit_amount", "credit_bank", "credit_term_months":
		return "the credit (" + f.Field + ") " + f.Message + ": link an approved or issued credit application of this sale that fits its price"
	case "trade_in_amount", "trade_in_vehicle":
		return "the trade-in (" + f.Field + ") " + f.Message + ": link an approved appraisal sheet that fits the sale's price"
	}
	return f.Message
}

// salePrice is the price a sale's contract states: its order's gross total when the order has lines, else the
// sale's amount (order nil: none).
func salePrice(sale Sale, order *Order) crm.Money {
	if order != nil && len(order.Lines) > 0 {
		return order.Gross
	}
	return sale.Amount
}

// paymentLinks puts what the sale's links give into in: the credit's bank, amount and term (creditTerms) and the
// trade-in car and its price (tradeInTerms).
func paymentLinks(ctx context.Context, st Stores, sale Sale, in *ContractInput) error {
	if err := creditTerms(ctx, st, sale, in); err != nil {
		return err
	}
	return tradeInTerms(ctx, st, sale, in)
}
