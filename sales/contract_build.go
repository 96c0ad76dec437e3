package sales

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// ContractInput is what a purchase contract is built from: the parties and the car as stored, and the sale's
// figures as plain values. Optional fields have the defaults their comments give.
type ContractInput struct {
	Number string    // the contract (or sale) number; required
	Date   time.Time // the signing date, in the dealer's time zone; required
	City   string    // where it is signed; defaults to Dealer.Address.City

	Dealer         crm.Dealer   // the seller; legal name, INN, OGRN, address and bank requisites are required
	Signatory      Signatory    // who signs for the dealer; blank leaves a line to fill in by hand
	Customer       crm.Customer // the buyer; a person needs an identity document, a company its INN
	BuyerSignatory Signatory    // who signs for a company buyer; a person buyer signs for themselves
	Vehicle        catalog.Vehicle
	Amount         crm.Money      // the sale's amount; the lines must add up to it
	Lines          []ContractLine // the order's lines; empty means one line: the vehicle at Amount
	PaymentMethod  PaymentMethod  // the sale's; derived from the credit and trade-in amounts when empty; none: cash or transfer
	Prepayment     crm.Money      // paid on signing, part of the buyer's own funds; optional
	PaymentDueDays int            // banking days to pay the buyer's own funds; default 5
	CreditBank     string         // required when CreditAmount is positive or the method is credit
	CreditAmount   crm.Money      // part of the price paid by the bank
	// CreditTermMonths is the loan's term, printed with the bank; optional.
	CreditTermMonths int
	TradeInVehicle   string    // the buyer's old car taken in part exchange, as printed
	TradeInAmount    crm.Money // part of the price covered by that car
	DeliveryPlace    string    // default: the dealer's address
	DeliveryDays     int       // working days after full payment; default 5
	DeliveryPapers   []string  // handed over with the car; default DefaultDeliveryPapers
	WarrantyMonths   int       // zero months and zero km: no warranty
	WarrantyKm       int
	WarrantyNote     string
}

// DefaultDeliveryPapers are the documents handed over with a car unless ContractInput says otherwise.
var DefaultDeliveryPapers = []string{
	"паспорт транспортного средства (ПТС) или выписка из электронного паспорта (ЭПТС)",
	"сервисная книжка и руководство по эксплуатации",
	"комплект ключей",
}

// Default terms of a contract when the input leaves them at zero.
const (
	DefaultPaymentDueDays = 5
	DefaultDeliveryDays   = 5
)

const contractBuildOperation = "sales.BuildContract"

// BuildContract validates in and builds the contract. It returns a crm.KindInvalid error naming every missing
// or inconsistent field (dealer.tax_id, customer.document.number, vehicle.vin, lines[1].total, amount, …):
// the dealer's requisites, the buyer's identity, the VIN, and totals that add up to the sale's amount are
// required. Lines without a Total (the zero crm.Money) get one computed; lines with one are checked.
func BuildContract(in ContractInput) (Contract, error) {
	var p crm.Problems
	p.Require("number", in.Number)
	if in.Date.IsZero() {
		p.Add("date", "is required")
	}
	c := Contract{
		Number:  strings.TrimSpace(in.Number),
		Date:    in.Date,
		City:    contractFirstNonBlank(in.City, in.Dealer.Address.City),
		Seller:  contractSeller(&p, in.Dealer, in.Signatory),
		Buyer:   contractBuyer(&p, in.Customer, in.BuyerSignatory),
		Vehicle: contractVehicle(&p, in.Vehicle),
	}
	p.Require("city", c.City)
	c.Lines, c.Totals = contractLines(&p, in)
	c.Payment = contractPayment(&p, in)
	c.Delivery = contractDelivery(&p, in, c.Seller.Address)
	if in.WarrantyMonths < 0 {
		p.Add("warranty_months", "must not be negative")
	}
	if in.WarrantyKm < 0 {
		p.Add("warranty_km", "must not be negative")
	}
	c.Warranty = ContractWarranty{Months: in.WarrantyMonths, Km: in.WarrantyKm, Note: strings.TrimSpace(in.WarrantyNote)}
	if err := p.Err(contractBuildOperation); err != nil {
		return Contract{}, err
	}
	return c, nil
}

