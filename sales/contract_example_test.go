package sales_test

import (
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

// A contract is built from the dealer, the customer, the car and the sale's figures; it is pure data, which a
// ContractRenderer (adapters/pdf, adapters/htmldoc) prints and StoreContract files.
func ExampleBuildContract() {
	c, err := sales.BuildContract(sales.ContractInput{
		Number: "ДКП-2026/0042",
		Date:   time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
		Dealer: crm.Dealer{LegalName: "ООО «Север-Авто»", TaxID: "7701234567", TaxRegCode: "770101001",
			RegNumber: "1027700000001", Address: crm.Address{City: "Москва", Street: "ул. Северная, д. 1"},
			Bank: crm.BankAccount{BankName: "ПАО Сбербанк", BIC: "044525225", Account: "40702810900000000001"}},
		Signatory: sales.Signatory{Name: "Иванов Пётр Николаевич", Position: "Генеральный директор", Basis: "Устава"},
		Customer: crm.Customer{
			Contact: crm.Contact{FirstName: "Иван", MiddleName: "Сергеевич", LastName: "Петров"},
			Document: crm.IdentityDocument{Series: "4510", Number: "123456", IssuedBy: "ОВД «Тверской»",
				IssuedOn: "2015-02-01"},
			Address: crm.Address{City: "Москва", Street: "ул. Тверская, д. 10"},
		},
		Vehicle: catalog.Vehicle{VIN: "XTA21900080123456", Make: "Lada", Model: "Vesta", Year: 2026,
			Finance: catalog.VehicleFinance{VATRate: decimal.RequireFromString("0.20")}},
		Amount:        crm.MustMoney("1250000.50", "RUB"),
		PaymentMethod: sales.PayCredit,
		CreditBank:    "АО «Банк Кредит»",
		CreditAmount:  crm.MustMoney("1000000", "RUB"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Buyer.FullName, "—", c.City)
	fmt.Println(c.Lines[0].Description)
	fmt.Println(c.Totals.Total, "VAT", c.Totals.VAT)
	fmt.Println(c.Totals.Words)
	fmt.Println("credit", c.Payment.CreditAmount, "own funds", c.Payment.OwnFunds)

	_, err = sales.BuildContract(sales.ContractInput{Number: "1", Date: c.Date})
	f := crm.FieldsOf(err)[1]
	fmt.Println(f.Field, f.Message)
	// Output:
	// Петров Иван Сергеевич — Москва
	// Автомобиль Lada Vesta 2026, VIN XTA21900080123456
	// 1250000.50 RUB VAT 208333.42 RUB
	// один миллион двести пятьдесят тысяч рублей 50 копеек
	// credit 1000000.00 RUB own funds 250000.50 RUB
	// dealer.tax_id is required
}
