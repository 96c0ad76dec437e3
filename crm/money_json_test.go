package crm_test

import (
	"encoding/json"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// TestMoneyJSONIsWhatReflectionWrote holds the hand-written MarshalJSON (issue 16 item 5) to the bytes the
// reflective encoding of {amount, currency} wrote before it, for amounts of every shape and for currencies that
// need escaping, and checks that it allocates only its result.
func TestMoneyJSONIsWhatReflectionWrote(t *testing.T) {
	type reflective struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	}
	for _, c := range []struct{ amount, currency string }{
		{"1450000", "RUB"}, {"0.5", "RUB"}, {"-12.345", "USD"}, {"0", "JPY"}, {"1e3", "EUR"}, {"123.4567", "KWD"},
		{"-0.5", "RUB"}, {"0.05", "RUB"}, {"-0.05", "RUB"}, {"0", "RUB"}, {"123456789012345.67", "RUB"},
		{"9999999999999999.99", "RUB"}, {"12345678901234567.8", "RUB"}, {"100000000000000000000", "RUB"}, {"-1500", "JPY"},
		{"1.5", "JPY"}, {"0.001", "KWD"}, {"-7.1", "KWD"}, {"1.2300", "RUB"}, {"1.20", "RUB"}, {"1.23456789", "USD"},
		{"1", ""}, {"1", `R"B`}, {"1", "<&>"}, {"1", "руб"}, {"1", "a\\b\n"},
	} {
		m := crm.Money{Amount: decimal.RequireFromString(c.amount), Currency: crm.Currency(c.currency)}
		want, err := json.Marshal(reflective{Amount: m.StringAmount(), Currency: c.currency})
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s %q: %s, want %s", c.amount, c.currency, got, want)
		}
	}
	m := crm.MustMoney("1450000.50", "RUB")
	if n := testing.AllocsPerRun(100, func() { _, _ = m.MarshalJSON() }); n > 1 {
		t.Errorf("MarshalJSON allocates %v times, want 1 (the result)", n)
	}
}
