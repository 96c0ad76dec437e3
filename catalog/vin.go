package catalog

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/crm"
)

// VIN is a normalised (upper-case, validated) vehicle identification number. Build one with ParseVIN; the methods
// of a VIN that is not 17 characters long return zero values.
type VIN string

// vinLen is the length of every VIN (ISO 3779).
const vinLen = 17

// vinValue transliterates a VIN character for the North-American check digit (49 CFR 565); -1 marks a character
// no VIN may hold (I, O, Q, anything outside 0-9 A-Z).
var vinValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for _, s := range []string{"A1", "B2", "C3", "D4", "E5", "F6", "G7", "H8", "J1", "K2", "L3", "M4", "N5", "P7", "R9",
		"S2", "T3", "U4", "V5", "W6", "X7", "Y8", "Z9"} {
		t[s[0]] = int8(s[1] - '0')
	}
	return t
}()

// vinWeights are the check-digit weights of positions 1 to 17 (position 9, the check digit itself, weighs 0).
var vinWeights = [vinLen]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}

// ParseVIN trims s, upper-cases it and checks the ISO 3779 structure: 17 characters, digits and capital letters
// except I, O and Q. With strict set it also requires the North-American check digit at position 9 (a remainder
// of 10 is written X); Europe and Russia do not use it, so dealers there parse leniently.
//
// Errors are crm.KindInvalid naming the field "vin" and saying why: the length, the first character not allowed
// (with its position), or the check digit expected.
func ParseVIN(s string, strict bool) (VIN, error) {
	const op = "catalog.ParseVIN"
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n != vinLen || len(s) != vinLen {
		return "", vinError(op, "must be %d characters, got %d", vinLen, n)
	}
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
			b[i] = c
		}
		if vinValue[c] < 0 {
			return "", vinError(op, "character %q at position %d is not allowed (digits and letters except I, O and Q)", rune(c), i+1)
		}
	}
	v := VIN(b)
	if strict {
		if want := v.CheckDigit(); b[8] != want {
			return "", vinError(op, "check digit at position 9 is %q, %q expected", rune(b[8]), rune(want))
		}
	}
	return v, nil
}

func vinError(op, format string, args ...any) error {
	return crm.Invalid(op, crm.FieldError{Field: "vin", Message: fmt.Sprintf(format, args...)})
}

// CheckDigit computes the North-American check digit of v ('0'–'9' or 'X'), whatever v holds at position 9. It
// returns 0 when v is not 17 valid characters.
func (v VIN) CheckDigit() byte {
	if len(v) != vinLen {
		return 0
	}
	sum := 0
	for i := 0; i < vinLen; i++ {
		t := vinValue[v[i]]
		if t < 0 {
			return 0
		}
		sum += int(t) * vinWeights[i]
	}
	if r := sum % 11; r < 10 {
		return byte('0' + r)
	}
	return 'X'
}

// String returns the VIN as text.
func (v VIN) String() string { return string(v) }

// WMI returns the world manufacturer identifier, positions 1–3 ("" if v is not 17 characters).
func (v VIN) WMI() string { return v.part(0, 3) }

// VDS returns the vehicle descriptor section, positions 4–9 ("" if v is not 17 characters).
func (v VIN) VDS() string { return v.part(3, 9) }

// VIS returns the vehicle identifier section, positions 10–17 ("" if v is not 17 characters).
func (v VIN) VIS() string { return v.part(9, 17) }

func (v VIN) part(from, to int) string {
	if len(v) != vinLen {
		return ""
	}
	return string(v[from:to])
}

// yearCodes lists the 30 model-year codes of position 10 in cycle order: A=1980 (or 2010) … Y=2000 (or 2030),
// then 1–9 = 2001–2009 (or 2031–2039).
const yearCodes = "ABCDEFGHJKLMNPRSTVWXY123456789"

// ModelYear decodes the model year from position 10 (49 CFR 565): a 30-year cycle from 1980, moved to the cycle
// from 2010 when position 7 is a letter. It returns false when position 10 is not a year code (0, U, Z and
// anything else), as is common in European VINs, or when v is not 17 characters.
func (v VIN) ModelYear() (int, bool) {
	if len(v) != vinLen {
		return 0, false
	}
	i := strings.IndexByte(yearCodes, v[9])
	if i < 0 {
		return 0, false
	}
	year := 1980 + i
	if c := v[6]; 'A' <= c && c <= 'Z' {
		year += 30
	}
	return year, true
}
