package httpapi

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// decimalText is a decimal as a request carries it: a JSON string ("1234.50") or a JSON number, kept as text so
// that no float ever touches it. It is parsed (and its errors named) by the route that reads it.
type decimalText string

// UnmarshalJSON accepts a string or a number.
func (d *decimalText) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = decimalText(s)
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		*d = decimalText(b)
	case string(b) == "null":
	default:
		return &json.UnmarshalTypeError{Value: "non-number", Type: reflect.TypeFor[string]()}
	}
	return nil
}

// moneyIn is money as a request carries it: {"amount": "1234.50", "currency": "RUB"}; the amount may be a JSON
// number too (read as text, never as a float).
type moneyIn struct {
	Amount   decimalText `json:"amount"`
	Currency string      `json:"currency"`
}

// money parses m, recording problems under field; a nil m is the zero Money. A missing currency is left empty
// for the domain to fill (the dealer's) or refuse.
func (m *moneyIn) money(p *crm.Problems, field string) crm.Money {
	if m == nil {
		return crm.Money{}
	}
	if m.Currency == "" {
		if strings.TrimSpace(string(m.Amount)) == "" {
			p.Add(field+".amount", "is required")
			return crm.Money{}
		}
		d, err := crm.ParseAmount(field+".amount", string(m.Amount), "")
		p.Merge("", err)
		return crm.Money{Amount: d}
	}
	v, err := crm.ParseMoney(field, string(m.Amount), m.Currency)
	p.Merge("", err)
	return v // with an error, what could be read (a zero amount when it is not a number)
}

// parseDecimal parses an optional decimal; "" is zero.
func parseDecimal(p *crm.Problems, field string, s decimalText) decimal.Decimal {
	if strings.TrimSpace(string(s)) == "" {
		return decimal.Zero
	}
	d, err := decimal.NewFromString(strings.TrimSpace(string(s)))
	if err != nil {
		p.Add(field, "%q is not a decimal number", string(s))
		return decimal.Zero
	}
	return d
}

// parseTime parses an RFC 3339 time; "" is the zero time, an error is recorded under field.
func parseTime(p *crm.Problems, field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.Add(field, "%q is not an RFC 3339 time", s)
		return time.Time{}
	}
	return t.UTC()
}

// requireTime is parseTime for a required field.
func requireTime(p *crm.Problems, field, s string) time.Time {
	if s == "" {
		p.Add(field, "is required")
		return time.Time{}
	}
	return parseTime(p, field, s)
}

// parseIDField parses an optional ID from a body or query field; "" is the zero ID.
func parseIDField(p *crm.Problems, field, s string) crm.ID {
	if s == "" {
		return crm.ID{}
	}
	id, err := crm.ParseID(field, s)
	if err != nil {
		p.Merge("", err)
	}
	return id
}

// requireID is parseIDField for a required field.
func requireID(p *crm.Problems, field, s string) crm.ID {
	if s == "" {
		p.Add(field, "is required")
		return crm.ID{}
	}
	return parseIDField(p, field, s)
}

// parseIntQuery parses an optional integer query parameter.
func parseIntQuery(p *crm.Problems, field, s string) int {
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		p.Add(field, "must be an integer")
	}
	return n
}

// timeOut formats an optional time: nil when zero.
func timeOut(t time.Time) *stamp {
	if t.IsZero() {
		return nil
	}
	u := stamp(t)
	return &u
}

// idOut formats an optional ID: nil when zero.
func idOut(id crm.ID) *crm.ID {
	if id == (crm.ID{}) {
		return nil
	}
	return &id
}

// moneyOut formats optional money: nil when it has no currency (never set).
func moneyOut(m crm.Money) *crm.Money {
	if m.Currency == "" {
		return nil
	}
	return &m
}

// decimalOne is 1, the default quantity.
var decimalOne = decimal.NewFromInt(1)

// moneyInOf is the request form of m (nil for money never set), for merge patches.
func moneyInOf(m crm.Money) *moneyIn {
	if m.Currency == "" && m.Amount.IsZero() {
		return nil
	}
	return &moneyIn{Amount: decimalText(m.StringAmount()), Currency: string(m.Currency)}
}

// decimalInOf is the request form of d ("" for zero).
func decimalInOf(d decimal.Decimal) decimalText {
	if d.IsZero() {
		return ""
	}
	return decimalText(crm.DecimalString(d))
}

// timeInOf is the request form of t ("" for zero).
func timeInOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
