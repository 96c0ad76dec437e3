package crm

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// DecimalString returns d.String() (shopspring/decimal's text: no exponent, the fraction's trailing zeros
// trimmed), formatted without big-number arithmetic when d's coefficient fits in 18 digits: one allocation at most
// (none for an integer below 100), where d.String() makes several. The encoders of the HTTP views use it for the
// rates and technical figures a card shows. With decimal's package settings changed from their defaults
// (TrimTrailingZeros off, UseScientificNotation on) it is d.String().
func DecimalString(d decimal.Decimal) string {
	n := d.NumDigits()
	if !decimal.TrimTrailingZeros || decimal.UseScientificNotation || n > 18 {
		return d.String()
	}
	c, e := d.CoefficientInt64(), int(d.Exponent())
	if e >= 0 {
		if n+e > 18 {
			return d.String()
		}
		for range e {
			c *= 10
		}
		return strconv.FormatInt(c, 10)
	}
	var buf [48]byte
	return string(appendDecimalFraction(buf[:0], c, -e))
}

// AppendDecimal appends d.String() to b, as DecimalString formats it (without big-number arithmetic when the
// coefficient fits in 18 digits, and then without allocating).
func AppendDecimal(b []byte, d decimal.Decimal) []byte {
	n := d.NumDigits()
	if !decimal.TrimTrailingZeros || decimal.UseScientificNotation || n > 18 {
		return append(b, d.String()...)
	}
	c, e := d.CoefficientInt64(), int(d.Exponent())
	if e >= 0 {
		if n+e > 18 {
			return append(b, d.String()...)
		}
		for range e {
			c *= 10
		}
		return strconv.AppendInt(b, c, 10)
	}
	return appendDecimalFraction(b, c, -e)
}

// appendDecimalFraction appends c × 10^-places as decimal.Decimal.String writes it: the integer part ("0" when
// none), then a point and the fraction without its trailing zeros, if any is left.
func appendDecimalFraction(b []byte, c int64, places int) []byte {
	u := uint64(c)
	if c < 0 {
		b = append(b, '-')
		u = -u
	}
	var digits [20]byte
	ds := strconv.AppendUint(digits[:0], u, 10)
	var whole, frac []byte
	leading := 0
	if len(ds) > places {
		whole, frac = ds[:len(ds)-places], ds[len(ds)-places:]
	} else {
		whole, frac, leading = []byte{'0'}, ds, places-len(ds)
	}
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	b = append(b, whole...)
	if len(frac) == 0 {
		return b
	}
	b = append(b, '.')
	for range leading {
		b = append(b, '0')
	}
	return append(b, frac...)
}
