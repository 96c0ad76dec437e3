package credit_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// row is one published line of a worked schedule: principal, interest and the balance after the payment.
type row struct{ principal, interest, balance string }

// The annuity examples are amortization tables published by a lender's payment calculator (the tax/HOA column of
// those pages is not part of the loan). The payment and the first row are compared to the cent. That calculator
// pays the exact (unrounded) annuity and carries the balance unrounded, rounding only what it prints, while
// NewSchedule pays the annuity rounded to the cent and rounds every month's interest, as the issue demands; so row
// k may drift by up to k cents from the published one (half a cent of payment and of interest a month), and the
// test bounds that drift.
var annuityExamples = []struct {
	source    string
	principal string
	rate      string
	months    int
	payment   string // principal + interest, as published
	rows      []row
}{
	{
		source:    "https://www.signatureservice.com/buy/payment_calculator?hoa=0&loan=354900.00&tax=0 (a $283,920 loan, 4.5 %, 30 years)",
		principal: "283920", rate: "4.5", months: 360, payment: "1438.58",
		rows: []row{
			{"373.88", "1064.70", "283546.12"}, {"375.28", "1063.30", "283170.84"}, {"376.69", "1061.89", "282794.15"},
			{"378.10", "1060.48", "282416.04"}, {"379.52", "1059.06", "282036.52"}, {"380.94", "1057.64", "281655.58"},
			{"382.37", "1056.21", "281273.21"}, {"383.81", "1054.77", "280889.40"}, {"385.25", "1053.34", "280504.15"},
			{"386.69", "1051.89", "280117.46"}, {"388.14", "1050.44", "279729.32"}, {"389.60", "1048.98", "279339.73"},
			{"391.06", "1047.52", "278948.67"}, {"392.52", "1046.06", "278556.15"}, {"394.00", "1044.59", "278162.15"},
			{"395.47", "1043.11", "277766.68"},
		},
	},
	{
		source:    "https://www.signatureservice.com/buy/payment_calculator?hoa=0&loan=249700.00&tax=0 (a $199,760 loan, 4.5 %, 30 years)",
		principal: "199760", rate: "4.5", months: 360, payment: "1012.15",
		rows: []row{
			{"263.05", "749.10", "199496.95"}, {"264.04", "748.11", "199232.90"}, {"265.03", "747.12", "198967.87"},
			{"266.03", "746.13", "198701.85"}, {"267.02", "745.13", "198434.83"}, {"268.02", "744.13", "198166.80"},
			{"269.03", "743.13", "197897.77"}, {"270.04", "742.12", "197627.73"}, {"271.05", "741.10", "197356.68"},
			{"272.07", "740.09", "197084.62"}, {"273.09", "739.07", "196811.53"}, {"274.11", "738.04", "196537.42"},
			{"275.14", "737.02", "196262.28"}, {"276.17", "735.98", "195986.11"}, {"277.21", "734.95", "195708.90"},
			{"278.25", "733.91", "195430.66"},
		},
	},
	{
		source:    "https://www.signatureservice.com/buy/payment_calculator?hoa=0&loan=489000.00&tax=0 (a $391,200 loan, 4.5 %, 30 years)",
		principal: "391200", rate: "4.5", months: 360, payment: "1982.15",
		rows: []row{
			{"515.15", "1467.00", "390684.85"}, {"517.08", "1465.07", "390167.76"}, {"519.02", "1463.13", "389648.74"},
			{"520.97", "1461.18", "389127.77"}, {"522.92", "1459.23", "388604.84"}, {"524.88", "1457.27", "388079.96"},
			{"526.85", "1455.30", "387553.11"}, {"528.83", "1453.32", "387024.28"}, {"530.81", "1451.34", "386493.47"},
			{"532.80", "1449.35", "385960.66"}, {"534.80", "1447.35", "385425.86"}, {"536.81", "1445.35", "384889.06"},
			{"538.82", "1443.33", "384350.24"}, {"540.84", "1441.31", "383809.40"}, {"542.87", "1439.29", "383266.53"},
			{"544.90", "1437.25", "382721.63"},
		},
	},
}

