package adaptertest

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPlaybookDueInWorkingHours: a step's due minutes are counted in the dealer's sales hours, as the response
// target is: with the showroom closing at 20:00, a lead at 19:55 has its 15-minute call due 10 minutes after the
// next opening; at 19:45 exactly at closing; a sale's one-hour contact at 19:30 is due at 09:30 next morning.
func testPlaybookDueInWorkingHours(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Часы")
	_, err := e.leads.SetResponsePolicy(e.ctx, 0, leads.ResponsePolicy{Target: 15 * time.Minute, WorkdayStart: 9 * time.Hour,
		WorkdayEnd: 20 * time.Hour, Weekdays: leads.DefaultResponsePolicy().Weekdays, TimeZone: "Europe/Moscow"})
	require.NoError(t, err)

	for _, c := range []struct {
		name     string
		at, want time.Time
	}{
		{"five minutes before closing", mskAt(30, 19, 55), mskAt(31, 9, 10)},
		{"ends exactly at closing", mskAt(30, 19, 45), mskAt(30, 20, 0)},
		{"after closing", mskAt(30, 20, 30), mskAt(31, 9, 15)},
		{"in the hours", mskAt(30, 12, 0), mskAt(30, 12, 15)},
	} {
		e.clock.Set(c.at)
		lead := e.lead("Часы", "Vesta", crm.ID{})
		call := e.steps(activities.Query{LeadID: lead.ID})["first_call"]
		assert.Equal(t, c.want, call.DueAt, c.name)
		assert.Equal(t, lead.ResponseDueAt, call.DueAt, "%s: the first call is due with the response target", c.name)
	}

	e.clock.Set(mskAt(30, 19, 30))
	sale := e.open(e.customer("Вечерний").ID, crm.ID{})
	assert.Equal(t, mskAt(31, 9, 30), e.steps(activities.Query{SaleID: sale.ID})["contact"].DueAt)
}

// testPlaybookDriveBookedBefore: a "book a test drive" step of a lead or sale whose test drive is booked (or done)
// already is created done by itself, naming the event, not open: a lead with a drive entering in_work, the sale
// converted from it reaching the test-drive stage, a sale of a customer who has a drive; a sale without one gets
// it open.
func testPlaybookDriveBookedBefore(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Заранее")
	v := e.vehicle("Vesta", "1500000")
	lead := e.lead("Борис", "Vesta", crm.ID{})
	e.testDrive(lead, v.ID, Epoch.Add(26*time.Hour))
	_, err := e.leads.MoveLeadStage(e.ctx, lead.ID, 0, leads.StageInWork, "")
	require.NoError(t, err)
	step := e.steps(activities.Query{LeadID: lead.ID})["book_test_drive"]
	assert.Equal(t, activities.Done, step.Status, "the drive was booked before the step")
	assert.Contains(t, step.Result, string(crm.EventTestDriveBooked))

	sale, err := e.svc.ConvertLead(e.ctx, lead.ID, 0, sales.ConvertInput{})
	require.NoError(t, err)
	sale, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: e.stage("test_drive").ID})
	require.NoError(t, err)
	step = e.steps(activities.Query{SaleID: sale.ID})["book_test_drive"]
	assert.Equal(t, activities.Done, step.Status, "the lead's drive counts for the sale converted from it")
	assert.Contains(t, step.Result, string(crm.EventTestDriveBooked))
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: e.stage("proposal").ID})
	require.NoError(t, err)

	buyer := e.customer("Клиент с поездкой")
	_, err = e.leads.BookTestDrive(e.ctx, leads.TestDriveBooking{CustomerID: buyer.ID, VehicleID: e.vehicle("Granta", "900000").ID,
		Start: Epoch.Add(50 * time.Hour)})
	require.NoError(t, err)
	own := e.open(buyer.ID, crm.ID{})
	_, err = e.svc.EditSale(e.ctx, own.ID, 0, sales.Edit{StageID: e.stage("test_drive").ID})
	require.NoError(t, err)
	assert.Equal(t, activities.Done, e.steps(activities.Query{SaleID: own.ID})["book_test_drive"].Status, "the customer's drive")

	none := e.open(e.customer("Без поездки").ID, crm.ID{})
	_, err = e.svc.EditSale(e.ctx, none.ID, 0, sales.Edit{StageID: e.stage("test_drive").ID})
	require.NoError(t, err)
	assert.Equal(t, activities.Open, e.steps(activities.Query{SaleID: none.ID})["book_test_drive"].Status)
}