func contractSeller(p *crm.Problems, d crm.Dealer, s Signatory) ContractSeller {
	p.Require("dealer.legal_name", d.LegalName)
	p.Require("dealer.tax_id", d.TaxID)
	if len(strings.TrimSpace(d.TaxID)) == 10 {
		p.Require("dealer.tax_reg_code", d.TaxRegCode) // a company (10-digit INN) has a KPP; a sole trader does not
	}
	p.Require("dealer.reg_number", d.RegNumber)
	p.Require("dealer.address", d.Address.String())
	p.Require("dealer.bank.bank_name", d.Bank.BankName)
	p.Require("dealer.bank.bic", d.Bank.BIC)
	p.Require("dealer.bank.account", d.Bank.Account)
	return ContractSeller{
		LegalName: strings.TrimSpace(d.LegalName),
		TradeName: strings.TrimSpace(d.Name),
		INN:       strings.TrimSpace(d.TaxID),
		KPP:       strings.TrimSpace(d.TaxRegCode),
		OGRN:      strings.TrimSpace(d.RegNumber),
		Address:   d.Address.String(),
		Bank:      d.Bank,
		Phone:     d.Phone,
		Email:     d.Email,
		Signatory: trimContractSignatory(s),
	}
}

func contractBuyer(p *crm.Problems, c crm.Customer, s Signatory) ContractBuyer {
	b := ContractBuyer{
		Kind:      c.Kind,
		BirthDate: c.BirthDate,
		INN:       strings.TrimSpace(c.TaxID),
		Address:   c.Address.String(),
		Phones:    append([]string(nil), c.Phones...),
		Emails:    append([]string(nil), c.Emails...),
		Signatory: trimContractSignatory(s),
	}
	b.ContactName = c.FullName()
	switch c.Kind {
	case crm.Company:
		b.FullName = strings.TrimSpace(c.CompanyName)
		p.Require("customer.company_name", b.FullName)
		p.Require("customer.tax_id", b.INN)
	case crm.Person, "":
		b.Kind = crm.Person
		b.FullName = strings.Join(strings.Fields(c.LastName+" "+c.FirstName+" "+c.MiddleName), " ")
		p.Require("customer.name", b.FullName)
		doc := c.Document
		if doc.Type == "" || doc.Type == "passport_ru" {
			p.Require("customer.document.series", doc.Series)
		}
		p.Require("customer.document.number", doc.Number)
		p.Require("customer.document.issued_by", doc.IssuedBy)
		p.Require("customer.document.issued_on", doc.IssuedOn)
		b.Document = doc
		if b.Signatory.Name == "" {
			b.Signatory.Name = b.FullName
		}
	default:
		p.Add("customer.kind", "must be person or company")
	}
	p.Require("customer.address", b.Address)
	return b
}

func contractVehicle(p *crm.Problems, v catalog.Vehicle) ContractVehicle {
	p.Require("vehicle.vin", string(v.VIN))
	p.Require("vehicle.make", v.Make)
	p.Require("vehicle.model", v.Model)
	cv := ContractVehicle{
		Make:         v.Make,
		Model:        v.Model,
		Trim:         v.Trim,
		Year:         v.Year,
		Color:        v.Color,
		VIN:          strings.TrimSpace(string(v.VIN)),
		Body:         v.Body,
		EngineNumber: v.EngineNumber,
		EngineType:   v.Specs.EngineType,
		Mileage:      v.Mileage,
		Used:         v.Condition != "" && v.Condition != catalog.New,
		RegNumber:    v.RegNumber,
	}
	if v.Specs.PowerHP.IsPositive() {
		cv.PowerHP = v.Specs.PowerHP.String()
	}
	return cv
}

