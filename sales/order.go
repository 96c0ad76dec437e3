package sales

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// LineKind says what an order line sells.
type LineKind string

// Line kinds.
const (
	LineVehicle   LineKind = "vehicle"   // the sale's vehicle; at most one per order, quantity 1
	LineAccessory LineKind = "accessory" // e.g. floor mats, a tow bar
	LinePart      LineKind = "part"      // a spare part
	LineLabour    LineKind = "service"   // a catalog labour operation (catalog.Labour): pre-sale preparation, tinting, registration
	LineOther     LineKind = "other"     // anything else (fees)
)

// Valid reports whether k is a known kind.
func (k LineKind) Valid() bool { return slices.Contains(LineKinds(), k) }

// Totals are the money figures of a line or a whole order: net (without VAT), VAT and gross (with VAT), each
// exact to the currency's minor unit; Net + VAT = Gross always.
type Totals struct {
	Net   crm.Money `json:"net"`
	VAT   crm.Money `json:"vat"`
	Gross crm.Money `json:"gross"`
}

// LineInput is what a caller gives for an order line. UnitPrice and Discount include VAT. VATRate is a fraction
// (0.20 for 20 %).
type LineInput struct {
	Kind        LineKind        `json:"kind"`
	Description string          `json:"description"`
	RefID       crm.ID          `json:"catalog_ref_id,omitzero"` // the catalog vehicle, part or service; required for a vehicle
	Quantity    decimal.Decimal `json:"quantity"`
	UnitPrice   crm.Money       `json:"unit_price"` // VAT included
	Discount    crm.Money       `json:"discount"`   // an amount off the line, VAT included
	VATRate     decimal.Decimal `json:"vat_rate"`   // fraction, 0 ≤ rate < 1
}

// Line is one priced line of an order: the input and its totals.
type Line struct {
	ID crm.ID `json:"id"`
	LineInput
	Totals
}

// MaxLineQuantity bounds an order line's quantity (litres of oil or hours of work included): far above any real
// order, and small enough that a line's total stays within reach of crm.MaxAmount.
var MaxLineQuantity = decimal.NewFromInt(100_000)

// NewLine validates in as a line in currency and computes its totals. Prices include VAT; rounding is per line,
// half away from zero, to the currency's minor unit:
//
//	gross = round(quantity × unit price − discount)
//	VAT   = round(gross × rate / (1 + rate))
//	net   = gross − VAT
//
// For example 4.5 × 899.99 RUB at 20 % is gross 4049.96 (4049.955 rounded), VAT 674.99, net 3374.97.
// The kind, a description, a positive quantity (up to MaxLineQuantity with at most 3 decimals; exactly 1 for a vehicle) and a catalog reference for a vehicle
// are required; price and discount are not negative and in currency, the discount at most quantity × price; the
// VAT rate is at least 0 and below 1. It returns a crm.KindInvalid error naming every wrong field.
func NewLine(in LineInput, currency crm.Currency) (Line, error) {
	var p crm.Problems
	in.Description = strings.TrimSpace(in.Description)
	if !in.Kind.Valid() {
		p.Add("kind", "must be vehicle, accessory, part, service or other")
	}
	p.Require("description", in.Description)
	if !in.Quantity.IsPositive() {
		p.Add("quantity", "must be positive")
	} else if in.Quantity.GreaterThan(MaxLineQuantity) || !in.Quantity.Equal(in.Quantity.Round(3)) {
		p.Add("quantity", "must be at most %s with at most 3 decimal places", MaxLineQuantity)
	} else if in.Kind == LineVehicle && !in.Quantity.Equal(decimal.NewFromInt(1)) {
		p.Add("quantity", "must be 1 for a vehicle")
	}
	if in.Kind == LineVehicle && in.RefID == (crm.ID{}) {
		p.Add("catalog_ref_id", "is required for a vehicle")
	}
	if in.UnitPrice.Currency == "" && in.UnitPrice.IsZero() {
		in.UnitPrice = crm.Zero(currency)
	}
	if in.Discount.Currency == "" && in.Discount.IsZero() {
		in.Discount = crm.Zero(currency)
	}
	validateMoney(&p, "unit_price", in.UnitPrice, currency)
	validateMoney(&p, "discount", in.Discount, currency)
	if in.VATRate.IsNegative() || in.VATRate.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		p.Add("vat_rate", "must be a fraction from 0 to below 1 (0.20 for 20 %%)")
	}
	extended := in.UnitPrice.Mul(in.Quantity)
	if p.Err("") == nil && in.Discount.Amount.GreaterThan(extended.Amount) {
		p.Add("discount", "cannot exceed quantity × unit price (%s)", extended.Round())
	}
	if err := p.Err("sales.NewLine"); err != nil {
		return Line{}, err
	}
	gross := crm.NewMoney(extended.Amount.Sub(in.Discount.Amount), currency).Round()
	vat := crm.NewMoney(gross.Amount.Mul(in.VATRate).Div(decimal.NewFromInt(1).Add(in.VATRate)), currency).Round()
	net := crm.NewMoney(gross.Amount.Sub(vat.Amount), currency)
	return Line{ID: crm.NewID(), LineInput: in, Totals: Totals{Net: net, VAT: vat, Gross: gross}}, nil
}

