package sales_test

import (
	"errors"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// Prices include VAT; each line is rounded half away from zero to the minor unit; VAT is the part of the gross.
func TestLineTotals(t *testing.T) {
	vat20 := dec("0.20")
	for _, tc := range []struct {
		name            string
		in              sales.LineInput
		currency        crm.Currency
		net, vat, gross string
	}{
		{"vehicle", sales.LineInput{Kind: sales.LineVehicle, Description: "Lada Vesta Comfort 2026", RefID: crm.NewID(),
			Quantity: dec("1"), UnitPrice: crm.MustMoney("1500000", "RUB"), VATRate: vat20}, "RUB",
			"1250000.00 RUB", "250000.00 RUB", "1500000.00 RUB"},
		{"accessory with a discount", sales.LineInput{Kind: sales.LineAccessory, Description: "Коврики",
			Quantity: dec("1"), UnitPrice: crm.MustMoney("4990", "RUB"), Discount: crm.MustMoney("490", "RUB"), VATRate: vat20}, "RUB",
			"3750.00 RUB", "750.00 RUB", "4500.00 RUB"},
		{"fractional quantity rounds the gross", sales.LineInput{Kind: sales.LinePart, Description: "Масло 5W-30, л",
			Quantity: dec("4.5"), UnitPrice: crm.MustMoney("899.99", "RUB"), VATRate: vat20}, "RUB",
			"3374.97 RUB", "674.99 RUB", "4049.96 RUB"}, // 4049.955 → 4049.96; VAT 674.9933… → 674.99
		{"service", sales.LineInput{Kind: sales.LineLabour, Description: "Предпродажная подготовка",
			Quantity: dec("2"), UnitPrice: crm.MustMoney("2500", "RUB"), VATRate: vat20}, "RUB",
			"4166.67 RUB", "833.33 RUB", "5000.00 RUB"},
		{"no VAT", sales.LineInput{Kind: sales.LineOther, Description: "Госпошлина",
			Quantity: dec("1"), UnitPrice: crm.MustMoney("2850", "RUB")}, "RUB",
			"2850.00 RUB", "0.00 RUB", "2850.00 RUB"},
		{"currency without minor unit", sales.LineInput{Kind: sales.LineAccessory, Description: "Roof box",
			Quantity: dec("1.5"), UnitPrice: crm.MustMoney("667", "JPY"), VATRate: dec("0.10")}, "JPY",
			"910 JPY", "91 JPY", "1001 JPY"}, // 1000.5 → 1001; 91.0 VAT
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := sales.NewLine(tc.in, tc.currency)
			require.NoError(t, err)
			assert.Equal(t, tc.gross, l.Gross.String())
			assert.Equal(t, tc.vat, l.VAT.String())
			assert.Equal(t, tc.net, l.Net.String())
			sum, err := l.Net.Add(l.VAT)
			require.NoError(t, err)
			assert.True(t, sum.Equal(l.Gross), "net + VAT = gross")
			assert.NotEqual(t, crm.ID{}, l.ID)
		})
	}
}

