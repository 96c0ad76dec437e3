package httpapi

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// The response views are encoded without reflection: jsonenc_gen.go, generated from the view types by
// TestGeneratedEncoders (go test ./adapters/httpapi -run TestGeneratedEncoders -update-encoders), gives every view
// struct an appender that writes exactly the bytes encoding/json writes for it (json.Marshal: HTML-escaped, map
// keys sorted, omitempty as encoding/json reads it). TestEncodersMatchEncodingJSON and FuzzEncodeString hold the
// equality; a view type without an appender (a new one before the file is regenerated) is encoded by
// encoding/json, so a stale file costs speed, never bytes.

// jsonAppender is a value that appends its JSON to b: the generated views and listOut.
type jsonAppender interface {
	appendJSON(b []byte) []byte
}

// jsonPtrAppender is the generated appender on a pointer to a view, which lists use so that appending an item
// neither copies nor boxes it.
type jsonPtrAppender interface {
	appendJSONTo(b []byte) []byte
}

// appendJSON appends a list's JSON: its items through their appenders when the item type has one, else the whole
// list through encoding/json.
func (l listOut[T]) appendJSON(b []byte) []byte {
	if _, ok := any((*T)(nil)).(jsonPtrAppender); !ok {
		return appendMarshaled(b, l)
	}
	b = append(b, `{"items":`...)
	if l.Items == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range l.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = any(&l.Items[i]).(jsonPtrAppender).appendJSONTo(b)
		}
		b = append(b, ']')
	}
	b = append(b, `,"next_cursor":`...)
	if l.NextCursor == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, *l.NextCursor)
	}
	if l.Total != 0 {
		b = append(b, `,"total":`...)
		b = strconv.AppendInt(b, int64(l.Total), 10)
	}
	if l.TotalEstimated {
		b = append(b, `,"total_estimated":true`...)
	}
	return append(b, '}')
}

// appendMarshaled appends what json.Marshal writes for v (the fallback for types the generator does not know:
// interfaces, maps, other packages' marshalers). A value that cannot be marshalled appends null; the views hold
// none.
func appendMarshaled(b []byte, v any) []byte {
	out, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, out...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string exactly as encoding/json writes it (RFC 8259, with HTML escaping):
// '"' and '\\' escaped; \b \f \n \r \t short; other control characters, '<', '>' and '&' as \u00XX; invalid
// UTF-8 as \ufffd; U+2028 and U+2029 as \u2028 and \u2029; everything else as is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendJSONStringBody(b, s)
	return append(b, '"')
}

// appendJSONStringBody appends s escaped as appendJSONString escapes it, without the quotes. Escaping works byte by
// byte and rune by rune, so the body of a concatenation is the concatenation of the bodies when the parts meet at
// an ASCII byte (an invalid UTF-8 sequence cannot run across it).
func appendJSONStringBody(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if htmlSafeASCII[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		if c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2 // a valid two-byte sequence (Cyrillic, say): U+0080 to U+07FF, none escaped
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// htmlSafeASCII is htmlSafe of every ASCII byte, read by appendJSONString (one load instead of six comparisons).
var htmlSafeASCII = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = htmlSafe(byte(c))
	}
	return t
}()

// htmlSafe reports whether encoding/json writes the ASCII byte c as is: printable, and not '"', '\\', '<', '>'
// or '&' (DEL, 0x7f, is written as is).
func htmlSafe(c byte) bool {
	return c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
}

// appendJSONFloat appends f as encoding/json writes a float64 (ES6 number formatting); NaN and infinities, which
// encoding/json refuses, append null.
func appendJSONFloat(b []byte, f float64, bits int) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(b, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONUUID appends id as its quoted canonical text (uuid.UUID's MarshalText): 36 characters needing no escape.
func appendJSONUUID(b []byte, id uuid.UUID) []byte {
	b = append(b, '"')
	b = appendUUID(b, id)
	return append(b, '"')
}

// appendUUID appends id's text as uuid.UUID.String writes it.
func appendUUID(b []byte, id uuid.UUID) []byte {
	for i, x := range id {
		switch i {
		case 4, 6, 8, 10:
			b = append(b, '-')
		}
		b = append(b, hexDigits[x>>4], hexDigits[x&0xF])
	}
	return b
}

// appendJSONStamp appends s as stamp.MarshalJSON writes it: "2006-01-02T15:04:05.000000Z" in UTC, written digit by
// digit (time.Time.AppendFormat reads its layout on every call).
func appendJSONStamp(b []byte, s stamp) []byte {
	t := time.Time(s).UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		b = append(b, '"')
		b = t.AppendFormat(b, stampLayout)
		return append(b, '"')
	}
	hour, minute, sec := t.Clock()
	micro := t.Nanosecond() / 1000
	b = append(b, '"',
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-', byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10), '.',
		byte('0'+micro/100000), byte('0'+micro/10000%10), byte('0'+micro/1000%10),
		byte('0'+micro/100%10), byte('0'+micro/10%10), byte('0'+micro%10), 'Z', '"')
	return b
}

// appendJSONTime appends t as time.Time.MarshalJSON writes it (RFC 3339 with as many fraction digits as needed); a
// year outside 0–9999, which encoding/json refuses, goes through encoding/json (and appends null).
func appendJSONTime(b []byte, t time.Time) []byte {
	if y := t.Year(); y < 0 || y > 9999 {
		return appendMarshaled(b, t)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendJSONDecimal appends d as decimal.Decimal.MarshalJSON writes it: its text, quoted.
func appendJSONDecimal(b []byte, d decimal.Decimal) []byte {
	if decimal.MarshalJSONWithoutQuotes {
		return appendMarshaled(b, d)
	}
	b = append(b, '"')
	b = append(b, crm.DecimalString(d)...)
	return append(b, '"')
}

// appendJSONPercent appends p as percent.MarshalJSON writes it: a number with two decimals.
func appendJSONPercent(b []byte, p percent) []byte {
	return append(b, decimal.Decimal(p).StringFixed(2)...)
}
