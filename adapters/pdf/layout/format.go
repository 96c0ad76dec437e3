package layout

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// nbsp is the no-break space used to group digits and to glue a figure to its unit.
const nbsp = "\u00a0"

// FormatAmount writes an amount the Russian way: digits grouped by no-break spaces, a decimal comma, exactly
// the currency's minor digits: 1250000.5 RUB → "1 250 000,50".
func FormatAmount(m crm.Money) string {
	s := m.StringAmount()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	out := sign + groupDigits(whole)
	if hasFrac {
		out += "," + frac
	}
	return out
}

// FormatMoney is FormatAmount followed by the currency: "1 250 000,50 руб." for roubles, the ISO code
// otherwise ("1 200,00 EUR").
func FormatMoney(m crm.Money) string {
	unit := string(m.Currency)
	if m.Currency == "RUB" {
		unit = "руб."
	}
	if unit == "" {
		return FormatAmount(m)
	}
	return FormatAmount(m) + nbsp + unit
}

// FormatQuantity writes a quantity with a decimal comma and no trailing zeros: 1 → "1", 2.50 → "2,5".
func FormatQuantity(q decimal.Decimal) string {
	return strings.Replace(q.String(), ".", ",", 1)
}

// FormatInt groups the digits of an integer: 12500 → "12 500".
func FormatInt(n int) string {
	if n < 0 {
		return "-" + groupDigits(fmt.Sprint(-n))
	}
	return groupDigits(fmt.Sprint(n))
}

func groupDigits(d string) string {
	if len(d) <= 3 {
		return d
	}
	var b strings.Builder
	head := len(d) % 3
	if head > 0 {
		b.WriteString(d[:head])
	}
	for i := head; i < len(d); i += 3 {
		if b.Len() > 0 {
			b.WriteString(nbsp)
		}
		b.WriteString(d[i : i+3])
	}
	return b.String()
}

var monthsGenitive = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
	"сентября", "октября", "ноября", "декабря"}

// FormatDate writes a date in words as contracts do: "26 ноября 2026 г.". The calendar date is taken in t's
// own location. A zero time gives a blank line to fill in by hand.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return "«___» ____________ 20__ г."
	}
	return fmt.Sprintf("%d%s%s%s%d%sг.", t.Day(), nbsp, monthsGenitive[t.Month()-1], nbsp, t.Year(), nbsp)
}

// FormatShortDate writes a date as "26.11.2026". It takes a time.Time or a "YYYY-MM-DD" string (as identity
// documents keep their dates); another string is returned unchanged, a zero time or "" as "".
func FormatShortDate(v any) string {
	switch d := v.(type) {
	case time.Time:
		if d.IsZero() {
			return ""
		}
		return d.Format("02.01.2006")
	case string:
		if t, err := time.Parse("2006-01-02", d); err == nil {
			return t.Format("02.01.2006")
		}
		return d
	}
	return fmt.Sprint(v)
}

// Initials shortens a full name, surname first, for a signature line: "Петров Иван Сергеевич" →
// "Петров И. С.". A name of one word is returned as it is.
func Initials(full string) string {
	w := strings.Fields(full)
	if len(w) < 2 {
		return strings.Join(w, " ")
	}
	out := w[0]
	for i, part := range w[1:] {
		r := []rune(part)
		sep := nbsp
		if i == 0 {
			sep = " "
		}
		out += sep + string(r[0]) + "."
	}
	return out
}

// Plural picks the Russian form of a noun for n: one (1, 21), few (2–4, 22–24) or many (5–20, 0):
// Plural 5 "день" "дня" "дней" → "дней".
func Plural(n int, one, few, many string) string {
	if n < 0 {
		n = -n
	}
	n %= 100
	switch {
	case n >= 11 && n <= 14:
		return many
	case n%10 == 1:
		return one
	case n%10 >= 2 && n%10 <= 4:
		return few
	}
	return many
}
