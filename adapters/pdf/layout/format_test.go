package layout_test

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/pdf/layout"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

const nb = "\u00a0"

func TestFormatMoney(t *testing.T) {
	cases := []struct {
		in           crm.Money
		amount, full string
	}{
		{crm.MustMoney("1250000.5", "RUB"), "1" + nb + "250" + nb + "000,50", "1" + nb + "250" + nb + "000,50" + nb + "руб."},
		{crm.MustMoney("0", "RUB"), "0,00", "0,00" + nb + "руб."},
		{crm.MustMoney("999", "RUB"), "999,00", "999,00" + nb + "руб."},
		{crm.MustMoney("1000", "EUR"), "1" + nb + "000,00", "1" + nb + "000,00" + nb + "EUR"},
		{crm.MustMoney("-12345.678", "RUB"), "-12" + nb + "345,678", "-12" + nb + "345,678" + nb + "руб."},
		{crm.MustMoney("1500000", "JPY"), "1" + nb + "500" + nb + "000", "1" + nb + "500" + nb + "000" + nb + "JPY"},
		{crm.Money{}, "0,00", "0,00"},
	}
	for _, tc := range cases {
		t.Run(tc.in.String(), func(t *testing.T) {
			if got := layout.FormatAmount(tc.in); got != tc.amount {
				t.Errorf("FormatAmount = %q, want %q", got, tc.amount)
			}
			if got := layout.FormatMoney(tc.in); got != tc.full {
				t.Errorf("FormatMoney = %q, want %q", got, tc.full)
			}
		})
	}
}

func TestFormatNumbers(t *testing.T) {
	cases := []struct{ got, want string }{
		{layout.FormatQuantity(decimal.NewFromInt(1)), "1"},
		{layout.FormatQuantity(decimal.RequireFromString("2.50")), "2,5"},
		{layout.FormatInt(0), "0"},
		{layout.FormatInt(12500), "12" + nb + "500"},
		{layout.FormatInt(-1234567), "-1" + nb + "234" + nb + "567"},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestFormatDates(t *testing.T) {
	msk := time.FixedZone("MSK", 3*3600)
	cases := []struct{ got, want string }{
		{layout.FormatDate(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)), "26" + nb + "ноября" + nb + "2026" + nb + "г."},
		{layout.FormatDate(time.Date(2026, 1, 1, 0, 30, 0, 0, msk)), "1" + nb + "января" + nb + "2026" + nb + "г."},
		{layout.FormatDate(time.Time{}), "«___» ____________ 20__ г."},
		{layout.FormatShortDate(time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)), "08.03.2026"},
		{layout.FormatShortDate("2015-02-01"), "01.02.2015"},
		{layout.FormatShortDate("с 2015 года"), "с 2015 года"},
		{layout.FormatShortDate(""), ""},
		{layout.FormatShortDate(time.Time{}), ""},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestInitialsAndPlural(t *testing.T) {
	cases := []struct{ got, want string }{
		{layout.Initials("Петров Иван Сергеевич"), "Петров И." + nb + "С."},
		{layout.Initials("Петров Иван"), "Петров И."},
		{layout.Initials("  Петров  "), "Петров"},
		{layout.Initials(""), ""},
		{layout.Plural(1, "день", "дня", "дней"), "день"},
		{layout.Plural(3, "день", "дня", "дней"), "дня"},
		{layout.Plural(5, "день", "дня", "дней"), "дней"},
		{layout.Plural(11, "день", "дня", "дней"), "дней"},
		{layout.Plural(21, "день", "дня", "дней"), "день"},
		{layout.Plural(112, "день", "дня", "дней"), "дней"},
		{layout.Plural(0, "день", "дня", "дней"), "дней"},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