func TestAnnuityMatchesPublishedSchedules(t *testing.T) {
	first := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, ex := range annuityExamples {
		t.Run(ex.principal, func(t *testing.T) {
			s, err := credit.NewSchedule(credit.Annuity, crm.MustMoney(ex.principal, "USD"), decimal.RequireFromString(ex.rate), ex.months, first)
			require.NoError(t, err, ex.source)
			require.Len(t, s.Payments, ex.months)
			for i, r := range ex.rows {
				got := s.Payments[i]
				assert.Equal(t, i+1, got.Number)
				assert.Equal(t, ex.payment, got.Payment.StringAmount(), "payment %d of %s", i+1, ex.source)
				if i == 0 {
					assert.Equal(t, []string{r.principal, r.interest, r.balance},
						[]string{got.Principal.StringAmount(), got.Interest.StringAmount(), got.Balance.StringAmount()},
						"row 1 of %s", ex.source)
					continue
				}
				for _, c := range []struct {
					published string
					got       crm.Money
				}{{r.principal, got.Principal}, {r.interest, got.Interest}, {r.balance, got.Balance}} {
					drift := decimal.New(int64(i+1), -2) // row i+1: at most i+1 cents
					assert.True(t, decimal.RequireFromString(c.published).Sub(c.got.Amount).Abs().LessThanOrEqual(drift),
						"row %d of %s: %s published, %s computed", i+1, ex.source, c.published, c.got)
				}
			}
			assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), s.Payments[1].Due, "the published second due date")
			assertWhole(t, s, ex.principal)
		})
	}
}

// assertWhole checks what holds for every schedule: the principal shares add up to the loan exactly, the last
// balance is zero, every payment is interest + principal, and the totals are the sums.
func assertWhole(t *testing.T, s credit.Schedule, principal string) {
	t.Helper()
	sumPrincipal, sumPaid, sumInterest := decimal.Zero, decimal.Zero, decimal.Zero
	for _, p := range s.Payments {
		assert.True(t, p.Payment.Amount.Equal(p.Interest.Amount.Add(p.Principal.Amount)), "payment %d = interest + principal", p.Number)
		assert.False(t, p.Principal.IsNegative(), "payment %d repays no negative principal", p.Number)
		assert.True(t, p.Payment.Amount.Equal(p.Payment.Round().Amount), "payment %d is in the minor unit", p.Number)
		sumPrincipal, sumPaid, sumInterest = sumPrincipal.Add(p.Principal.Amount), sumPaid.Add(p.Payment.Amount), sumInterest.Add(p.Interest.Amount)
	}
	assert.Equal(t, decimal.RequireFromString(principal).String(), sumPrincipal.String(), "the principal shares add up to the loan")
	assert.True(t, s.Payments[len(s.Payments)-1].Balance.IsZero(), "nothing is owed after the last payment")
	assert.Equal(t, sumPaid.String(), s.TotalPaid.Amount.String())
	assert.Equal(t, sumInterest.String(), s.TotalInterest.Amount.String())
	assert.Equal(t, sumPaid.Sub(decimal.RequireFromString(principal)).String(), s.TotalInterest.Amount.String())
}

