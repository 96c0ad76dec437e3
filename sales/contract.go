package sales

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// Contract is the data of a car purchase contract (договор купли-продажи автомобиля): who sells, who buys,
// which car, for how much, how it is paid and handed over, and who signs. It is plain data, a pure function
// of the sale and its order (see BuildContract); a ContractRenderer turns it into a printable file. It holds
// no formatting: renderers decide how amounts and dates look.
type Contract struct {
	Number   string           `json:"number"`
	Date     time.Time        `json:"date"` // the signing date, printed as a calendar date in its own location
	City     string           `json:"city"` // where it is signed ("Москва")
	Seller   ContractSeller   `json:"seller"`
	Buyer    ContractBuyer    `json:"buyer"`
	Vehicle  ContractVehicle  `json:"vehicle"`
	Lines    []ContractLine   `json:"lines"`
	Totals   ContractTotals   `json:"totals"`
	Payment  ContractPayment  `json:"payment"`
	Delivery ContractDelivery `json:"delivery"`
	Warranty ContractWarranty `json:"warranty"`
}

// Clone returns a deep copy.
func (c Contract) Clone() Contract {
	c.Lines = append([]ContractLine(nil), c.Lines...)
	c.Buyer.Phones = append([]string(nil), c.Buyer.Phones...)
	c.Buyer.Emails = append([]string(nil), c.Buyer.Emails...)
	c.Delivery.Documents = append([]string(nil), c.Delivery.Documents...)
	return c
}

// Signatory is the person who signs for a party, and on what authority.
type Signatory struct {
	Name     string `json:"name,omitempty"`     // "Иванов Иван Иванович"; blank leaves a line to fill in by hand
	Position string `json:"position,omitempty"` // "Генеральный директор"
	Basis    string `json:"basis,omitempty"`    // what authorises them: "Устава", "доверенности № 12 от 01.02.2026"
}

// ContractSeller is the dealer as it appears on the contract: its legal identity and requisites.
type ContractSeller struct {
	LegalName string          `json:"legal_name"`           // "ООО «Север-Авто»"
	TradeName string          `json:"trade_name,omitempty"` // "Дилерский центр Север"
	INN       string          `json:"inn"`                  // taxpayer number (ИНН)
	KPP       string          `json:"kpp,omitempty"`        // tax registration reason code (КПП); companies only
	OGRN      string          `json:"ogrn"`                 // state registration number (ОГРН or ОГРНИП)
	Address   string          `json:"address"`              // legal address on one line
	Bank      crm.BankAccount `json:"bank"`                 // bank requisites
	Phone     string          `json:"phone,omitempty"`      // as printed
	Email     string          `json:"email,omitempty"`      // as printed
	Signatory Signatory       `json:"signatory"`            // who signs for the dealer
}

// ContractBuyer is the customer as it appears on the contract: a person with an identity document, or a
// company with its taxpayer number and representative.
type ContractBuyer struct {
	Kind     crm.PartyKind `json:"kind"`      // crm.Person or crm.Company
	FullName string        `json:"full_name"` // "Петров Иван Сергеевич" (surname first) or the company name
	// ContactName is the name as the customer gave it ("Иван Сергеевич Петров"), printed beside the contacts.
	ContactName string               `json:"contact_name,omitempty"`
	BirthDate   string               `json:"birth_date,omitempty"` // YYYY-MM-DD, persons only
	Document    crm.IdentityDocument `json:"document"`             // persons: the identity document
	INN         string               `json:"inn,omitempty"`        // companies (and persons who give one)
	Address     string               `json:"address"`              // registration address on one line
	Phones      []string             `json:"phones,omitempty"`     // normalised
	Emails      []string             `json:"emails,omitempty"`     // normalised
	Signatory   Signatory            `json:"signatory"`            // companies: the representative; persons: themselves
}

// IsCompany reports whether the buyer is a company.
func (b ContractBuyer) IsCompany() bool { return b.Kind == crm.Company }

