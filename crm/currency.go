package crm

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// iso4217 maps each active ISO 4217 currency code (list one of the standard, as maintained by SIX; precious
// metals, testing and fund units without a minor unit left out) to the digits of its minor unit.
var iso4217 = func() map[Currency]int32 {
	m := map[Currency]int32{}
	for _, c := range strings.Fields(`AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD
		BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
		GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL
		MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON
		RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD
		USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG`) {
		m[Currency(c)] = 2
	}
	for _, c := range strings.Fields(`BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF`) {
		m[Currency(c)] = 0
	}
	for _, c := range strings.Fields(`BHD IQD JOD KWD LYD OMR TND`) {
		m[Currency(c)] = 3
	}
	for _, c := range strings.Fields(`CLF UYW`) {
		m[Currency(c)] = 4
	}
	return m
}()

// Currencies returns the ISO 4217 codes ParseCurrency accepts, in no particular order.
func Currencies() []Currency {
	out := make([]Currency, 0, len(iso4217))
	for c := range iso4217 {
		out = append(out, c)
	}
	return out
}

// MaxAmount bounds every amount of money: its magnitude must be below it (one trillion, 10^12, in the
// currency's major unit). Nothing a dealer prices comes near; the bound keeps arithmetic and storage cheap and
// equal on every adapter.
var MaxAmount = decimal.New(1, 12)

// CheckMoney records in p what makes m unfit to store under field: an unknown currency, a magnitude not below
// MaxAmount, or a fraction finer than the currency's minor unit (half a kopeck). The zero Money passes.
func CheckMoney(p *Problems, field string, m Money) {
	if m.Currency == "" && m.Amount.IsZero() {
		return
	}
	if m.Currency != "" {
		if _, ok := iso4217[m.Currency]; !ok {
			p.Add(field+".currency", "%q is not an ISO 4217 currency code", string(m.Currency))
			return
		}
	}
	checkAmount(p, field+".amount", m.Amount, m.Currency)
}

// checkAmount records an amount whose magnitude is not below MaxAmount or, in currency c (when known), whose
// fraction is finer than c's minor unit.
func checkAmount(p *Problems, field string, d decimal.Decimal, c Currency) {
	// The exponent is checked first: a value such as 1e1000000 must not be expanded to be compared.
	if !d.IsZero() && (d.Exponent() > 12 || d.Abs().Cmp(MaxAmount) >= 0) {
		p.Add(field, "must be less than %s in magnitude", MaxAmount.String())
		return
	}
	if c == "" {
		return
	}
	if n := c.MinorUnits(); d.Exponent() < -n && !d.Equal(d.Round(n)) {
		p.Add(field, "%s has a fraction smaller than the minor unit of %s (%s)", d.String(), c,
			decimal.New(1, -n).StringFixed(n))
	}
}

// errNotISO is the message of a code that is three letters but no ISO 4217 currency.
func errNotISO(s string) error {
	return Invalid("crm.ParseCurrency", FieldError{Field: "currency", Message: fmt.Sprintf("%q is not an ISO 4217 currency code", s)})
}
