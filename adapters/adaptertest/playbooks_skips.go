package adaptertest

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/playbooks"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertSkippedStep checks the refusal of a forward move that skips stage's required step key, which has no
// task: the error names the step and the stage, and no activity.
func assertSkippedStep(t *testing.T, err error, stage crm.ID, key string) {
	t.Helper()
	require.Error(t, err)
	assert.True(t, errors.Is(err, crm.ErrConflict), "a conflict: %v", err)
	assert.Equal(t, playbooks.CodeStepOpen, crm.CodeOf(err))
	var open *playbooks.StepOpenError
	if assert.True(t, errors.As(err, &open), "a *playbooks.StepOpenError in the chain: %v", err) {
		assert.Equal(t, key, open.Key)
		assert.Equal(t, stage, open.StageID)
		assert.NotEmpty(t, open.Title)
		assert.Zero(t, open.ActivityID, "a skipped stage's step has no task")
	}
}

// testPlaybookSaleSkips: a forward move across sales stages honours the required steps of every stage it skips
// (outside review F14): refused naming a step whose event has not happened, passing once it has (a drive booked,
// a contract formed), with no task made for a skipped stage; a win from the first stage is held by the contract
// stage's and the proposal's required steps as one from the contract stage is; a step back is never held.
func testPlaybookSaleSkips(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Пропуск")
	testDrive, negotiation, proposal, contract := e.stage("test_drive").ID, e.stage("negotiation").ID, e.stage("proposal").ID, e.stage("contract").ID
	e.require(testDrive, "book_test_drive", true)
	buyer := e.customer("Торопливый")
	sale := e.open(buyer.ID, e.vehicle("Vesta", "1500000").ID)
	sale, err := e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: e.stage("needs_discovery").ID})
	require.NoError(t, err)

	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: negotiation})
	assertSkippedStep(t, err, testDrive, "book_test_drive")
	assert.Equal(t, sale.StageID, e.getSale(sale.ID).StageID, "the sale stays")
	assert.NotContains(t, e.steps(activities.Query{SaleID: sale.ID}), "terms", "nothing of the refused move is written")

	// A drive booked for the customer is the step's event: the skip passes, and the skipped stages give no task.
	_, err = e.leads.BookTestDrive(e.ctx, leads.TestDriveBooking{CustomerID: buyer.ID, VehicleID: e.vehicle("Granta", "900000").ID,
		Start: Epoch.Add(50 * time.Hour)})
	require.NoError(t, err)
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: negotiation})
	require.NoError(t, err)
	steps := e.steps(activities.Query{SaleID: sale.ID})
	assert.Contains(t, steps, "terms")
	assert.NotContains(t, steps, "book_test_drive", "a skipped stage's required step done by its event is not made a task")
	assert.NotContains(t, steps, "offer", "a skipped stage's optional steps are not created")
	// Back is never held.
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: e.stage("new").ID, Reason: "назад"})
	require.NoError(t, err)

	// A win from the first stage passes the contract stage: held by its purchase contract as a win from there is.
	e.require(testDrive, "book_test_drive", false)
	early := e.open(e.customer("Сразу").ID, e.vehicle("Largus", "1300000").ID)
	_, _, err = e.svc.WinSale(e.ctx, early.ID, 0, sales.WinInput{})
	assertSkippedStep(t, err, contract, "purchase_contract")
	assert.Equal(t, sales.StatusOpen, e.getSale(early.ID).Status)
	_, err = e.svc.EditSale(e.ctx, early.ID, 0, sales.Edit{StageID: proposal})
	assert.NoError(t, err, "a cash sale has no credit step to skip")
	_, _, err = e.svc.GenerateContract(e.ctx, early.ID, sales.ContractTerms{}, textRenderer{}, files.NewMemory())
	require.NoError(t, err)
	won, _, err := e.svc.WinSale(e.ctx, early.ID, 0, sales.WinInput{})
	require.NoError(t, err, "the contract formed at an earlier stage counts")
	assert.Equal(t, sales.StatusWon, won.Status)

	// The credit step is skipped only by a sale paid by credit, and its payment is the edit's.
	credit, cash := sales.PayCredit, sales.PayCash
	loan := e.open(e.customer("В кредит").ID, crm.ID{})
	_, err = e.svc.EditSale(e.ctx, loan.ID, 0, sales.Edit{StageID: negotiation, Changes: sales.Changes{PaymentMethod: &credit}})
	assertSkippedStep(t, err, proposal, "credit_application")
	loan, err = e.svc.EditSale(e.ctx, loan.ID, 0, sales.Edit{Changes: sales.Changes{PaymentMethod: &credit}})
	require.NoError(t, err)
	_, err = e.svc.EditSale(e.ctx, loan.ID, 0, sales.Edit{StageID: negotiation})
	assertSkippedStep(t, err, proposal, "credit_application")
	_, err = e.svc.EditSale(e.ctx, loan.ID, 0, sales.Edit{StageID: negotiation, Changes: sales.Changes{PaymentMethod: &cash}})
	require.NoError(t, err, "switched to cash in the same edit")

	// A contract formed before the contract stage is entered makes its step done there.
	_, err = e.svc.EditSale(e.ctx, early.ID, 0, sales.Edit{StageID: contract})
	assert.Error(t, err, "a won sale does not move")
	ahead := e.open(e.customer("Заранее договор").ID, e.vehicle("Niva", "1100000").ID)
	_, _, err = e.svc.GenerateContract(e.ctx, ahead.ID, sales.ContractTerms{}, textRenderer{}, files.NewMemory())
	require.NoError(t, err)
	_, err = e.svc.EditSale(e.ctx, ahead.ID, 0, sales.Edit{StageID: contract})
	require.NoError(t, err)
	step := e.steps(activities.Query{SaleID: ahead.ID})["purchase_contract"]
	assert.Equal(t, activities.Done, step.Status)
	assert.Contains(t, step.Result, string(crm.EventContractFormed))
}

