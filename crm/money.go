package crm

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Currency is an ISO 4217 alphabetic code such as "RUB" or "EUR".
type Currency string

// ParseCurrency validates an ISO 4217 code: one of the active currencies (Currencies); lower case is accepted
// and upper-cased.
func ParseCurrency(s string) (Currency, error) {
	c := Currency(strings.ToUpper(strings.TrimSpace(s)))
	if _, ok := iso4217[c]; !ok {
		return "", errNotISO(s)
	}
	return c, nil
}

// MinorUnits returns how many decimal digits the currency's minor unit has (2 for RUB, 0 for JPY, 3 for KWD);
// 2 for a code outside ISO 4217.
func (c Currency) MinorUnits() int32 {
	if len(c) == 3 && 'A' <= c[0] && c[0] <= 'Z' && 'A' <= c[1] && c[1] <= 'Z' && 'A' <= c[2] && c[2] <= 'Z' {
		if n := minorUnitsByLetters[letterIndex(c)]; n >= 0 {
			return int32(n)
		}
		return 2
	}
	if n, ok := iso4217[c]; ok {
		return n
	}
	return 2
}

// minorUnitsByLetters is iso4217 indexed by a code's three letters (letterIndex), -1 for the letters of no code:
// MinorUnits reads it without hashing, once per amount every encoder writes.
var minorUnitsByLetters = func() *[26 * 26 * 26]int8 {
	var t [26 * 26 * 26]int8
	for i := range t {
		t[i] = -1
	}
	for c, n := range iso4217 {
		t[letterIndex(c)] = int8(n)
	}
	return &t
}()

// letterIndex numbers a code of three upper-case letters.
func letterIndex(c Currency) int {
	return (int(c[0]-'A')*26+int(c[1]-'A'))*26 + int(c[2]-'A')
}

// ErrCurrencyMismatch is returned (wrapped, as invalid input) when arithmetic mixes currencies.
var ErrCurrencyMismatch = &Error{Kind: KindInvalid, Code: CodeCurrencyMismatch, Message: "currencies differ"}

// Money is an exact decimal amount in one currency. The zero value is "no money" (no currency); it is equal
// to zero in any currency for arithmetic.
type Money struct {
	Amount   decimal.Decimal
	Currency Currency
}

// NewMoney returns amount in currency.
func NewMoney(amount decimal.Decimal, currency Currency) Money {
	return Money{Amount: amount, Currency: currency}
}

// ParseMoney parses a decimal amount ("1234.50") in currency (an ISO 4217 code). Errors name field. When the
// amount is a number but out of bounds (half a kopeck, say), the value read is returned with the error, so that a
// caller collecting every problem does not report the amount a second time as missing.
func ParseMoney(field, amount, currency string) (Money, error) {
	c, err := ParseCurrency(currency)
	if err != nil {
		return Money{}, Invalid("crm.ParseMoney", FieldError{Field: field + ".currency", Message: "is not an ISO 4217 code"})
	}
	d, err := ParseAmount(field+".amount", amount, c)
	return Money{Amount: d, Currency: c}, err
}

// ParseAmount parses a decimal amount of currency c (empty: not yet known) as ParseMoney does: at most 40
// characters, magnitude below MaxAmount, no fraction finer than c's minor unit. Errors name field.
func ParseAmount(field, amount string, c Currency) (decimal.Decimal, error) {
	amount = strings.TrimSpace(amount)
	if len(amount) > 40 {
		return decimal.Decimal{}, Invalid("crm.ParseAmount", FieldError{Field: field, Message: "is too long for an amount"})
	}
	d, err := decimal.NewFromString(amount)
	if err != nil {
		return decimal.Decimal{}, Invalid("crm.ParseAmount", FieldError{Field: field, Message: fmt.Sprintf("%q is not a decimal number", amount)})
	}
	var p Problems
	checkAmount(&p, field, d, c)
	return d, p.Err("crm.ParseAmount")
}

// ReadMoney reads money as it was stored or serialised: a decimal amount and a three-letter code, without the
// bounds ParseMoney holds input to (a stored amount stays readable if the bounds tighten; ISO 4217 withdraws
// codes). Adapters and JSON decoding of stored documents use it; input from callers goes through ParseMoney.
func ReadMoney(amount, currency string) (Money, error) {
	c := Currency(strings.ToUpper(strings.TrimSpace(currency)))
	if len(c) != 3 || strings.Trim(string(c), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return Money{}, errNotISO(currency)
	}
	d, err := decimal.NewFromString(strings.TrimSpace(amount))
	if err != nil {
		return Money{}, Invalid("crm.ReadMoney", FieldError{Field: "amount", Message: fmt.Sprintf("%q is not a decimal number", amount)})
	}
	return Money{Amount: d, Currency: c}, nil
}

// MustMoney reads amount in currency (as ReadMoney: intermediate amounts finer than the minor unit are kept) and
// panics on error; for tests, examples and constants.
func MustMoney(amount string, currency Currency) Money {
	m, err := ReadMoney(amount, string(currency))
	if err != nil {
		panic(err)
	}
	return m
}

// Zero returns zero in currency c.
func Zero(c Currency) Money { return Money{Amount: decimal.Zero, Currency: c} }

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.Amount.IsZero() }

// IsNegative reports whether the amount is below zero.
func (m Money) IsNegative() bool { return m.Amount.IsNegative() }

