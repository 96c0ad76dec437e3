package httpapi

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rub(amount string) map[string]any { return map[string]any{"amount": amount, "currency": "RUB"} }

// TestCreditCalculate recomputes worked loans through HTTP to the kopeck (the same examples as the credit
// package's tests: 1 000 000 ₽ at 12 % for 12 months pays 88 848.79 ₽ eleven times and 88 848.76 ₽ last; the
// equal-principal example of 100 000 ₽ over 10 months at 12 % pays 11 000, 10 900, … ₽).
func TestCreditCalculate(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	res := f.must(200, post("/api/v1/credit/calculate", tok, map[string]any{"method": "annuity", "amount": rub("1000000"),
		"annual_rate": "12", "term_months": 12, "first_due": "2026-01-31"}))
	body := res.JSON()
	payments := body["payments"].([]any)
	require.Len(t, payments, 12)
	first, last := payments[0].(map[string]any), payments[11].(map[string]any)
	assert.Equal(t, map[string]any{"number": 1.0, "due": "2026-01-31", "payment": rub("88848.79"), "interest": rub("10000.00"),
		"principal": rub("78848.79"), "balance": rub("921151.21")}, first)
	assert.Equal(t, "2026-12-31", last["due"])
	assert.Equal(t, rub("88848.76"), last["payment"])
	assert.Equal(t, rub("0.00"), last["balance"])
	assert.Equal(t, rub("1066185.45"), body["total_paid"])
	assert.Equal(t, rub("66185.45"), body["total_interest"])
	assert.Equal(t, "2026-02-28", payments[1].(map[string]any)["due"], "the month's last day when it is shorter")

	res = f.must(200, post("/api/v1/credit/calculate", tok, map[string]any{"method": "differentiated", "amount": rub("100000"),
		"annual_rate": 12, "term_months": 10}))
	payments = res.JSON()["payments"].([]any)
	for i, p := range payments {
		assert.Equal(t, rub(fmt.Sprintf("%d.00", 11000-100*i)), p.(map[string]any)["payment"])
	}
	assert.Equal(t, "2026-12-27", payments[0].(map[string]any)["due"], "a month from the clock's today by default")
	assert.Equal(t, rub("5500.00"), res.JSON()["total_interest"])

	res = f.do(post("/api/v1/credit/calculate", tok, map[string]any{"method": "balloon", "amount": map[string]any{"amount": "-5", "currency": "RUB"},
		"annual_rate": "abc", "term_months": 0, "first_due": "31.01.2026"}))
	assert.Equal(t, 422, res.Status, "%s", res.Body)
	assert.ElementsMatch(t, []string{"method", "amount", "annual_rate", "term_months", "first_due"}, res.Fields(), "%s", res.Body)
	res = f.do(post("/api/v1/credit/calculate", f.a.token(crm.RoleReadOnly), map[string]any{"amount": rub("1000"), "annual_rate": "1", "term_months": 1}))
	assert.Equal(t, 403, res.Status)
}

func TestCreditDesk(t *testing.T) { onBothAdapters(t, testCreditDesk) }

