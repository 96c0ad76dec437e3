package catalog_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVIN(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     string
		strict bool
		want   catalog.VIN
		why    string // "" when valid; else a word the error must contain
	}{
		// The public examples of the reference.
		{"CheckDigitX", "1M8GDM9AXKP042788", true, "1M8GDM9AXKP042788", ""},
		{"CheckDigit4", "1G4AH59H45G118341", true, "1G4AH59H45G118341", ""},
		{"WrongCheckDigitStrict", "1M8GDM9A0KP042788", true, "", "check digit"},
		{"WrongCheckDigitLenient", "1M8GDM9A0KP042788", false, "1M8GDM9A0KP042788", ""},
		{"AllOnesPassesTheChecksum", "11111111111111111", true, "11111111111111111", ""},
		// European and Russian VINs carry no check digit: the lenient policy takes them, the strict one not.
		{"GolfLenient", "WVWZZZ1JZXW000001", false, "WVWZZZ1JZXW000001", ""},
		{"GolfStrict", "WVWZZZ1JZXW000001", true, "", "check digit"},
		{"RenaultLenient", "VF1BB05CF12345678", false, "VF1BB05CF12345678", ""},
		{"RenaultStrict", "VF1BB05CF12345678", true, "", "check digit"},
		{"LadaLenient", "XTA210990Y2766389", false, "XTA210990Y2766389", ""},
		// Position 9 of this Lada happens to equal the computed check digit (one VIN in eleven does).
		{"LadaStrictByChance", "XTA210990Y2766389", true, "XTA210990Y2766389", ""},
		// Normalisation.
		{"TrimmedAndUpperCased", "  1m8gdm9axkp042788\t", true, "1M8GDM9AXKP042788", ""},
		// Structure, always.
		{"Empty", "", false, "", "17 characters, got 0"},
		{"Short", "1M8GDM9AXKP04278", false, "", "got 16"},
		{"Long", "1M8GDM9AXKP0427888", false, "", "got 18"},
		{"LetterI", "1M8GDM9AXKP0427I8", false, "", "position 16"},
		{"LetterO", "OM8GDM9AXKP042788", false, "", "position 1"},
		{"LetterQ", "1M8GDM9AXKPQ42788", false, "", "'Q'"},
		{"LowerCaseQIsStillQ", "1M8GDM9AXKPq42788", false, "", "'Q'"},
		{"Punctuation", "1M8GDM9AX-P042788", false, "", "character"},
		{"InnerSpace", "1M8GDM9A KP042788", false, "", "character"},
		{"Cyrillic", "ХТА210990Y2766389", false, "", "17 characters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := catalog.ParseVIN(c.in, c.strict)
			if c.why == "" {
				require.NoError(t, err)
				assert.Equal(t, c.want, got)
				return
			}
			require.Error(t, err)
			assert.Empty(t, got)
			assert.True(t, errors.Is(err, crm.ErrInvalid), "kind: %v", err)
			fields := crm.FieldsOf(err)
			require.Len(t, fields, 1)
			assert.Equal(t, "vin", fields[0].Field)
			assert.Contains(t, fields[0].Message, c.why)
		})
	}
}

func TestVINCheckDigit(t *testing.T) {
	for vin, want := range map[catalog.VIN]byte{
		"1M8GDM9AXKP042788": 'X', "1G4AH59H45G118341": '4', "1M8GDM9A0KP042788": 'X', "11111111111111111": '1',
		"WVWZZZ1JZXW000001": '0', "short": 0, "1M8GDM9AIKP042788": 0,
	} {
		assert.Equal(t, want, vin.CheckDigit(), "%s", vin)
	}
}

func TestVINSections(t *testing.T) {
	v := catalog.VIN("1M8GDM9AXKP042788")
	assert.Equal(t, "1M8", v.WMI())
	assert.Equal(t, "GDM9AX", v.VDS())
	assert.Equal(t, "KP042788", v.VIS())
	assert.Equal(t, "1M8GDM9AXKP042788", v.String())
	assert.Equal(t, v.WMI()+v.VDS()+v.VIS(), string(v))
	bad := catalog.VIN("1M8")
	assert.Empty(t, bad.WMI()+bad.VDS()+bad.VIS())
}

