package crm_test

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// TestDecimalStringIsWhatStringWrites holds crm.DecimalString and crm.AppendDecimal to decimal.Decimal.String on chosen and random values:
// zeros at every scale, signs, integers, fractions with and without leading and trailing zeros, and coefficients
// past 18 digits (which go through String itself).
func TestDecimalStringIsWhatStringWrites(t *testing.T) {
	var cases []decimal.Decimal
	for _, s := range []string{"0", "0.00", "-0.0", "20", "20.00", "0.2", "0.20", "0.0001", "-0.0001", "1450000.00",
		"-12.340", "99", "100", "123456789012345678", "1234567890123456789", "-999999999999999999",
		"0.000000000000000000000001", "12345678901234567890.5", "1e5", "-3e2", "7e17", "7e18"} {
		cases = append(cases, decimal.RequireFromString(s))
	}
	rng := rand.New(rand.NewPCG(16, 5))
	for range 20000 {
		c := rng.Int64N(1_000_000_000_000_000_000) >> rng.IntN(60)
		if rng.IntN(2) == 0 {
			c = -c
		}
		cases = append(cases, decimal.New(c, int32(rng.IntN(30)-24)))
	}
	big20, _ := new(big.Int).SetString("123456789012345678901234", 10)
	cases = append(cases, decimal.NewFromBigInt(big20, -3), decimal.NewFromBigInt(big20, 2), decimal.Decimal{})
	for _, d := range cases {
		if got, want := crm.DecimalString(d), d.String(); got != want {
			t.Fatalf("DecimalString(%s, exp %d) = %q, want %q", d.Coefficient(), d.Exponent(), got, want)
		}
		if got, want := string(crm.AppendDecimal([]byte("x"), d)), "x"+d.String(); got != want {
			t.Fatalf("AppendDecimal(%s, exp %d) = %q, want %q", d.Coefficient(), d.Exponent(), got, want)
		}
	}
	d := decimal.RequireFromString("20")
	if n := testing.AllocsPerRun(100, func() { _ = crm.DecimalString(d) }); n != 0 {
		t.Errorf("a small integer allocates %v times", n)
	}
	d = decimal.RequireFromString("1450000.25")
	if n := testing.AllocsPerRun(100, func() { _ = crm.DecimalString(d) }); n > 1 {
		t.Errorf("a fraction allocates %v times", n)
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = crm.AppendDecimal(buf[:0], d) }); n != 0 {
		t.Errorf("AppendDecimal allocates %v times", n)
	}
}
