package crm_test

import (
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCurrencyKnowsISO4217(t *testing.T) {
	for _, ok := range []string{"RUB", "rub", " EUR ", "JPY", "KWD", "BYN", "KZT", "CNY"} {
		_, err := crm.ParseCurrency(ok)
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"", "RU", "RUBL", "ABC", "XXX", "XAU", "R1B", "РУБ"} {
		_, err := crm.ParseCurrency(bad)
		require.Error(t, err, bad)
		assert.Equal(t, []crm.FieldError{{Field: "currency", Message: crm.FieldsOf(err)[0].Message}}, crm.FieldsOf(err))
	}
	assert.Equal(t, int32(0), crm.Currency("JPY").MinorUnits())
	assert.Equal(t, int32(3), crm.Currency("KWD").MinorUnits())
	assert.Equal(t, int32(2), crm.Currency("RUB").MinorUnits())
	assert.Greater(t, len(crm.Currencies()), 150)
}

func TestParseMoneyBounds(t *testing.T) {
	for _, tc := range []struct{ amount, currency, field string }{
		{"0.005", "RUB", "price.amount"},         // half a kopeck
		{"1450000.015", "RUB", "price.amount"},   // a car with half a kopeck
		{"100.5", "JPY", "price.amount"},         // yen have no minor unit
		{"1.0005", "KWD", "price.amount"},        // fils are thousandths
		{"1000000000000", "RUB", "price.amount"}, // MaxAmount itself
		{"-1e13", "RUB", "price.amount"},
		{"1e1000000", "RUB", "price.amount"}, // refused without expanding it
		{"12345678901234567890123456789012345678901", "RUB", "price.amount"},
		{"1", "XXX", "price.currency"},
	} {
		_, err := crm.ParseMoney("price", tc.amount, tc.currency)
		require.Error(t, err, "%s %s", tc.amount, tc.currency)
		assert.Equal(t, tc.field, crm.FieldsOf(err)[0].Field, "%s %s: %v", tc.amount, tc.currency, err)
	}
	for _, tc := range []struct{ amount, currency, want string }{
		{"1450000.01", "RUB", "1450000.01 RUB"},
		{"1450000.010", "RUB", "1450000.01 RUB"}, // trailing zeros are no finer
		{"999999999999.99", "RUB", "999999999999.99 RUB"},
		{"100", "JPY", "100 JPY"},
		{"1.005", "KWD", "1.005 KWD"},
		{"1e3", "EUR", "1000.00 EUR"},
	} {
		m, err := crm.ParseMoney("price", tc.amount, tc.currency)
		require.NoError(t, err, tc.amount)
		assert.Equal(t, tc.want, m.String())
	}
}

func TestCheckMoney(t *testing.T) {
	var p crm.Problems
	crm.CheckMoney(&p, "amount", crm.Money{})
	crm.CheckMoney(&p, "amount", crm.MustMoney("10.00", "RUB"))
	require.NoError(t, p.Err("test"))
	crm.CheckMoney(&p, "unit_price", crm.NewMoney(decimal.RequireFromString("0.125"), "RUB"))
	crm.CheckMoney(&p, "discount", crm.NewMoney(decimal.New(1, 12), "RUB"))
	crm.CheckMoney(&p, "cost", crm.NewMoney(decimal.New(1, 0), "ZZZ"))
	var fields []string
	for _, f := range crm.FieldsOf(p.Err("test")) {
		fields = append(fields, f.Field)
	}
	assert.Equal(t, []string{"unit_price.amount", "discount.amount", "cost.currency"}, fields)
}

func TestReadMoneyKeepsWhatWasStored(t *testing.T) {
	m, err := crm.ReadMoney("0.125", "RUB")
	require.NoError(t, err)
	assert.Equal(t, "0.125", m.Amount.String())
	_, err = crm.ReadMoney("1", "rubles")
	assert.Error(t, err)
}

func FuzzParseMoneyBounds(f *testing.F) {
	for _, s := range []string{"1450000.00", "0.005", "1e1000000", "-0", "  12 ", "1_000"} {
		f.Add(s, "RUB")
	}
	f.Fuzz(func(t *testing.T, amount, currency string) {
		m, err := crm.ParseMoney("price", amount, currency)
		if err != nil {
			require.NotEmpty(t, crm.FieldsOf(err), "a refusal names its field: %v", err)
			return
		}
		assert.True(t, m.Amount.Abs().LessThan(crm.MaxAmount))
		n := m.Currency.MinorUnits()
		assert.True(t, m.Amount.Equal(m.Amount.Round(n)), "%s has no fraction finer than the minor unit", m)
	})
}
