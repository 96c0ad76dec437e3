package crm_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMoneyArithmetic(t *testing.T) {
	a := crm.MustMoney("1250000.50", "RUB")
	b := crm.MustMoney("0.25", "RUB")
	sum, err := a.Add(b)
	require.NoError(t, err)
	assert.Equal(t, "1250000.75 RUB", sum.String())
	diff, err := a.Sub(b)
	require.NoError(t, err)
	assert.Equal(t, "1250000.25", diff.StringAmount())
	c, err := a.Cmp(b)
	require.NoError(t, err)
	assert.Equal(t, 1, c)
	assert.Equal(t, "250000.10", a.Mul(decimal.RequireFromString("0.2")).Round().StringAmount())
}

func TestMoneyCurrencyMismatchIsAnError(t *testing.T) {
	_, err := crm.MustMoney("1", "RUB").Add(crm.MustMoney("1", "EUR"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, crm.ErrCurrencyMismatch))
	assert.True(t, errors.Is(err, crm.ErrInvalid))
	_, err = crm.MustMoney("1", "RUB").Cmp(crm.MustMoney("1", "USD"))
	assert.Error(t, err)
	// The zero Money adds to anything.
	s, err := crm.Money{}.Add(crm.MustMoney("3", "EUR"))
	require.NoError(t, err)
	assert.Equal(t, "3.00 EUR", s.String())
}

func TestMoneyJSON(t *testing.T) {
	b, err := json.Marshal(crm.MustMoney("1234.5", "RUB"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"amount":"1234.50","currency":"RUB"}`, string(b))
	b, _ = json.Marshal(crm.MustMoney("100", "JPY"))
	assert.JSONEq(t, `{"amount":"100","currency":"JPY"}`, string(b))
	b, _ = json.Marshal(crm.MustMoney("0.125", "RUB"))
	assert.JSONEq(t, `{"amount":"0.125","currency":"RUB"}`, string(b), "digits beyond the minor unit are kept, not rounded away")

	for _, tc := range []struct{ in, want string }{
		{`{"amount":"1234.50","currency":"RUB"}`, "1234.50 RUB"},
		{`{"amount":1234.5,"currency":"rub"}`, "1234.50 RUB"},
		{`{"amount":"0.1","currency":"EUR"}`, "0.10 EUR"},
	} {
		var m crm.Money
		require.NoError(t, json.Unmarshal([]byte(tc.in), &m), tc.in)
		assert.Equal(t, tc.want, m.String())
	}
	for _, bad := range []string{`{"amount":"x","currency":"RUB"}`, `{"amount":"1","currency":"RUBLE"}`, `[]`} {
		var m crm.Money
		err := json.Unmarshal([]byte(bad), &m)
		require.Error(t, err, bad)
		assert.True(t, errors.Is(err, crm.ErrInvalid), bad)
	}
}

func TestParseMoneyNamesTheField(t *testing.T) {
	_, err := crm.ParseMoney("list_price", "12,5", "RUB")
	require.Error(t, err)
	fs := crm.FieldsOf(err)
	require.Len(t, fs, 1)
	assert.Equal(t, "list_price.amount", fs[0].Field)
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0", "1234.50", "-1", "1e3", "0.0000001", "abc", ""} {
		f.Add(s, "RUB")
	}
	f.Fuzz(func(t *testing.T, amount, currency string) {
		m, err := crm.ParseMoney("x", amount, currency)
		if err != nil {
			if !errors.Is(err, crm.ErrInvalid) {
				t.Fatalf("error of the wrong kind: %v", err)
			}
			return
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back crm.Money
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s does not read back: %v", b, err)
		}
		if !back.Amount.Equal(m.Amount) || back.Currency != m.Currency {
			t.Fatalf("round trip %s → %s", m, back)
		}
	})
}