func TestVINModelYear(t *testing.T) {
	for _, c := range []struct {
		vin  catalog.VIN
		year int
		ok   bool
	}{
		{"1M8GDM9AXKP042788", 1989, true}, // K, position 7 numeric: first cycle
		{"1G4AH59H45G118341", 2005, true}, // 5
		{"11111111111111111", 2001, true}, // 1, position 7 numeric
		{"WVWZZZ1JZXW000001", 1999, true}, // X
		{"XTA210990Y2766389", 2000, true}, // Y
		{"5YJSA1E2XAF000001", 2010, true}, // A, position 7 alphabetic: the cycle from 2010
		{"5YJ3E1EA1TF000001", 2026, true}, // T
		{"5YJ3E1EA1YF000001", 2030, true}, // Y, new cycle
		{"5YJ3E1EA11F000001", 2031, true}, // 1, new cycle
		{"1G4AH59H49G118341", 2009, true}, // 9, first cycle
		{"1G4AH59H4AG118341", 1980, true}, // A, position 7 numeric: first cycle
		{"VF1BB05CF02345678", 0, false},   // 0 is not a year code
		{"WVWZZZ1JZUW000001", 0, false},   // U
		{"WVWZZZ1JZZW000001", 0, false},   // Z, common in European VINs
		{"TOO-SHORT", 0, false},
	} {
		y, ok := c.vin.ModelYear()
		assert.Equal(t, c.ok, ok, "%s", c.vin)
		assert.Equal(t, c.year, y, "%s", c.vin)
	}
}

// FuzzParseVIN: ParseVIN never panics; what it accepts is 17 characters of the VIN alphabet, re-parses to itself
// under the same policy, and passes the lenient policy too; the strict policy accepts only what the lenient one
// does.
func FuzzParseVIN(f *testing.F) {
	for _, s := range []string{"1M8GDM9AXKP042788", "1G4AH59H45G118341", "1M8GDM9A0KP042788", "11111111111111111",
		"WVWZZZ1JZXW000001", "XTA210990Y2766389", "VF1BB05CF12345678", " 1m8gdm9axkp042788 ", "", "ІОQ", "ХТА210990Y2766389",
		"\x00\xff1M8GDM9AXKP0427", strings.Repeat("Z", 17)} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, strict bool) {
		v, err := catalog.ParseVIN(s, strict)
		if err != nil {
			if !errors.Is(err, crm.ErrInvalid) || len(crm.FieldsOf(err)) != 1 || crm.FieldsOf(err)[0].Field != "vin" {
				t.Fatalf("ParseVIN(%q): error %v is not an invalid vin", s, err)
			}
			if v != "" {
				t.Fatalf("ParseVIN(%q) returned %q with an error", s, v)
			}
			return
		}
		if len(v) != 17 || strings.ContainsAny(string(v), "IOQ") || strings.ToUpper(string(v)) != string(v) {
			t.Fatalf("ParseVIN(%q) accepted %q", s, v)
		}
		again, err := catalog.ParseVIN(string(v), strict)
		if err != nil || again != v {
			t.Fatalf("ParseVIN(%q) = %q, which re-parses to %q, %v", s, v, again, err)
		}
		if _, err := catalog.ParseVIN(s, false); err != nil {
			t.Fatalf("ParseVIN(%q) accepted strictly, refused leniently: %v", s, err)
		}
		if strict && v.CheckDigit() != v[8] {
			t.Fatalf("ParseVIN(%q) accepted strictly with check digit %q, want %q", s, v[8], v.CheckDigit())
		}
		_, _ = v.ModelYear()
		if v.WMI()+v.VDS()+v.VIS() != string(v) {
			t.Fatalf("sections of %q do not add up", v)
		}
	})
}
