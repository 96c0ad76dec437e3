package sales

import (
	"fmt"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// RublesInWords writes a rouble amount in Russian words as contracts print it beside the figures:
// 1250000.50 RUB → "один миллион двести пятьдесят тысяч рублей 50 копеек". Kopecks stay in figures (two
// digits). The amount is rounded to kopecks. It fails for another currency, a negative amount, or an amount
// of a quadrillion roubles or more.
func RublesInWords(m crm.Money) (string, error) {
	if m.Currency != "RUB" {
		return "", crm.Invalid("sales.RublesInWords", crm.FieldError{Field: "currency", Message: "must be RUB"})
	}
	if m.IsNegative() {
		return "", crm.Invalid("sales.RublesInWords", crm.FieldError{Field: "amount", Message: "must not be negative"})
	}
	kopecks := m.Amount.Round(2).Shift(2)
	if kopecks.Cmp(decimal.New(1, 17)) >= 0 {
		return "", crm.Invalid("sales.RublesInWords", crm.FieldError{Field: "amount", Message: "is too large"})
	}
	total := kopecks.IntPart()
	rub, kop := total/100, total%100
	words := ruInteger(rub, ruMasculine)
	if words == "" {
		words = "ноль"
	}
	return fmt.Sprintf("%s %s %02d %s", words, ruPlural(rub, "рубль", "рубля", "рублей"), kop,
		ruPlural(kop, "копейка", "копейки", "копеек")), nil
}

// ruGender is the grammatical gender a number agrees with ("один рубль", "одна тысяча").
type ruGender int

const (
	ruMasculine ruGender = iota
	ruFeminine
)

// ruScales are the groups of three digits above the units: thousands are feminine, the rest masculine.
var ruScales = []struct {
	gender         ruGender
	one, few, many string
}{
	{ruMasculine, "", "", ""},
	{ruFeminine, "тысяча", "тысячи", "тысяч"},
	{ruMasculine, "миллион", "миллиона", "миллионов"},
	{ruMasculine, "миллиард", "миллиарда", "миллиардов"},
	{ruMasculine, "триллион", "триллиона", "триллионов"},
}

var (
	ruHundreds = [...]string{"", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"}
	ruTens     = [...]string{"", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"}
	ruTeens    = [...]string{"десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"}
	ruUnits    = [...]string{"", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"}
)

// ruInteger writes n (0 ≤ n < 10^15) in words, the last group in gender g; zero gives "".
func ruInteger(n int64, g ruGender) string {
	var groups []string
	for i := 0; n > 0 && i < len(ruScales); i++ {
		part := n % 1000
		n /= 1000
		if part == 0 {
			continue
		}
		gen := ruScales[i].gender
		if i == 0 {
			gen = g
		}
		w := ruGroup(part, gen)
		if i > 0 {
			w += " " + ruPlural(part, ruScales[i].one, ruScales[i].few, ruScales[i].many)
		}
		groups = append([]string{w}, groups...)
	}
	return strings.Join(groups, " ")
}

// ruGroup writes 1 ≤ n ≤ 999 in words in gender g ("одна", "две" for the feminine).
func ruGroup(n int64, g ruGender) string {
	var w []string
	if h := n / 100; h > 0 {
		w = append(w, ruHundreds[h])
	}
	switch rest := n % 100; {
	case rest >= 10 && rest < 20:
		w = append(w, ruTeens[rest-10])
	default:
		if t := rest / 10; t > 0 {
			w = append(w, ruTens[t])
		}
		u := rest % 10
		switch {
		case u == 1 && g == ruFeminine:
			w = append(w, "одна")
		case u == 2 && g == ruFeminine:
			w = append(w, "две")
		case u > 0:
			w = append(w, ruUnits[u])
		}
	}
	return strings.Join(w, " ")
}

// ruPlural picks the Russian form for n: one (1, 21, 101), few (2–4, 22–24) or many (0, 5–20, 25–30…).
func ruPlural(n int64, one, few, many string) string {
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
