package crm

import "testing"

// TestMinorUnitsTableIsTheMap: the letter-indexed table MinorUnits reads answers as iso4217 does for every code,
// and 2 (the default) for letters of no code and for anything else.
func TestMinorUnitsTableIsTheMap(t *testing.T) {
	for c, n := range iso4217 {
		if got := c.MinorUnits(); got != n {
			t.Errorf("%s: %d, want %d", c, got, n)
		}
	}
	for _, c := range []Currency{"ABC", "ZZZ", "AAA", "", "RU", "RUBL", "rub", "Rub", "R1B", "РУБ", "@@@", "[[["} {
		if _, known := iso4217[c]; known {
			continue
		}
		if got := c.MinorUnits(); got != 2 {
			t.Errorf("%q: %d, want 2", c, got)
		}
	}
}