// ContractVehicle is the car being sold, as described in the subject of the contract.
type ContractVehicle struct {
	Make         string `json:"make"`
	Model        string `json:"model"`
	Trim         string `json:"trim,omitempty"`
	Year         int    `json:"year"` // model year
	Color        string `json:"color,omitempty"`
	VIN          string `json:"vin"`
	Body         string `json:"body,omitempty"` // body type or body number as the vehicle card holds it
	EngineNumber string `json:"engine_number,omitempty"`
	EngineType   string `json:"engine_type,omitempty"`
	PowerHP      string `json:"power_hp,omitempty"` // as printed, e.g. "150"
	Mileage      int    `json:"mileage"`            // odometer, km
	Used         bool   `json:"used"`               // a used (or certified used) car rather than a new one
	RegNumber    string `json:"reg_number,omitempty"`
}

// Name returns "Make Model Trim" as printed in the subject of the contract.
func (v ContractVehicle) Name() string {
	s := v.Make + " " + v.Model
	if v.Trim != "" {
		s += " " + v.Trim
	}
	return s
}

// ContractLine is one priced line of the contract: the car itself, an option, an accessory, a service.
// Prices include VAT; VAT is the tax contained in Total. Total = UnitPrice × Quantity − Discount.
type ContractLine struct {
	Vehicle     bool            `json:"vehicle,omitempty"` // the line selling the contract's car
	Description string          `json:"description"`
	Quantity    decimal.Decimal `json:"quantity"`
	UnitPrice   crm.Money       `json:"unit_price"`
	Discount    crm.Money       `json:"discount"`
	VAT         crm.Money       `json:"vat"`
	Total       crm.Money       `json:"total"`
}

// ContractTotals sums the lines: Gross (before discounts) − Discount = Total, of which VAT.
// Words is Total in Russian words for roubles ("один миллион … рублей 50 копеек"), empty in other currencies.
type ContractTotals struct {
	Gross    crm.Money `json:"gross"`
	Discount crm.Money `json:"discount"`
	VAT      crm.Money `json:"vat"`
	Total    crm.Money `json:"total"`
	Words    string    `json:"words,omitempty"`
}

// ContractPayment is how the price is paid: the buyer's own funds (cash at the till or a transfer), a bank
// credit and a trade-in credit. OwnFunds + CreditAmount + TradeInAmount = Totals.Total.
type ContractPayment struct {
	Method           PaymentMethod `json:"method"`
	OwnFunds         crm.Money     `json:"own_funds"`                    // paid by the buyer
	Prepayment       crm.Money     `json:"prepayment"`                   // part of OwnFunds paid on signing
	DueDays          int           `json:"due_days"`                     // banking days to pay OwnFunds after signing
	CreditBank       string        `json:"credit_bank,omitempty"`        // the lending bank
	CreditAmount     crm.Money     `json:"credit_amount"`                // paid by the bank
	CreditTermMonths int           `json:"credit_term_months,omitempty"` // the loan's term; 0 when not stated
	TradeInVehicle   string        `json:"trade_in_vehicle,omitempty"`   // "Kia Rio 2018, VIN …"
	TradeInAmount    crm.Money     `json:"trade_in_amount"`              // credited for the buyer's old car
}

// ContractDelivery is how and when the car is handed over.
type ContractDelivery struct {
	Place     string   `json:"place"`               // where: the dealer's address unless agreed otherwise
	Days      int      `json:"days"`                // working days after full payment
	Documents []string `json:"documents,omitempty"` // handed over with the car (ПТС/ЭПТС, service book, keys)
}

// ContractWarranty is the warranty stated in the contract. Zero months and zero kilometres mean the car is
// sold without a dealer warranty (used cars, typically).
type ContractWarranty struct {
	Months int    `json:"months,omitempty"`
	Km     int    `json:"km,omitempty"`
	Note   string `json:"note,omitempty"` // extra wording, e.g. who provides it
}

// None reports whether no warranty is given.
func (w ContractWarranty) None() bool { return w.Months == 0 && w.Km == 0 }