// Order (Заказ) is what the customer orders in a sale: priced lines in one currency and their totals. A sale has
// at most one order. The order's vehicle line is the sale's vehicle: adding it holds the vehicle for the sale.
// Totals are the sums of the (already rounded) line totals, so they are exact and never rounded again.
type Order struct {
	crm.Meta
	Number   string       `json:"number"` // "2026-000042": the dealer's gap-free sequence of the year (FormatOrderNumber)
	Status   OrderStatus  `json:"status"`
	SaleID   crm.ID       `json:"sale_id"`
	Currency crm.Currency `json:"currency"`
	Lines    []Line       `json:"lines"`
	Totals
}

// NewOrder returns an empty order of dealer for a sale in currency, created at now. It returns crm.KindInvalid
// naming "sale_id" or "currency".
func NewOrder(dealer, saleID crm.ID, currency crm.Currency, now time.Time) (Order, error) {
	var p crm.Problems
	if saleID == (crm.ID{}) {
		p.Add("sale_id", "is required")
	}
	c, err := crm.ParseCurrency(string(currency))
	if err != nil {
		p.Add("currency", "is not an ISO 4217 code")
	}
	if err := p.Err("sales.NewOrder"); err != nil {
		return Order{}, err
	}
	o := Order{Meta: crm.NewMeta(dealer, now), Status: OrderDraft, SaleID: saleID, Currency: c, Lines: []Line{}}
	o.total()
	return o, nil
}

// AddLine prices in (see NewLine) and appends it. An order holds at most one vehicle line (crm.KindConflict
// naming "kind" otherwise). It returns the new line, or crm.KindInvalid naming the wrong fields.
func (o *Order) AddLine(in LineInput, now time.Time) (Line, error) {
	if err := o.mustBeDraft("sales.Order.AddLine"); err != nil {
		return Line{}, err
	}
	l, err := NewLine(in, o.Currency)
	if err != nil {
		return Line{}, err
	}
	if v, ok := o.VehicleLine(); ok && l.Kind == LineVehicle {
		return Line{}, &crm.Error{Kind: crm.KindConflict, Code: crm.CodeVehicleLineExists, Op: "sales.Order.AddLine", Message: "the order already has a vehicle line",
			Fields: []crm.FieldError{{Field: "kind", Message: fmt.Sprintf("the order already has vehicle line %s", v.ID)}}}
	}
	o.Lines = append(o.Lines, l)
	o.total()
	o.UpdatedAt = now.UTC()
	return l, nil
}

// UpdateLine replaces line id with in, repriced (see NewLine). A vehicle line stays a vehicle line of the same
// vehicle, and no other line becomes one (crm.KindInvalid naming "kind" or "catalog_ref_id"); crm.KindNotFound
// when there is no such line.
func (o *Order) UpdateLine(id crm.ID, in LineInput, now time.Time) (Line, error) {
	if err := o.mustBeDraft("sales.Order.UpdateLine"); err != nil {
		return Line{}, err
	}
	i := o.lineIndex(id)
	if i < 0 {
		return Line{}, crm.NotFound("sales.Order.UpdateLine", "order %s has no line %s", o.ID, id)
	}
	old := o.Lines[i]
	if (old.Kind == LineVehicle) != (in.Kind == LineVehicle) {
		return Line{}, crm.Invalid("sales.Order.UpdateLine", crm.FieldError{Field: "kind", Message: "a vehicle line cannot change kind, nor another line become one; remove the line and add a new one"})
	}
	if old.Kind == LineVehicle && in.RefID != old.RefID {
		return Line{}, crm.Invalid("sales.Order.UpdateLine", crm.FieldError{Field: "catalog_ref_id", Message: "the vehicle of a vehicle line cannot change; remove the line and add a new one"})
	}
	l, err := NewLine(in, o.Currency)
	if err != nil {
		return Line{}, err
	}
	l.ID = id
	o.Lines[i] = l
	o.total()
	o.UpdatedAt = now.UTC()
	return l, nil
}

// RemoveLine removes line id and returns it; crm.KindNotFound when there is no such line.
func (o *Order) RemoveLine(id crm.ID, now time.Time) (Line, error) {
	if err := o.mustBeDraft("sales.Order.RemoveLine"); err != nil {
		return Line{}, err
	}
	i := o.lineIndex(id)
	if i < 0 {
		return Line{}, crm.NotFound("sales.Order.RemoveLine", "order %s has no line %s", o.ID, id)
	}
	l := o.Lines[i]
	o.Lines = append(o.Lines[:i:i], o.Lines[i+1:]...)
	o.total()
	o.UpdatedAt = now.UTC()
	return l, nil
}

// VehicleLine returns the order's vehicle line, if it has one.
func (o Order) VehicleLine() (Line, bool) {
	for _, l := range o.Lines {
		if l.Kind == LineVehicle {
			return l, true
		}
	}
	return Line{}, false
}

// Clone returns a deep copy.
func (o Order) Clone() Order {
	o.Lines = append([]Line{}, o.Lines...)
	return o
}

func (o *Order) lineIndex(id crm.ID) int {
	for i, l := range o.Lines {
		if l.ID == id {
			return i
		}
	}
	return -1
}

func (o *Order) total() {
	t := Totals{Net: crm.Zero(o.Currency), VAT: crm.Zero(o.Currency), Gross: crm.Zero(o.Currency)}
	for _, l := range o.Lines {
		t.Net.Amount = t.Net.Amount.Add(l.Net.Amount)
		t.VAT.Amount = t.VAT.Amount.Add(l.VAT.Amount)
		t.Gross.Amount = t.Gross.Amount.Add(l.Gross.Amount)
	}
	o.Totals = t
}