// testPlaybookPaymentChange: the credit step follows the payment method while the sale stays at the proposal: a
// sale switched to cash has it cancelled (it no longer blocks), one switched to credit gets it (and it blocks);
// switching to cash and moving on in one edit passes; a sale with a linked application keeps nothing open.
func testPlaybookPaymentChange(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Оплата")
	proposal, negotiation := e.stage("proposal").ID, e.stage("negotiation").ID
	credit, cash := sales.PayCredit, sales.PayCash

	sale := e.open(e.customer("Передумал").ID, crm.ID{})
	sale, err := e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: proposal, Changes: sales.Changes{PaymentMethod: &credit}})
	require.NoError(t, err)
	require.Equal(t, activities.Open, e.steps(activities.Query{SaleID: sale.ID})["credit_application"].Status)
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: negotiation})
	assertStepOpen(t, err, "credit_application")

	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{Changes: sales.Changes{PaymentMethod: &cash}})
	require.NoError(t, err)
	steps := e.steps(activities.Query{SaleID: sale.ID})
	assert.Equal(t, activities.Cancelled, steps["credit_application"].Status, "paid in cash: no credit application to make")
	assert.Equal(t, activities.Open, steps["offer"].Status, "the unconditional steps stay")
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: negotiation})
	require.NoError(t, err, "the cancelled credit step no longer blocks")

	// Cash at the proposal, then credit: the step appears (once) and blocks; back to cash with the move in one edit.
	other := e.open(e.customer("Решил в кредит").ID, crm.ID{})
	_, err = e.svc.EditSale(e.ctx, other.ID, 0, sales.Edit{StageID: proposal, Changes: sales.Changes{PaymentMethod: &cash}})
	require.NoError(t, err)
	assert.NotContains(t, e.steps(activities.Query{SaleID: other.ID}), "credit_application")
	_, err = e.svc.EditSale(e.ctx, other.ID, 0, sales.Edit{Changes: sales.Changes{PaymentMethod: &credit}})
	require.NoError(t, err)
	mixed := sales.PayMixed
	_, err = e.svc.EditSale(e.ctx, other.ID, 0, sales.Edit{Changes: sales.Changes{PaymentMethod: &mixed}})
	require.NoError(t, err)
	n := 0
	page, err := e.acts.List(e.ctx, activities.Query{SaleID: other.ID, Status: activities.Open, Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	for _, a := range page.Items {
		if a.Step.Key == "credit_application" {
			n++
			assert.True(t, a.Step.Required)
			assert.Equal(t, proposal, a.Step.StageID)
		}
	}
	assert.Equal(t, 1, n, "credit, then mixed (still credit): one credit step")
	_, err = e.svc.EditSale(e.ctx, other.ID, 0, sales.Edit{StageID: negotiation})
	assertStepOpen(t, err, "credit_application")
	_, err = e.svc.EditSale(e.ctx, other.ID, 0, sales.Edit{StageID: negotiation, Changes: sales.Changes{PaymentMethod: &cash}})
	require.NoError(t, err, "switched to cash in the same edit as the move")
	assert.Equal(t, activities.Cancelled, e.steps(activities.Query{SaleID: other.ID})["credit_application"].Status)

	// The application made completes it; switching to cash afterwards leaves the done step done.
	third := e.open(e.customer("Оформил").ID, e.vehicle("Vesta", "1500000").ID)
	_, err = e.svc.EditSale(e.ctx, third.ID, 0, sales.Edit{StageID: proposal, Changes: sales.Changes{PaymentMethod: &credit}})
	require.NoError(t, err)
	e.apply(e.getSale(third.ID), e.program("Банк", "Автокредит"))
	_, err = e.svc.EditSale(e.ctx, third.ID, 0, sales.Edit{Changes: sales.Changes{PaymentMethod: &cash}})
	require.NoError(t, err)
	assert.Equal(t, activities.Done, e.steps(activities.Query{SaleID: third.ID})["credit_application"].Status)
}