// contractLines checks (or completes) every line and sums them; the total must equal in.Amount.
func contractLines(p *crm.Problems, in ContractInput) ([]ContractLine, ContractTotals) {
	cur := in.Amount.Currency
	if cur == "" || !in.Amount.IsPositive() {
		p.Add("amount", "must be a positive amount with a currency")
		return nil, ContractTotals{}
	}
	lines := append([]ContractLine(nil), in.Lines...)
	if len(lines) == 0 {
		lines = []ContractLine{contractVehicleLine(in.Vehicle, in.Amount)}
	}
	t := ContractTotals{Gross: crm.Zero(cur), Discount: crm.Zero(cur), VAT: crm.Zero(cur), Total: crm.Zero(cur)}
	vehicleLines := 0
	for i := range lines {
		l := &lines[i]
		f := fmt.Sprintf("lines[%d].", i)
		if l.Vehicle {
			vehicleLines++
		}
		if !completeContractLine(p, f, l, cur) {
			continue
		}
		if l.Vehicle && !l.Total.IsPositive() {
			p.Add(f+"total", "the car must be sold at a positive price")
		}
		t.Discount.Amount = t.Discount.Amount.Add(l.Discount.Amount)
		t.VAT.Amount = t.VAT.Amount.Add(l.VAT.Amount)
		t.Total.Amount = t.Total.Amount.Add(l.Total.Amount)
	}
	if vehicleLines != 1 {
		// Without it the contract would sell the car for the price of whatever else the lines hold.
		p.Add("lines", "must hold exactly one line selling the car (Vehicle), not %d", vehicleLines)
	}
	t.Gross.Amount = t.Total.Amount.Add(t.Discount.Amount)
	if !t.Total.Amount.Equal(in.Amount.Amount) {
		p.Add("amount", "is %s but the lines add up to %s", in.Amount, t.Total)
	}
	if cur == "RUB" {
		t.Words, _ = RublesInWords(t.Total)
	}
	return lines, t
}

// contractVehicleLine is the single line of a contract whose order has no lines: the car at the sale's amount, with
// the VAT its card's rate contains.
func contractVehicleLine(v catalog.Vehicle, amount crm.Money) ContractLine {
	desc := "Автомобиль " + strings.TrimSpace(v.Name())
	if v.VIN != "" {
		desc += ", VIN " + string(v.VIN)
	}
	vat := crm.Zero(amount.Currency)
	if r := v.Finance.VATRate; r.IsPositive() {
		vat = amount.Mul(r.Div(r.Add(decimal.NewFromInt(1)))).Round()
	}
	return ContractLine{Vehicle: true, Description: desc, Quantity: decimal.NewFromInt(1), UnitPrice: amount,
		Discount: crm.Zero(amount.Currency), VAT: vat, Total: amount}
}

// completeContractLine validates l (field names prefixed with f), fills a missing Discount, VAT or Total, and reports
// whether the line may be summed.
func completeContractLine(p *crm.Problems, f string, l *ContractLine, cur crm.Currency) bool {
	ok := true
	if strings.TrimSpace(l.Description) == "" {
		p.Add(f+"description", "is required")
	}
	if !l.Quantity.IsPositive() {
		p.Add(f+"quantity", "must be positive")
		ok = false
	}
	for _, m := range []struct {
		name string
		v    *crm.Money
	}{{"unit_price", &l.UnitPrice}, {"discount", &l.Discount}, {"vat", &l.VAT}, {"total", &l.Total}} {
		if m.v.Currency == "" && m.v.IsZero() && m.name != "unit_price" {
			continue // filled below
		}
		if m.v.Currency != cur {
			p.Add(f+m.name, "must be in %s", cur)
			ok = false
		} else if m.v.IsNegative() {
			p.Add(f+m.name, "must not be negative")
			ok = false
		}
	}
	if !ok {
		return false
	}
	if l.Discount.Currency == "" {
		l.Discount = crm.Zero(cur)
	}
	if l.VAT.Currency == "" {
		l.VAT = crm.Zero(cur)
	}
	want := crm.Money{Amount: l.UnitPrice.Amount.Mul(l.Quantity).Sub(l.Discount.Amount), Currency: cur}.Round()
	switch {
	case l.Total.Currency == "":
		l.Total = want
	case !l.Total.Amount.Equal(want.Amount):
		p.Add(f+"total", "is %s but unit price × quantity − discount is %s", l.Total, want)
		return false
	}
	if l.Total.IsNegative() {
		p.Add(f+"discount", "exceeds the line's price")
		return false
	}
	if l.VAT.Amount.GreaterThan(l.Total.Amount) {
		p.Add(f+"vat", "exceeds the line's total")
		return false
	}
	return true
}