// testPlaybookLeadSkips: the same for lead stages: new → qualified passes in_work, and converting a lead at new
// passes in_work and qualified; a required step of theirs holds both until its event has happened.
func testPlaybookLeadSkips(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Лид-пропуск")
	inWork, qualified := e.leadStage(leads.StageInWork).ID, e.leadStage(leads.StageQualified).ID
	e.require(inWork, "book_test_drive", true)
	lead := e.lead("Вера", "Vesta", crm.ID{})
	_, err := e.leads.MoveLeadStage(e.ctx, lead.ID, 0, leads.StageQualified, "")
	assertSkippedStep(t, err, inWork, "book_test_drive")
	_, err = e.svc.ConvertLead(e.ctx, lead.ID, 0, sales.ConvertInput{})
	assertSkippedStep(t, err, inWork, "book_test_drive")
	got, err := e.leads.GetLead(e.ctx, lead.ID)
	require.NoError(t, err)
	assert.Equal(t, leads.StageNew, got.Stage)

	e.require(qualified, "offer", true)
	e.testDrive(lead, e.vehicle("Vesta", "1500000").ID, Epoch.Add(26*time.Hour))
	_, err = e.svc.ConvertLead(e.ctx, lead.ID, 0, sales.ConvertInput{})
	assertSkippedStep(t, err, qualified, "offer")
	_, err = e.leads.MoveLeadStage(e.ctx, lead.ID, 0, leads.StageQualified, "")
	require.NoError(t, err, "the drive booked is in_work's step done")
	steps := e.steps(activities.Query{LeadID: lead.ID})
	assert.NotContains(t, steps, "needs", "a skipped stage's optional steps are not created")
	assert.Equal(t, activities.Open, steps["offer"].Status)
}

// testPlaybookReentry: entering a stage again brings the tasks left open there to the playbook as it is now
// (outside review F12): a step made required holds the next forward move, its title follows, and a step removed
// from the playbook has its task cancelled.
func testPlaybookReentry(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Снова")
	proposal, negotiation := e.stage("proposal").ID, e.stage("negotiation").ID
	sale := e.open(e.customer("Возврат").ID, crm.ID{})
	_, err := e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: proposal})
	require.NoError(t, err)
	offer := e.steps(activities.Query{SaleID: sale.ID})["offer"]
	require.Equal(t, activities.Open, offer.Status)
	require.False(t, offer.Step.Required)

	p, err := e.pb.GetPlaybook(e.ctx, proposal)
	require.NoError(t, err)
	steps := append([]playbooks.Step(nil), p.Steps...)
	for i := range steps {
		if steps[i].Key == "offer" {
			steps[i].Required, steps[i].Title = true, "Отправить КП (обязательно)"
		}
	}
	steps = append(steps, playbooks.Step{Key: "check_docs", Title: "Проверить документы", Required: true})
	_, err = e.pb.PutPlaybook(e.ctx, proposal, p.Version, steps)
	require.NoError(t, err)

	// A change applies from the next entry: the sale at the proposal leaves it as it entered it.
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: negotiation})
	require.NoError(t, err)
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: proposal, Reason: "назад"})
	require.NoError(t, err)
	got := e.steps(activities.Query{SaleID: sale.ID})
	assert.Equal(t, offer.ID, got["offer"].ID, "the open task is kept, not made twice")
	assert.True(t, got["offer"].Step.Required, "brought to the playbook: required")
	assert.Equal(t, "Отправить КП (обязательно)", got["offer"].Subject)
	assert.Equal(t, offer.DueAt, got["offer"].DueAt, "the due time counts from the task's creation")
	require.Contains(t, got, "check_docs")
	_, err = e.acts.Complete(e.ctx, got["check_docs"].ID, 0, "проверено", "")
	require.NoError(t, err)
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: negotiation})
	assertStepOpen(t, err, "offer")

	// A step removed from the playbook: its task is cancelled on the next entry and holds nothing.
	p, err = e.pb.GetPlaybook(e.ctx, proposal)
	require.NoError(t, err)
	_, err = e.pb.PutPlaybook(e.ctx, proposal, p.Version, []playbooks.Step{{Key: "check_docs", Title: "Проверить документы"}})
	require.NoError(t, err)
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: e.stage("new").ID, Reason: "назад"})
	require.NoError(t, err)
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: proposal})
	require.NoError(t, err)
	assert.Equal(t, activities.Cancelled, e.steps(activities.Query{SaleID: sale.ID})["offer"].Status)
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: negotiation})
	require.NoError(t, err)
}