// TestAnnuityTextbookPayments checks payments that anyone can recompute with the annuity formula P·i/(1−(1+i)^−n),
// i = annual rate / 12 (the formula of the calculator pages cited above; recomputed independently with Python's
// decimal module for this test): $100,000 at 6 % for 30 years is $599.55 and $200,000 at 6.5 % for 30 years is
// $1,264.14 (the usual textbook mortgage examples), 1,000,000 ₽ at 12 % for 12 months is 88,848.79 ₽.
func TestAnnuityTextbookPayments(t *testing.T) {
	for _, c := range []struct {
		principal string
		cur       crm.Currency
		rate      string
		months    int
		payment   string
	}{
		{"100000", "USD", "6", 360, "599.55"},
		{"200000", "USD", "6.5", 360, "1264.14"},
		{"1000000", "RUB", "12", 12, "88848.79"},
	} {
		s, err := credit.NewSchedule(credit.Annuity, crm.MustMoney(c.principal, c.cur), decimal.RequireFromString(c.rate), c.months,
			time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		assert.Equal(t, c.payment, s.First().StringAmount(), "%s %s at %s%% for %d months", c.principal, c.cur, c.rate, c.months)
		for _, p := range s.Payments[:c.months-1] {
			assert.Equal(t, c.payment, p.Payment.StringAmount(), "every payment but the last is the annuity")
		}
		assertWhole(t, s, c.principal)
	}
}

// TestDifferentiatedSchedule follows the equal-principal method as CalculatorSoup describes it
// ("Amortization Schedule Calculator: Equal Principal Payments",
// https://www.calculatorsoup.com/calculators/financial/amortization-equal-principal-payments-calculator.php: the
// principal part stays constant, the interest part is the rate on the declining balance) and the worked example of
// Dzen's «дифференцированный платёж» (https://dzen.ru/a/XZ3OakP9wACtdyW4: 100 000 ₽ for 10 months repays 10 000 ₽ of
// principal each month). At 12 % a year (1 % a month) the interest is 1 000, 900, …, 100 ₽ and sums to
// P·i·(n+1)/2 = 5 500 ₽.
func TestDifferentiatedSchedule(t *testing.T) {
	s, err := credit.NewSchedule(credit.Differentiated, crm.MustMoney("100000", "RUB"), decimal.RequireFromString("12"), 10,
		time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Len(t, s.Payments, 10)
	for i, p := range s.Payments {
		interest := decimal.NewFromInt(int64(1000 - 100*i))
		assert.Equal(t, "10000.00", p.Principal.StringAmount())
		assert.True(t, interest.Equal(p.Interest.Amount), "month %d interest %s", i+1, p.Interest)
		assert.True(t, interest.Add(decimal.NewFromInt(10000)).Equal(p.Payment.Amount))
		assert.Equal(t, decimal.NewFromInt(int64(90000-10000*i)).StringFixed(2), p.Balance.StringAmount())
	}
	assert.Equal(t, "5500.00", s.TotalInterest.StringAmount())
	assert.Equal(t, "105500.00", s.TotalPaid.StringAmount())
	assert.Equal(t, "11000.00", s.First().StringAmount())
	assertWhole(t, s, "100000")
}

func TestLastPaymentAbsorbsRounding(t *testing.T) {
	t.Run("differentiated", func(t *testing.T) {
		s, err := credit.NewSchedule(credit.Differentiated, crm.MustMoney("100000", "RUB"), decimal.Zero, 3,
			time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		assert.Equal(t, []string{"33333.33", "33333.33", "33333.34"},
			[]string{s.Payments[0].Payment.StringAmount(), s.Payments[1].Payment.StringAmount(), s.Payments[2].Payment.StringAmount()})
		assertWhole(t, s, "100000")
	})
	t.Run("annuity", func(t *testing.T) {
		// 1 000 000 ₽ at 12 % for 12 months: eleven payments of 88 848.79 ₽; the twelfth repays the balance left
		// (87 969.07 ₽ with 879.69 ₽ of interest: 88 848.76 ₽). Recomputed independently with Python's decimal
		// module, rounding half up each month.
		s, err := credit.NewSchedule(credit.Annuity, crm.MustMoney("1000000", "RUB"), decimal.RequireFromString("12"), 12,
			time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		last := s.Payments[11]
		assert.True(t, last.Principal.Equal(s.Payments[10].Balance), "the last principal is the balance left")
		assert.Equal(t, "88848.76", last.Payment.StringAmount())
		assert.Equal(t, "66185.45", s.TotalInterest.StringAmount())
		assertWhole(t, s, "1000000")
	})
	t.Run("no minor unit", func(t *testing.T) {
		s, err := credit.NewSchedule(credit.Annuity, crm.MustMoney("1000000", "JPY"), decimal.RequireFromString("3"), 7,
			time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		for _, p := range s.Payments {
			assert.True(t, p.Payment.Amount.IsInteger(), "yen have no minor unit: %s", p.Payment)
		}
		assertWhole(t, s, "1000000")
	})
	t.Run("many odd amounts", func(t *testing.T) {
		for _, m := range []credit.Method{credit.Annuity, credit.Differentiated} {
			for months := 1; months <= 84; months += 7 {
				for _, amount := range []string{"0.01", "1.00", "999.99", "123456.78", "2999999.99"} {
					s, err := credit.NewSchedule(m, crm.MustMoney(amount, "RUB"), decimal.RequireFromString("19.9"), months,
						time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
					require.NoError(t, err)
					assertWhole(t, s, amount)
				}
			}
		}
	})
}

func TestDueDatesKeepTheDayOrTheMonthsLast(t *testing.T) {
	s, err := credit.NewSchedule(credit.Annuity, crm.MustMoney("1200", "RUB"), decimal.RequireFromString("10"), 4,
		time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	var got []string
	for _, p := range s.Payments {
		got = append(got, p.Due.Format(time.DateOnly))
	}
	assert.Equal(t, []string{"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"}, got)
}

func TestNewScheduleNamesEveryWrongArgument(t *testing.T) {
	_, err := credit.NewSchedule("balloon", crm.Money{Amount: decimal.RequireFromString("-5"), Currency: "rub"},
		decimal.RequireFromString("-1"), 0, time.Time{})
	require.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
	var fields []string
	for _, f := range crm.FieldsOf(err) {
		fields = append(fields, f.Field)
	}
	assert.ElementsMatch(t, []string{"method", "amount", "amount.currency", "annual_rate", "term_months", "first_due"}, fields)

	_, err = credit.NewSchedule(credit.Annuity, crm.MustMoney("100.005", "RUB"), decimal.RequireFromString("5"), 601,
		time.Now())
	assert.ElementsMatch(t, []string{"amount", "term_months"}, fieldNames(err))
}

func fieldNames(err error) []string {
	var out []string
	for _, f := range crm.FieldsOf(err) {
		out = append(out, f.Field)
	}
	return out
}