func testCreditDesk(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	customer := f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")
	vehicle := f.createVehicle(f.a, vins[4])
	sale := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": customer, "vehicle_id": vehicle,
		"amount": rub("1500000")})).Str("id")
	program := func(bank string) string {
		return f.must(201, post("/api/v1/credit-programs", tok, map[string]any{"bank": bank, "name": "Автокредит",
			"annual_rate": "6.9", "min_term_months": 12, "max_term_months": 84, "min_down_payment_percent": "20",
			"min_amount": rub("100000"), "max_amount": rub("3000000"), "valid_from": "2026-01-01", "valid_to": "2027-12-31"})).Str("id")
	}
	progA, progB := program("ПАО «Банк Север»"), program("АО «Банк Юг»")
	p := f.must(200, get("/api/v1/credit-programs/"+progA, tok)).JSON()
	assert.Equal(t, "6.9", p["annual_rate"])
	assert.Equal(t, "2027-12-31", p["valid_to"])
	upd := f.must(200, patch("/api/v1/credit-programs/"+progB, tok, map[string]any{"annual_rate": "7.9"})).JSON()
	assert.Equal(t, "7.9", upd["annual_rate"])
	assert.Equal(t, 2.0, upd["version"])

	// Invalid: every wrong field named in one 422, and nothing saved.
	res := f.do(post("/api/v1/credit-applications", tok, map[string]any{"sale_id": sale, "program_id": progA,
		"down_payment": rub("100000"), "amount": map[string]any{"amount": "5000000", "currency": "EUR"}, "term_months": 120,
		"method": "balloon"}))
	assert.Equal(t, 422, res.Status, "%s", res.Body)
	assert.ElementsMatch(t, []string{"down_payment", "amount.currency", "term_months", "method"}, res.Fields(), "%s", res.Body)
	res = f.do(post("/api/v1/credit-applications", tok, map[string]any{"sale_id": "not-an-id", "program_id": progA,
		"amount": map[string]any{"amount": "x", "currency": "RUB"}, "term_months": 7}))
	assert.Equal(t, 422, res.Status, "%s", res.Body)
	assert.Subset(t, res.Fields(), []string{"sale_id", "amount.amount", "term_months"}, "parse and program problems in one answer: %s", res.Body)
	assert.Empty(t, f.must(200, get("/api/v1/credit-applications?sale_id="+sale, tok)).Items(), "nothing saved")

	apply := func(prog string) map[string]any {
		return f.must(201, post("/api/v1/credit-applications", tok, map[string]any{"sale_id": sale, "program_id": prog,
			"down_payment": rub("300000"), "amount": rub("1200000"), "term_months": 36, "method": "annuity"})).JSON()
	}
	a := apply(progA)
	assert.Equal(t, "draft", a["state"])
	assert.Equal(t, rub("36997.68"), a["monthly_payment"])
	assert.Equal(t, "ПАО «Банк Север»", a["bank"])
	id := a["id"].(string)
	b := apply(progB)["id"].(string)
	assert.Len(t, f.must(200, get("/api/v1/credit-applications?sale_id="+sale, tok)).Items(), 2)

	// Illegal moves: 409 with a code.
	res = f.do(post("/api/v1/credit-applications/"+id+"/approve", tok, map[string]any{"comment": "рано"}))
	assert.Equal(t, 409, res.Status)
	assert.Equal(t, string(credit.CodeTransition), res.Str("code"))
	res = f.do(post("/api/v1/credit-applications/"+id+"/close", tok, nil))
	assert.Equal(t, 409, res.Status)

	// A draft cannot be the sale's credit.
	res = f.do(patch("/api/v1/sales/"+sale, tok, map[string]any{"credit_application_id": id}))
	assert.Equal(t, 422, res.Status, "%s", res.Body)
	assert.Equal(t, []string{"credit_application_id"}, res.Fields())

	for _, step := range []string{"submit", "approve"} {
		for _, app := range []string{id, b} {
			got := f.must(200, post("/api/v1/credit-applications/"+app+"/"+step, tok, map[string]any{"comment": step + " по телефону"})).JSON()
			assert.NotEqual(t, "draft", got["state"])
		}
	}
	got := f.must(200, get("/api/v1/credit-applications/"+id, tok)).JSON()
	assert.Equal(t, "approved", got["state"])
	history := got["history"].([]any)
	require.Len(t, history, 3)
	assert.Equal(t, map[string]any{"from": "submitted", "to": "approved", "at": history[2].(map[string]any)["at"],
		"by": f.a.users[crm.RoleSalesManager].ID.String(), "comment": "approve по телефону"}, history[2])

	linked := f.must(200, patch("/api/v1/sales/"+sale, tok, map[string]any{"credit_application_id": id})).JSON()
	assert.Equal(t, id, linked["credit_application_id"])
	html := string(f.must(200, get("/api/v1/sales/"+sale+"/contract.html", tok)).Body)
	assert.Contains(t, html, "ПАО «Банк Север» на срок 36 месяцев", "the contract states bank and term")
	assert.Contains(t, html, "1\u00a0200\u00a0000,00\u00a0руб. оплачиваются за счёт кредитных средств", "and the credit amount")

	// Issue: the other bank's application can no longer be issued.
	f.must(200, post("/api/v1/credit-applications/"+id+"/issue", tok, map[string]any{"comment": "перечислено"}))
	res = f.do(post("/api/v1/credit-applications/"+b+"/issue", tok, nil))
	assert.Equal(t, 409, res.Status)
	assert.Equal(t, string(credit.CodeAlreadyIssued), res.Str("code"))
	sched := f.must(200, get("/api/v1/credit-applications/"+id+"/schedule", tok)).JSON()
	require.Len(t, sched["payments"].([]any), 36)
	assert.Equal(t, rub("36997.68"), sched["payments"].([]any)[0].(map[string]any)["payment"])
	assert.Equal(t, "2026-12-27", sched["payments"].([]any)[0].(map[string]any)["due"])
	f.must(200, get("/api/v1/credit-applications?state=issued", tok))
	res = f.do(get("/api/v1/credit-applications?state=lost", tok))
	assert.Equal(t, 422, res.Status)
	assert.Equal(t, []string{"state"}, res.Fields())

	// Another dealer sees none of it and cannot link it.
	other := f.b.token(crm.RoleAdmin)
	assert.Equal(t, 404, f.do(get("/api/v1/credit-applications/"+id, other)).Status)
	assert.Equal(t, 404, f.do(get("/api/v1/credit-programs/"+progA, other)).Status)
	assert.Empty(t, f.must(200, get("/api/v1/credit-applications", other)).Items())
}

