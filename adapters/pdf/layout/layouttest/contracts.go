// Package layouttest provides sample purchase contracts, with Cyrillic names and addresses, for the tests of
// contract templates and renderers.
package layouttest

import (
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

// VIN is the VIN of the sample vehicle.
const VIN = "XTA21900080123456"

// BuyerName is the sample buyer's name as the contract prints it (surname first).
const BuyerName = "Петров Иван Сергеевич"

// Input returns the input of a valid contract: a dealer with full requisites, a person buying a new car with
// one option, partly on credit and partly by trade-in.
func Input() sales.ContractInput {
	rub := func(s string) crm.Money { return crm.MustMoney(s, "RUB") }
	return sales.ContractInput{
		Number: "ДКП-2026/0042",
		Date:   time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC),
		Dealer: crm.Dealer{
			Name: "Дилерский центр Север", LegalName: "ООО «Север-Авто»",
			TaxID: "7701234567", TaxRegCode: "770101001", RegNumber: "1027700000001",
			Address: crm.Address{PostalCode: "127000", City: "Москва", Street: "ул. Северная, д. 1"},
			Bank: crm.BankAccount{BankName: "ПАО Сбербанк", BIC: "044525225",
				Account: "40702810900000000001", CorrespondentAcct: "30101810400000000225"},
			Phone: "+7 495 000-00-00", Email: "sales@sever-auto.example", Currency: "RUB",
		},
		Signatory: sales.Signatory{Name: "Иванов Пётр Николаевич", Position: "Генеральный директор", Basis: "Устава"},
		Customer: crm.Customer{
			Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван", MiddleName: "Сергеевич", LastName: "Петров",
				Phones: []string{"+79000000000"}, Emails: []string{"ivan@example.org"}},
			BirthDate: "1985-04-12",
			Document: crm.IdentityDocument{Type: "passport_ru", Series: "4510", Number: "123456",
				IssuedBy: "ОВД «Тверской» г. Москвы", IssuedOn: "2015-02-01"},
			Address: crm.Address{City: "Москва", Street: "ул. Тверская, д. 10, кв. 5", PostalCode: "125009"},
		},
		Vehicle: catalog.Vehicle{
			VIN: VIN, Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026, Color: "белый",
			Body: "седан", EngineNumber: "21129 1234567", Condition: catalog.New,
			Specs:   catalog.VehicleSpecs{EngineType: "бензиновый, 1,6 л", PowerHP: decimal.NewFromInt(106)},
			Finance: catalog.VehicleFinance{VATRate: decimal.RequireFromString("0.20")},
		},
		Amount: rub("1250000.50"),
		Lines: []sales.ContractLine{
			{Vehicle: true, Description: "Автомобиль Lada Vesta Comfort 2026, VIN " + VIN, Quantity: decimal.NewFromInt(1),
				UnitPrice: rub("1230000.50"), Discount: rub("20000"), VAT: rub("201666.75"), Total: rub("1210000.50")},
			{Description: "Комплект зимних шин <Nokian> & диски", Quantity: decimal.NewFromInt(1),
				UnitPrice: rub("40000"), VAT: rub("6666.67"), Total: rub("40000")},
		},
		PaymentMethod:    sales.PayMixed,
		Prepayment:       rub("50000"),
		CreditBank:       "АО «Банк Кредит»",
		CreditAmount:     rub("700000"),
		CreditTermMonths: 36,
		TradeInVehicle:   "Kia Rio 2018, VIN Z94CB41AAJR123456",
		TradeInAmount:    rub("300000"),
		WarrantyMonths:   36,
		WarrantyKm:       100000,
	}
}

// Contract returns the contract built from Input.
func Contract() sales.Contract {
	c, err := sales.BuildContract(Input())
	if err != nil {
		panic(err)
	}
	return c
}

// LongContract returns a contract whose order has n extra accessory lines with long descriptions, long enough
// to span several pages when n is large.
func LongContract(n int) sales.Contract {
	in := Input()
	total := in.Amount
	for i := range n {
		price := crm.MustMoney(fmt.Sprintf("%d.00", 1000+i), "RUB")
		in.Lines = append(in.Lines, sales.ContractLine{
			Description: fmt.Sprintf("Дополнительное оборудование № %d: коврики салона, защита картера, "+
				"брызговики и установка сигнализации с автозапуском", i+1),
			Quantity: decimal.NewFromInt(1), UnitPrice: price, Total: price,
		})
		total, _ = total.Add(price)
	}
	in.Amount = total
	c, err := sales.BuildContract(in)
	if err != nil {
		panic(err)
	}
	return c
}