// contractPayment splits the sale's amount between the bank, the trade-in and the buyer's own funds.
func contractPayment(p *crm.Problems, in ContractInput) ContractPayment {
	total := in.Amount
	cur := total.Currency
	pay := ContractPayment{
		Method:           in.PaymentMethod,
		DueDays:          in.PaymentDueDays,
		CreditBank:       strings.TrimSpace(in.CreditBank),
		TradeInVehicle:   strings.TrimSpace(in.TradeInVehicle),
		Prepayment:       contractMoneyOr(in.Prepayment, cur),
		CreditAmount:     contractMoneyOr(in.CreditAmount, cur),
		CreditTermMonths: in.CreditTermMonths,
		TradeInAmount:    contractMoneyOr(in.TradeInAmount, cur),
	}
	if pay.DueDays == 0 {
		pay.DueDays = DefaultPaymentDueDays
	} else if pay.DueDays < 0 {
		p.Add("payment_due_days", "must not be negative")
	}
	if pay.Method == "" {
		switch credit, tradeIn := pay.CreditAmount.IsPositive(), pay.TradeInAmount.IsPositive(); {
		case credit && tradeIn:
			pay.Method = PayMixed
		case credit:
			pay.Method = PayCredit
		case tradeIn:
			pay.Method = PayTradeIn
		}
	}
	if !pay.Method.Valid() {
		p.Add("payment_method", "must be cash, bank_transfer, credit, trade_in or mixed")
	}
	if pay.Method == PayCredit && !pay.CreditAmount.IsPositive() {
		p.Add("credit_amount", "is required when paying by credit")
	}
	if pay.CreditAmount.IsPositive() {
		p.Require("credit_bank", pay.CreditBank)
	}
	if pay.CreditTermMonths < 0 {
		p.Add("credit_term_months", "must not be negative")
	}
	if pay.Method == PayTradeIn && !pay.TradeInAmount.IsPositive() {
		p.Add("trade_in_amount", "is required when paying by trade-in")
	}
	if pay.TradeInAmount.IsPositive() {
		p.Require("trade_in_vehicle", pay.TradeInVehicle)
	}
	if cur == "" || !total.IsPositive() {
		return pay // the amount is already reported
	}
	own := total
	for _, part := range []struct {
		name string
		v    crm.Money
	}{{"credit_amount", pay.CreditAmount}, {"trade_in_amount", pay.TradeInAmount}} {
		if part.v.Currency != cur || part.v.IsNegative() {
			p.Add(part.name, "must be a non-negative amount in %s", cur)
			continue
		}
		own.Amount = own.Amount.Sub(part.v.Amount)
	}
	if own.IsNegative() {
		p.Add("credit_amount", "with trade_in_amount exceeds the total %s", total)
	}
	pay.OwnFunds = own
	if pay.Prepayment.Currency != cur || pay.Prepayment.IsNegative() {
		p.Add("prepayment", "must be a non-negative amount in %s", cur)
	} else if pay.Prepayment.Amount.GreaterThan(own.Amount) && !own.IsNegative() {
		p.Add("prepayment", "exceeds the buyer's own funds %s", own)
	}
	return pay
}

func contractDelivery(p *crm.Problems, in ContractInput, sellerAddress string) ContractDelivery {
	d := ContractDelivery{
		Place:     contractFirstNonBlank(in.DeliveryPlace, sellerAddress),
		Days:      in.DeliveryDays,
		Documents: append([]string(nil), in.DeliveryPapers...),
	}
	if d.Days == 0 {
		d.Days = DefaultDeliveryDays
	} else if d.Days < 0 {
		p.Add("delivery_days", "must not be negative")
	}
	if len(d.Documents) == 0 {
		d.Documents = append([]string(nil), DefaultDeliveryPapers...)
	}
	return d
}

func trimContractSignatory(s Signatory) Signatory {
	return Signatory{Name: strings.TrimSpace(s.Name), Position: strings.TrimSpace(s.Position), Basis: strings.TrimSpace(s.Basis)}
}

// contractMoneyOr returns m, or zero in cur when m is the zero Money (no currency).
func contractMoneyOr(m crm.Money, cur crm.Currency) crm.Money {
	if m.Currency == "" && m.IsZero() {
		return crm.Zero(cur)
	}
	return m
}

func contractFirstNonBlank(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
