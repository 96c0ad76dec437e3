package catalog

import (
	"slices"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// FirstModelYear is the earliest model year a card accepts (the first motor car, 1886).
const FirstModelYear = 1886

// Valid reports whether c is a known condition.
func (c Condition) Valid() bool { return slices.Contains(Conditions(), c) }

// NewVehicle validates v and builds a vehicle card of dealer created at now.
//
// The VIN is parsed with the dealer's policy (dealer.StrictVIN requires the North-American check digit); make and
// model are required; the model year must lie between 1886 and next year but one; the condition defaults to new
// and the status to in stock (a new card may also be in transit or unavailable, never reserved or sold: those are
// reached through Reserve and Sell). Every amount must be non-negative and in one currency (the list price's,
// else the dealer's), the discount no more than the list price, the VAT rate in [0, 1). Text is trimmed and times
// are kept in UTC to the microsecond.
//
// It returns a crm.KindInvalid error naming each bad field: vin, make, model, year, condition, status, mileage,
// list_price, cost, discount, vat_rate, market_value, insurance.valid_to, specs.* .
func NewVehicle(dealer crm.Dealer, v Vehicle, now time.Time) (Vehicle, error) {
	var p crm.Problems
	v.normalizeCard(&p, dealer, now)
	if v.Status == "" {
		v.Status = StatusInStock
	}
	switch v.Status {
	case StatusInStock, StatusInTransit, StatusUnavailable:
	default:
		p.Add("status", "must be in_stock, in_transit or unavailable for a new vehicle")
	}
	if len(v.Reservations) > 0 {
		p.Add("reservations", "must be empty: a vehicle is reserved with Reserve")
	}
	if !v.SoldAt.IsZero() || v.SaleID != (crm.ID{}) {
		p.Add("sale_id", "must be empty: a vehicle is sold with Sell")
	}
	if err := p.Err("catalog.NewVehicle"); err != nil {
		return Vehicle{}, err
	}
	v.Meta = crm.NewMeta(dealer.ID, now)
	return v, nil
}

// Edit replaces the card's descriptive data (identity, stock, finance, insurance, technical data) with card's,
// validated as NewVehicle does. What the rules own is kept: the status, the reservations, the sale and the
// metadata (the store stamps UpdatedAt); a sold car's frozen build and the data derived from it (VehicleBuild).
// It returns a crm.KindInvalid error naming each bad field; v is then unchanged.
func (v *Vehicle) Edit(dealer crm.Dealer, card Vehicle, now time.Time) error {
	var p crm.Problems
	card.normalizeCard(&p, dealer, now)
	if err := p.Err("catalog.Vehicle.Edit"); err != nil {
		return err
	}
	card.Meta = v.Meta
	card.Status, card.Reservations, card.SoldAt, card.SaleID = v.Status, v.Reservations, v.SoldAt, v.SaleID
	v.keepSold(&card)
	*v = card
	return nil
}

// normalizeCard trims and checks the descriptive data of a card, recording problems in p.
func (v *Vehicle) normalizeCard(p *crm.Problems, dealer crm.Dealer, now time.Time) {
	if strings.TrimSpace(string(v.VIN)) == "" {
		p.Add("vin", "is required")
	} else if vin, err := ParseVIN(string(v.VIN), dealer.StrictVIN); err != nil {
		p.Merge("", err)
	} else {
		v.VIN = vin
	}
	for _, f := range []*string{&v.Make, &v.Model, &v.Generation, &v.Trim, &v.ModelCode, &v.Body, &v.Color,
		&v.InteriorColor, &v.EngineNumber, &v.RegNumber, &v.StockNumber, &v.Location} {
		*f = strings.TrimSpace(*f)
	}
	v.DealerTab.normalize()
	crm.NormalizeExternalID(p, "external_id", &v.ExternalID)
	p.Require("make", v.Make)
	p.Require("model", v.Model)
	if last := now.Year() + 2; v.Year < FirstModelYear || v.Year > last {
		p.Add("year", "must be a model year between %d and %d", FirstModelYear, last)
	}
	if v.Condition == "" {
		v.Condition = New
	} else if !v.Condition.Valid() {
		p.Add("condition", "must be new, used or certified_used")
	}
	if v.Mileage < 0 || v.Mileage > crm.MaxMileage {
		p.Add("mileage", "must be between 0 and %d km", crm.MaxMileage)
	}
	v.ArrivedAt = utc(v.ArrivedAt)
	v.Finance.normalize(p, dealer)
	v.Insurance.normalize(p)
	v.Specs.check(p)
}

func (f *VehicleFinance) normalize(p *crm.Problems, dealer crm.Dealer) {
	cur, ok := cardCurrency(p, "list_price", f.ListPrice, dealer)
	if !ok {
		return
	}
	f.ListPrice = inCurrency(p, "list_price", f.ListPrice, cur)
	f.Cost = inCurrency(p, "cost", f.Cost, cur)
	f.Discount = inCurrency(p, "discount", f.Discount, cur)
	f.MarketValue = inCurrency(p, "market_value", f.MarketValue, cur)
	if f.Discount.Currency == cur && f.ListPrice.Currency == cur && !f.ListPrice.IsNegative() &&
		f.Discount.Amount.GreaterThan(f.ListPrice.Amount) {
		p.Add("discount", "must not exceed the list price")
	}
	if f.VATRate.IsNegative() || f.VATRate.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		p.Add("vat_rate", "must be a fraction from 0 to below 1, e.g. 0.20")
	}
}

