package sales_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

func rub(s string) crm.Money { return crm.MustMoney(s, "RUB") }

// contractInput is a valid contract input: a dealer with full requisites sells a new car to a person, with
// an accessory, partly on credit and partly by trade-in.
func contractInput() sales.ContractInput {
	return sales.ContractInput{
		Number: "ДКП-2026/0042",
		Date:   time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC),
		Dealer: crm.Dealer{
			Name: "Дилерский центр Север", LegalName: "ООО «Север-Авто»",
			TaxID: "7701234567", TaxRegCode: "770101001", RegNumber: "1027700000001",
			Address: crm.Address{PostalCode: "127000", City: "Москва", Street: "ул. Северная, д. 1"},
			Bank:    crm.BankAccount{BankName: "ПАО Сбербанк", BIC: "044525225", Account: "40702810900000000001"},
			Phone:   "+7 495 000-00-00", Email: "sales@sever-auto.example",
		},
		Signatory: sales.Signatory{Name: " Иванов Пётр Николаевич ", Position: "Генеральный директор", Basis: "Устава"},
		Customer: crm.Customer{
			Contact: crm.Contact{Kind: crm.Person, FirstName: "Иван", MiddleName: "Сергеевич", LastName: "Петров",
				Phones: []string{"+79000000000"}},
			Document: crm.IdentityDocument{Type: "passport_ru", Series: "4510", Number: "123456",
				IssuedBy: "ОВД «Тверской» г. Москвы", IssuedOn: "2015-02-01"},
			Address: crm.Address{City: "Москва", Street: "ул. Тверская, д. 10, кв. 5"},
		},
		Vehicle: catalog.Vehicle{VIN: "XTA21900080123456", Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026,
			Condition: catalog.New, Specs: catalog.VehicleSpecs{PowerHP: decimal.NewFromInt(106)},
			Finance: catalog.VehicleFinance{VATRate: decimal.RequireFromString("0.20")}},
		Amount: rub("1250000.50"),
		Lines: []sales.ContractLine{
			{Vehicle: true, Description: "Автомобиль Lada Vesta Comfort", Quantity: decimal.NewFromInt(1),
				UnitPrice: rub("1230000.50"), Discount: rub("20000"), VAT: rub("201666.75"), Total: rub("1210000.50")},
			{Description: "Коврики салона", Quantity: decimal.NewFromInt(4), UnitPrice: rub("10000")}, // totals computed
		},
		PaymentMethod: sales.PayMixed,
		CreditBank:    "АО «Банк Кредит»", CreditAmount: rub("700000"),
		TradeInVehicle: "Kia Rio 2018", TradeInAmount: rub("300000"),
		Prepayment:     rub("50000"),
		WarrantyMonths: 36, WarrantyKm: 100000,
	}
}

func TestBuildContract(t *testing.T) {
	c, err := sales.BuildContract(contractInput())
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("number", c.Number, "ДКП-2026/0042")
	check("city", c.City, "Москва") // from the dealer's address
	check("seller", c.Seller.LegalName+" "+c.Seller.INN+" "+c.Seller.KPP+" "+c.Seller.OGRN, "ООО «Север-Авто» 7701234567 770101001 1027700000001")
	check("seller address", c.Seller.Address, "127000, Москва, ул. Северная, д. 1")
	check("seller signatory", c.Seller.Signatory.Name, "Иванов Пётр Николаевич")
	check("buyer", c.Buyer.FullName, "Петров Иван Сергеевич") // surname first
	check("buyer signs", c.Buyer.Signatory.Name, "Петров Иван Сергеевич")
	check("buyer document", c.Buyer.Document.Series+" "+c.Buyer.Document.Number, "4510 123456")
	check("VIN", c.Vehicle.VIN, "XTA21900080123456")
	check("power", c.Vehicle.PowerHP, "106")
	check("used", c.Vehicle.Used, false)
	check("line 2 total", c.Lines[1].Total.String(), "40000.00 RUB")
	check("line 2 VAT", c.Lines[1].VAT.String(), "0.00 RUB")
	check("line 2 discount", c.Lines[1].Discount.String(), "0.00 RUB")
	check("gross", c.Totals.Gross.String(), "1270000.50 RUB")
	check("discount", c.Totals.Discount.String(), "20000.00 RUB")
	check("total", c.Totals.Total.String(), "1250000.50 RUB")
	check("VAT", c.Totals.VAT.String(), "201666.75 RUB")
	check("words", c.Totals.Words, "один миллион двести пятьдесят тысяч рублей 50 копеек")
	check("own funds", c.Payment.OwnFunds.String(), "250000.50 RUB")
	check("due days", c.Payment.DueDays, sales.DefaultPaymentDueDays)
	check("delivery place", c.Delivery.Place, c.Seller.Address)
	check("delivery days", c.Delivery.Days, sales.DefaultDeliveryDays)
	check("papers", len(c.Delivery.Documents), len(sales.DefaultDeliveryPapers))
	check("warranty", c.Warranty.None(), false)
}