// TestCreditIssuesRace issues many approved applications of one sale at once over HTTP: one 200, the rest 409.
func TestCreditIssuesRace(t *testing.T) { onBothAdapters(t, testCreditIssuesRace) }

func testCreditIssuesRace(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleAdmin)
	w := f.newWorld(f.a)
	const n = 10
	ids := make([]string, n)
	for i := range ids {
		ids[i] = f.must(201, post("/api/v1/credit-applications", tok, map[string]any{"sale_id": w.sale, "program_id": w.creditProgram,
			"down_payment": rub("450000"), "amount": rub("1000000"), "term_months": 24})).Str("id")
		f.must(200, post("/api/v1/credit-applications/"+ids[i]+"/submit", tok, nil))
		f.must(200, post("/api/v1/credit-applications/"+ids[i]+"/approve", tok, nil))
	}
	statuses := make([]int, n)
	codes := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res := f.do(post("/api/v1/credit-applications/"+ids[i]+"/issue", tok, map[string]any{"comment": "гонка"}))
			statuses[i] = res.Status
			if res.Status != 200 {
				codes[i] = res.Str("code")
			}
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for i, s := range statuses {
		if s == 200 {
			ok++
			continue
		}
		assert.Equal(t, 409, s)
		assert.Equal(t, string(credit.CodeAlreadyIssued), codes[i])
	}
	assert.Equal(t, 1, ok, "exactly one issue: %v", statuses)
	issued := f.must(200, get("/api/v1/credit-applications?state=issued&sale_id="+w.sale, tok)).Items()
	require.Len(t, issued, 1)
	sale := f.must(200, get("/api/v1/sales/"+w.sale, tok)).JSON()
	assert.Equal(t, issued[0]["id"], sale["credit_application_id"], "the open sale links the issued application")
	assert.True(t, strings.HasPrefix(issued[0]["bank"].(string), "ПАО"))
}

func TestWinRefusesPaymentNoContractCouldState(t *testing.T) {
	onBothAdapters(t, testWinRefusesPaymentNoContractCouldState)
}