// NetPrice returns the list price less the standing discount.
func (f VehicleFinance) NetPrice() (crm.Money, error) { return f.ListPrice.Sub(f.Discount) }

func (in *VehicleInsurance) normalize(p *crm.Problems) {
	in.Insurer = strings.TrimSpace(in.Insurer)
	in.PolicyNumber = strings.TrimSpace(in.PolicyNumber)
	in.ValidFrom, in.ValidTo = utc(in.ValidFrom), utc(in.ValidTo)
	if !in.ValidFrom.IsZero() && !in.ValidTo.IsZero() && !in.ValidTo.After(in.ValidFrom) {
		p.Add("insurance.valid_to", "must be after valid_from")
	}
}

func (s *VehicleSpecs) check(p *crm.Problems) {
	for _, f := range []struct {
		name string
		n    int
	}{{"specs.displacement_cc", s.DisplacementCC}, {"specs.seats", s.Seats}, {"specs.doors", s.Doors}} {
		if f.n < 0 {
			p.Add(f.name, "must not be negative")
		}
	}
	if s.PowerKW.IsNegative() {
		p.Add("specs.power_kw", "must not be negative")
	}
	if s.PowerHP.IsNegative() {
		p.Add("specs.power_hp", "must not be negative")
	}
}

// Invariants returns a crm.KindInvalid error when v breaks a rule every stored vehicle keeps: a known status and
// condition, a non-negative mileage, every amount non-negative and in the list price's currency, a VAT rate in
// [0, 1). Stores call it, so that the memory adapter refuses exactly what PostgreSQL's CHECK constraints refuse.
func (v *Vehicle) Invariants() error {
	var p crm.Problems
	if !v.Status.Valid() {
		p.Add("status", "must be one of in_stock, in_transit, reserved, sold, unavailable")
	}
	if !v.Condition.Valid() {
		p.Add("condition", "must be new, used or certified_used")
	}
	if v.Mileage < 0 || v.Mileage > crm.MaxMileage {
		p.Add("mileage", "must be between 0 and %d km", crm.MaxMileage)
	}
	f := v.Finance
	cur := f.ListPrice.Currency
	if _, err := crm.ParseCurrency(string(cur)); cur != "" && (err != nil || strings.ToUpper(string(cur)) != string(cur)) {
		p.Add("list_price", "currency %q is not an ISO 4217 code", cur)
	}
	storedMoney(&p, "list_price", f.ListPrice, cur)
	storedMoney(&p, "cost", f.Cost, cur)
	storedMoney(&p, "discount", f.Discount, cur)
	storedMoney(&p, "market_value", f.MarketValue, cur)
	if f.VATRate.IsNegative() || f.VATRate.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		p.Add("vat_rate", "must be a fraction from 0 to below 1")
	}
	return p.Err("catalog.Vehicle")
}

// utc returns t in UTC, or the zero time for zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}