func TestBuildContractNamesMissingFields(t *testing.T) {
	cases := []struct {
		name string
		edit func(*sales.ContractInput)
		want []string
	}{
		{"nothing", func(in *sales.ContractInput) { *in = sales.ContractInput{} },
			[]string{"number", "date", "dealer.legal_name", "dealer.tax_id", "dealer.reg_number", "dealer.address",
				"dealer.bank.bank_name", "dealer.bank.bic", "dealer.bank.account", "customer.name", "customer.document.series",
				"customer.document.number", "customer.document.issued_by", "customer.document.issued_on", "customer.address",
				"vehicle.vin", "vehicle.make", "vehicle.model", "city", "amount"}},
		{"dealer requisites", func(in *sales.ContractInput) {
			in.Dealer.TaxRegCode, in.Dealer.RegNumber, in.Dealer.Bank = "", "", crm.BankAccount{}
		}, []string{"dealer.tax_reg_code", "dealer.reg_number", "dealer.bank.bank_name", "dealer.bank.bic", "dealer.bank.account"}},
		{"buyer identity", func(in *sales.ContractInput) { in.Customer.Document = crm.IdentityDocument{} },
			[]string{"customer.document.series", "customer.document.number", "customer.document.issued_by", "customer.document.issued_on"}},
		{"foreign passport needs no series", func(in *sales.ContractInput) {
			in.Customer.Document = crm.IdentityDocument{Type: "passport_foreign"}
		}, []string{"customer.document.number", "customer.document.issued_by", "customer.document.issued_on"}},
		{"company buyer", func(in *sales.ContractInput) {
			in.Customer.Kind = crm.Company
			in.Customer.Address = crm.Address{}
		}, []string{"customer.company_name", "customer.tax_id", "customer.address"}},
		{"unknown party kind", func(in *sales.ContractInput) { in.Customer.Kind = "robot" }, []string{"customer.kind"}},
		{"VIN", func(in *sales.ContractInput) { in.Vehicle.VIN = "  " }, []string{"vehicle.vin"}},
		{"amount differs from lines", func(in *sales.ContractInput) { in.Amount = rub("1250000") }, []string{"amount"}},
		{"amount in no currency", func(in *sales.ContractInput) { in.Amount = crm.Money{} }, []string{"amount"}},
		{"line total inconsistent", func(in *sales.ContractInput) { in.Lines[0].Total = rub("1230000.50") },
			[]string{"lines[0].total", "amount"}},
		{"line currency", func(in *sales.ContractInput) { in.Lines[1].UnitPrice = crm.MustMoney("10000", "EUR") },
			[]string{"lines[1].unit_price", "amount"}},
		{"line quantity and description", func(in *sales.ContractInput) {
			in.Lines[1].Quantity = decimal.Zero
			in.Lines[1].Description = ""
		}, []string{"lines[1].description", "lines[1].quantity", "amount"}},
		{"negative discount", func(in *sales.ContractInput) { in.Lines[0].Discount = rub("-1") },
			[]string{"lines[0].discount", "amount"}},
		{"discount above price", func(in *sales.ContractInput) {
			in.Lines[1] = sales.ContractLine{Description: "x", Quantity: decimal.NewFromInt(1), UnitPrice: rub("10"), Discount: rub("20")}
		}, []string{"lines[1].discount", "amount"}},
		{"VAT above total", func(in *sales.ContractInput) { in.Lines[1].VAT = rub("50000") }, []string{"lines[1].vat", "amount"}},
		{"credit without bank", func(in *sales.ContractInput) { in.CreditBank = "" }, []string{"credit_bank"}},
		{"credit method without amount", func(in *sales.ContractInput) {
			in.PaymentMethod, in.CreditAmount, in.TradeInAmount = sales.PayCredit, crm.Money{}, crm.Money{}
		}, []string{"credit_amount"}},
		{"trade-in without vehicle", func(in *sales.ContractInput) { in.TradeInVehicle = "" }, []string{"trade_in_vehicle"}},
		{"trade-in method without amount", func(in *sales.ContractInput) {
			in.PaymentMethod, in.CreditAmount, in.TradeInAmount = sales.PayTradeIn, crm.Money{}, crm.Money{}
		}, []string{"trade_in_amount"}},
		{"credit and trade-in above the price", func(in *sales.ContractInput) { in.CreditAmount = rub("1000000") },
			[]string{"credit_amount"}},
		{"prepayment above own funds", func(in *sales.ContractInput) { in.Prepayment = rub("250000.51") }, []string{"prepayment"}},
		{"unknown payment method", func(in *sales.ContractInput) { in.PaymentMethod = "barter" }, []string{"payment_method"}},
		{"negative terms", func(in *sales.ContractInput) {
			in.PaymentDueDays, in.DeliveryDays, in.WarrantyMonths, in.WarrantyKm = -1, -1, -1, -1
		}, []string{"payment_due_days", "delivery_days", "warranty_months", "warranty_km"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := contractInput()
			tc.edit(&in)
			_, err := sales.BuildContract(in)
			if !errors.Is(err, crm.ErrInvalid) {
				t.Fatalf("err = %v, want crm.ErrInvalid", err)
			}
			var got []string
			for _, f := range crm.FieldsOf(err) {
				if !slices.Contains(got, f.Field) {
					got = append(got, f.Field)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("fields = %v\nwant      %v\n(%v)", got, tc.want, err)
			}
		})
	}
}

func TestBuildContractDefaultsAndDerivations(t *testing.T) {
	t.Run("one vehicle line at the sale's amount with the card's VAT", func(t *testing.T) {
		in := contractInput()
		in.Lines = nil
		in.Amount = rub("1200000")
		c, err := sales.BuildContract(in)
		if err != nil {
			t.Fatal(err)
		}
		l := c.Lines
		if len(l) != 1 || l[0].Description != "Автомобиль Lada Vesta Comfort 2026, VIN XTA21900080123456" ||
			!l[0].Total.Equal(rub("1200000")) || !l[0].VAT.Equal(rub("200000.00")) || !l[0].Quantity.Equal(decimal.NewFromInt(1)) {
			t.Errorf("lines = %+v", l)
		}
		if !c.Totals.VAT.Equal(rub("200000.00")) || c.Totals.Words != "один миллион двести тысяч рублей 00 копеек" {
			t.Errorf("totals = %+v", c.Totals)
		}
	})
	t.Run("payment method from the amounts", func(t *testing.T) {
		for _, tc := range []struct {
			credit, tradeIn bool
			want            sales.PaymentMethod
		}{{true, true, sales.PayMixed}, {true, false, sales.PayCredit}, {false, true, sales.PayTradeIn}} {
			in := contractInput()
			in.PaymentMethod = ""
			if !tc.credit {
				in.CreditAmount = crm.Money{}
			}
			if !tc.tradeIn {
				in.TradeInAmount = crm.Money{}
			}
			c, err := sales.BuildContract(in)
			if err != nil {
				t.Fatal(err)
			}
			if c.Payment.Method != tc.want {
				t.Errorf("credit %v, trade-in %v: method %q, want %q", tc.credit, tc.tradeIn, c.Payment.Method, tc.want)
			}
		}
	})
	t.Run("company buyer and explicit terms", func(t *testing.T) {
		in := contractInput()
		in.Customer = crm.Customer{Contact: crm.Contact{Kind: crm.Company, CompanyName: "ООО «Ромашка»"}, TaxID: "7712345678",
			Address: crm.Address{City: "Тверь", Street: "пр. Ленина, 1"}}
		in.BuyerSignatory = sales.Signatory{Name: "Сидоров О. П.", Position: "Директор"}
		in.City, in.DeliveryPlace, in.DeliveryDays, in.PaymentDueDays = "Химки", "Химки, склад № 2", 10, 3
		in.DeliveryPapers = []string{"ЭПТС"}
		in.Vehicle.Condition = catalog.Used
		c, err := sales.BuildContract(in)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Buyer.IsCompany() || c.Buyer.FullName != "ООО «Ромашка»" || c.Buyer.Signatory.Name != "Сидоров О. П." ||
			c.City != "Химки" || c.Delivery.Place != "Химки, склад № 2" || c.Delivery.Days != 10 ||
			c.Payment.DueDays != 3 || !slices.Equal(c.Delivery.Documents, []string{"ЭПТС"}) || !c.Vehicle.Used {
			t.Errorf("contract = %+v", c)
		}
	})
	t.Run("the contract does not share the input's slices", func(t *testing.T) {
		in := contractInput()
		c, err := sales.BuildContract(in)
		if err != nil {
			t.Fatal(err)
		}
		in.Lines[0].Description = "changed"
		in.Customer.Phones[0] = "changed"
		if c.Lines[0].Description == "changed" || c.Buyer.Phones[0] == "changed" {
			t.Error("changing the input changed the contract")
		}
		d := c.Clone()
		d.Lines[0].Description, d.Buyer.Phones[0], d.Delivery.Documents[0] = "x", "x", "x"
		if c.Lines[0].Description == "x" || c.Buyer.Phones[0] == "x" || c.Delivery.Documents[0] == "x" {
			t.Error("changing a clone changed the contract")
		}
	})
}

func TestContractVehicleName(t *testing.T) {
	v := sales.ContractVehicle{Make: "Lada", Model: "Vesta"}
	if v.Name() != "Lada Vesta" {
		t.Errorf("Name = %q", v.Name())
	}
	v.Trim = "Comfort"
	if !strings.HasSuffix(v.Name(), " Comfort") {
		t.Errorf("Name = %q", v.Name())
	}
}

func TestContractJSONRoundTrip(t *testing.T) {
	c, err := sales.BuildContract(contractInput())
	if err != nil {
		t.Fatal(err)
	}
	first, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back sales.Contract
	if err := json.Unmarshal(first, &back); err != nil {
		t.Fatal(err)
	}
	second, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Errorf("JSON round trip changed the contract:\n%s\n%s", first, second)
	}
	if !bytes.Contains(first, []byte(`"full_name":"Петров Иван Сергеевич"`)) || !bytes.Contains(first, []byte(`"total":{"amount":"1250000.50","currency":"RUB"}`)) {
		t.Errorf("JSON = %s", first)
	}
}