// IsPositive reports whether the amount is above zero.
func (m Money) IsPositive() bool { return m.Amount.IsPositive() }

func (m Money) pair(o Money) (Currency, error) {
	switch {
	case m.Currency == o.Currency:
		return m.Currency, nil
	case m.Currency == "" && m.Amount.IsZero():
		return o.Currency, nil
	case o.Currency == "" && o.Amount.IsZero():
		return m.Currency, nil
	}
	return "", fmt.Errorf("%s and %s: %w", m.Currency, o.Currency, ErrCurrencyMismatch)
}

// Add returns m+o; it fails when the currencies differ.
func (m Money) Add(o Money) (Money, error) {
	c, err := m.pair(o)
	if err != nil {
		return Money{}, err
	}
	return Money{Amount: m.Amount.Add(o.Amount), Currency: c}, nil
}

// Sub returns m-o; it fails when the currencies differ.
func (m Money) Sub(o Money) (Money, error) {
	c, err := m.pair(o)
	if err != nil {
		return Money{}, err
	}
	return Money{Amount: m.Amount.Sub(o.Amount), Currency: c}, nil
}

// Cmp compares m and o: -1, 0 or +1; it fails when the currencies differ.
func (m Money) Cmp(o Money) (int, error) {
	if _, err := m.pair(o); err != nil {
		return 0, err
	}
	return m.Amount.Cmp(o.Amount), nil
}

// Mul returns m multiplied by a plain factor (a quantity, a rate); the result is not rounded.
func (m Money) Mul(f decimal.Decimal) Money {
	return Money{Amount: m.Amount.Mul(f), Currency: m.Currency}
}

// Neg returns -m.
func (m Money) Neg() Money { return Money{Amount: m.Amount.Neg(), Currency: m.Currency} }

// Round returns m rounded half away from zero to the currency's minor unit.
func (m Money) Round() Money {
	return Money{Amount: m.Amount.Round(m.Currency.MinorUnits()), Currency: m.Currency}
}

// Equal reports whether m and o are the same amount in the same currency.
func (m Money) Equal(o Money) bool { return m.Currency == o.Currency && m.Amount.Equal(o.Amount) }

// StringAmount formats the amount with exactly the currency's minor digits when it has no more than that,
// and with all its digits otherwise (nothing is silently rounded away).
func (m Money) StringAmount() string {
	places := m.Currency.MinorUnits()
	if m.Amount.Exponent() < -places {
		return m.Amount.String()
	}
	return m.Amount.StringFixed(places)
}

// String formats as "1234.50 RUB".
func (m Money) String() string { return m.StringAmount() + " " + string(m.Currency) }

// MarshalJSON writes {"amount":"1234.50","currency":"RUB"} with the amount as a string (see AppendJSON).
func (m Money) MarshalJSON() ([]byte, error) {
	return m.AppendJSON(make([]byte, 0, 48)), nil
}

// AppendJSON appends m's JSON form to b, as MarshalJSON writes it, without reflection: the amount is digits, a
// sign and a point, and the currency is escaped as encoding/json escapes strings.
func (m Money) AppendJSON(b []byte) []byte {
	b = append(b, `{"amount":"`...)
	b = m.appendAmount(b)
	b = append(b, `","currency":`...)
	b = AppendJSONString(b, string(m.Currency))
	return append(b, '}')
}

// appendAmount appends StringAmount's text to b; an amount of at most 18 digits with no more than the currency's
// minor digits (every price) is written from its coefficient without big-number arithmetic.
func (m Money) appendAmount(b []byte) []byte {
	places, e := int(m.Currency.MinorUnits()), int(m.Amount.Exponent())
	n := m.Amount.NumDigits()
	if n > 18 || e < -places || n+e+places > 18 {
		return append(b, m.StringAmount()...)
	}
	c := m.Amount.CoefficientInt64()
	for range e + places { // scale to exactly places fraction digits
		c *= 10
	}
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	unit := int64(1)
	for range places {
		unit *= 10
	}
	b = strconv.AppendInt(b, c/unit, 10)
	if places == 0 {
		return b
	}
	b = append(b, '.')
	start := len(b) // the fraction's places digits, zeros first, filled from the right
	for range places {
		b = append(b, '0')
	}
	for i, f := len(b)-1, c%unit; f > 0 && i >= start; i, f = i-1, f/10 {
		b[i] = byte('0' + f%10)
	}
	return b
}

// AppendJSONString appends s as a JSON string, escaped as encoding/json escapes it (HTML characters too, as
// json.Marshal does), to b.
func AppendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// UnmarshalJSON reads {"amount": "1234.50", "currency": "RUB"}; the amount may also be a JSON number
// (read exactly, as text, never through a float).
func (m *Money) UnmarshalJSON(b []byte) error {
	var raw struct {
		Amount   json.RawMessage `json:"amount"`
		Currency string          `json:"currency"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return Invalid("crm.Money", FieldError{Field: "", Message: "must be an object {amount, currency}"})
	}
	amount := strings.Trim(string(raw.Amount), `"`)
	v, err := ReadMoney(amount, raw.Currency)
	if err != nil {
		var e *Error
		if ok := asError(err, &e); ok {
			for i := range e.Fields {
				e.Fields[i].Field = strings.TrimPrefix(e.Fields[i].Field, ".")
			}
		}
		return err
	}
	*m = v
	return nil
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	if ok {
		*target = e
	}
	return ok
}