func TestOrderTotalsAreTheSumOfRoundedLines(t *testing.T) {
	o, err := sales.NewOrder(crm.NewID(), crm.NewID(), "rub", epoch)
	require.NoError(t, err)
	assert.Equal(t, crm.Currency("RUB"), o.Currency)
	assert.Equal(t, "0.00 RUB", o.Gross.String())
	vat20 := dec("0.2")
	vehicle, err := o.AddLine(sales.LineInput{Kind: sales.LineVehicle, Description: "Lada Vesta", RefID: crm.NewID(), Quantity: dec("1"),
		UnitPrice: crm.MustMoney("1500000", "RUB"), VATRate: vat20}, epoch)
	require.NoError(t, err)
	_, err = o.AddLine(sales.LineInput{Kind: sales.LineAccessory, Description: "Коврики", Quantity: dec("1"),
		UnitPrice: crm.MustMoney("4990", "RUB"), Discount: crm.MustMoney("490", "RUB"), VATRate: vat20}, epoch)
	require.NoError(t, err)
	oil, err := o.AddLine(sales.LineInput{Kind: sales.LinePart, Description: "Масло", Quantity: dec("4.5"),
		UnitPrice: crm.MustMoney("899.99", "RUB"), VATRate: vat20}, epoch)
	require.NoError(t, err)
	_, err = o.AddLine(sales.LineInput{Kind: sales.LineLabour, Description: "Подготовка", Quantity: dec("2"),
		UnitPrice: crm.MustMoney("2500", "RUB"), VATRate: vat20}, epoch)
	require.NoError(t, err)

	assert.Equal(t, "1513549.96 RUB", o.Gross.String())
	assert.Equal(t, "252258.32 RUB", o.VAT.String())
	assert.Equal(t, "1261291.64 RUB", o.Net.String())
	got, ok := o.VehicleLine()
	require.True(t, ok)
	assert.Equal(t, vehicle.ID, got.ID)

	_, err = o.AddLine(sales.LineInput{Kind: sales.LineVehicle, Description: "Another", RefID: crm.NewID(), Quantity: dec("1"),
		UnitPrice: crm.MustMoney("1", "RUB")}, epoch)
	assert.True(t, errors.Is(err, crm.ErrConflict), "one vehicle line per order: %v", err)
	assert.Equal(t, []string{"kind"}, fields(err))

	_, err = o.UpdateLine(oil.ID, sales.LineInput{Kind: sales.LinePart, Description: "Масло", Quantity: dec("5"),
		UnitPrice: crm.MustMoney("899.99", "RUB"), VATRate: vat20}, epoch)
	require.NoError(t, err)
	assert.Equal(t, "1513999.95 RUB", o.Gross.String()) // 5 × 899.99 = 4499.95 instead of 4049.96
	_, err = o.UpdateLine(vehicle.ID, sales.LineInput{Kind: sales.LineVehicle, Description: "Lada Vesta", RefID: crm.NewID(),
		Quantity: dec("1"), UnitPrice: crm.MustMoney("1", "RUB")}, epoch)
	assert.Equal(t, []string{"catalog_ref_id"}, fields(err))
	_, err = o.UpdateLine(oil.ID, sales.LineInput{Kind: sales.LineVehicle, Description: "x", RefID: crm.NewID(), Quantity: dec("1")}, epoch)
	assert.Equal(t, []string{"kind"}, fields(err))

	removed, err := o.RemoveLine(vehicle.ID, epoch)
	require.NoError(t, err)
	assert.Equal(t, sales.LineVehicle, removed.Kind)
	assert.Equal(t, "13999.95 RUB", o.Gross.String())
	_, err = o.RemoveLine(vehicle.ID, epoch)
	assert.True(t, errors.Is(err, crm.ErrNotFound))
	_, err = o.UpdateLine(crm.NewID(), sales.LineInput{}, epoch)
	assert.True(t, errors.Is(err, crm.ErrNotFound))
}

func TestNewLineValidates(t *testing.T) {
	ok := sales.LineInput{Kind: sales.LineAccessory, Description: "Коврики", Quantity: dec("1"), UnitPrice: crm.MustMoney("100", "RUB")}
	for _, tc := range []struct {
		name   string
		change func(*sales.LineInput)
		field  string
	}{
		{"unknown kind", func(in *sales.LineInput) { in.Kind = "gift" }, "kind"},
		{"no description", func(in *sales.LineInput) { in.Description = " " }, "description"},
		{"zero quantity", func(in *sales.LineInput) { in.Quantity = dec("0") }, "quantity"},
		{"vehicle quantity 2", func(in *sales.LineInput) { in.Kind, in.RefID, in.Quantity = sales.LineVehicle, crm.NewID(), dec("2") }, "quantity"},
		{"vehicle without reference", func(in *sales.LineInput) { in.Kind = sales.LineVehicle }, "catalog_ref_id"},
		{"negative price", func(in *sales.LineInput) { in.UnitPrice = crm.MustMoney("-1", "RUB") }, "unit_price.amount"},
		{"other currency", func(in *sales.LineInput) { in.UnitPrice = crm.MustMoney("100", "EUR") }, "unit_price.currency"},
		{"discount in another currency", func(in *sales.LineInput) { in.Discount = crm.MustMoney("1", "USD") }, "discount.currency"},
		{"discount above the price", func(in *sales.LineInput) { in.Discount = crm.MustMoney("100.01", "RUB") }, "discount"},
		{"VAT as percent", func(in *sales.LineInput) { in.VATRate = dec("20") }, "vat_rate"},
		{"negative VAT", func(in *sales.LineInput) { in.VATRate = dec("-0.1") }, "vat_rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.change(&in)
			_, err := sales.NewLine(in, "RUB")
			require.Error(t, err)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
			assert.Contains(t, fields(err), tc.field)
		})
	}
	_, err := sales.NewOrder(crm.NewID(), crm.ID{}, "RUBLE", epoch)
	assert.ElementsMatch(t, []string{"sale_id", "currency"}, fields(err))
}

func TestLineQuantityIsBounded(t *testing.T) {
	for _, q := range []string{"100000.001", "1e9", "0.0001"} {
		_, err := sales.NewLine(sales.LineInput{Kind: sales.LineAccessory, Description: "Коврики", Quantity: dec(q),
			UnitPrice: crm.MustMoney("100", "RUB")}, "RUB")
		require.Error(t, err, q)
		assert.Equal(t, "quantity", crm.FieldsOf(err)[0].Field)
	}
	_, err := sales.NewLine(sales.LineInput{Kind: sales.LineAccessory, Description: "Масло", Quantity: dec("4.125"),
		UnitPrice: crm.MustMoney("100", "RUB")}, "RUB")
	assert.NoError(t, err)
}