// testWinRefusesPaymentNoContractCouldState links a credit larger than the sale's price (the application's own
// vehicle price was set higher) and asks for the win: it is refused naming credit_application_id, the sale stays
// open, and after the amount is raised to cover the credit the win and its contract go through.
func testWinRefusesPaymentNoContractCouldState(t *testing.T, f *fixture) {
	tok := f.a.token(crm.RoleSalesManager)
	customer := f.must(201, post("/api/v1/customers", tok, newCustomerBody())).Str("id")
	vehicle := f.createVehicle(f.a, vins[4])
	sale := f.must(201, post("/api/v1/sales", tok, map[string]any{"customer_id": customer, "vehicle_id": vehicle,
		"amount": rub("1500000"), "payment_method": "credit"}))
	prog := f.must(201, post("/api/v1/credit-programs", tok, map[string]any{"bank": "ПАО «Банк Север»", "name": "Автокредит",
		"annual_rate": "6.9", "min_term_months": 12, "max_term_months": 84, "min_down_payment_percent": "20",
		"min_amount": rub("100000"), "max_amount": rub("5000000"), "valid_from": "2026-01-01"})).Str("id")
	app := f.must(201, post("/api/v1/credit-applications", tok, map[string]any{"sale_id": sale.Str("id"), "program_id": prog,
		"vehicle_price": rub("5000000"), "down_payment": rub("1000000"), "amount": rub("4000000"), "term_months": 24})).Str("id")
	f.must(200, post("/api/v1/credit-applications/"+app+"/submit", tok, map[string]any{}))
	f.must(200, post("/api/v1/credit-applications/"+app+"/approve", tok, map[string]any{}))
	linked := f.must(200, patch("/api/v1/sales/"+sale.Str("id"), tok, map[string]any{"credit_application_id": app}))

	res := f.must(422, post("/api/v1/sales/"+sale.Str("id")+"/win", tok, map[string]any{}))
	assert.Equal(t, []string{"credit_application_id"}, res.Fields(), "%s", res.Body)
	again := f.must(200, get("/api/v1/sales/"+sale.Str("id"), tok))
	assert.Equal(t, "open", again.Str("status"))
	assert.Equal(t, linked.Header.Get("ETag"), again.Header.Get("ETag"), "the refused win changed nothing")

	// Once the linked credit is issued, another application cannot take its place.
	f.must(200, post("/api/v1/credit-applications/"+app+"/issue", tok, map[string]any{}))
	other := f.must(201, post("/api/v1/credit-applications", tok, map[string]any{"sale_id": sale.Str("id"), "program_id": prog,
		"down_payment": rub("500000"), "amount": rub("1000000"), "term_months": 24})).Str("id")
	f.must(200, post("/api/v1/credit-applications/"+other+"/submit", tok, map[string]any{}))
	f.must(200, post("/api/v1/credit-applications/"+other+"/approve", tok, map[string]any{}))
	res = f.must(422, patch("/api/v1/sales/"+sale.Str("id"), tok, map[string]any{"credit_application_id": other}))
	assert.Equal(t, []string{"credit_application_id"}, res.Fields(), "%s", res.Body)

	f.must(200, patch("/api/v1/sales/"+sale.Str("id"), tok, map[string]any{"amount": rub("5000000")}))
	f.must(200, post("/api/v1/sales/"+sale.Str("id")+"/win", tok, map[string]any{}))
	f.must(200, get("/api/v1/sales/"+sale.Str("id")+"/contract.pdf", tok))

	res = f.must(409, post("/api/v1/credit-applications/"+app+"/cancel", tok, map[string]any{"comment": "передумал"}))
	assert.Equal(t, string(credit.CodeTransition), res.Str("code"), "the won sale's contract states this credit")
	f.must(200, get("/api/v1/sales/"+sale.Str("id")+"/contract.pdf", tok))
}

func TestHalfKopeckIsNamedOnce(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	res := f.must(422, post("/api/v1/credit/calculate", tok, map[string]any{"method": "annuity",
		"amount": map[string]any{"amount": "100000.005", "currency": "RUB"}, "annual_rate": "6.9", "term_months": 12}))
	assert.Equal(t, []string{"amount.amount"}, res.Fields(), "only the amount's fraction is wrong\n%s", res.Body)
}

// TestCreditCalculateNamesOnlyWhatIsWrong: an amount without its currency is in the dealer's currency (as
// everywhere else in the API), and a missing or malformed amount is named once — never with a phantom
// "amount.currency" beside it.
func TestCreditCalculateNamesOnlyWhatIsWrong(t *testing.T) {
	f := newFixture(t)
	tok := f.a.token(crm.RoleSalesManager)
	res := f.must(200, post("/api/v1/credit/calculate", tok, map[string]any{"amount": map[string]any{"amount": "1000000"},
		"annual_rate": "12", "term_months": 12, "first_due": "2026-01-31"}))
	assert.Equal(t, rub("1066185.45"), res.JSON()["total_paid"], "the dealer's currency: %s", res.Body)

	res = f.must(422, post("/api/v1/credit/calculate", tok, map[string]any{"annual_rate": "6.9", "term_months": 36}))
	assert.Equal(t, []string{"amount"}, res.Fields(), "%s", res.Body)
	res = f.must(422, post("/api/v1/credit/calculate", tok, map[string]any{"amount": "1000000", "annual_rate": "6.9", "term_months": 36}))
	assert.Equal(t, []string{"amount"}, res.Fields(), "%s", res.Body)
}
