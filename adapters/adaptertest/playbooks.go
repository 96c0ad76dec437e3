package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
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

// runPlaybooks runs the stage playbooks' rules through the real services: the store's basics, the seeded
// automotive defaults, editing with versions and field-named errors, a lead and two sales walked through their
// stages with the steps appearing, completing on their events and blocking forward moves, and concurrent edits.
func runPlaybooks(t *testing.T, open Open) {
	t.Run("Records", func(t *testing.T) {
		RunRecords(t, open, Records[playbooks.Stores, playbooks.Playbook]{
			New: func(d crm.Dealer, n int) playbooks.Playbook {
				return playbooks.Playbook{Meta: crm.NewMeta(d.ID, Epoch), StageID: crm.NewID(), Subject: crm.SubjectSale,
					StageCode: fmt.Sprintf("stage_%d", n), Steps: playbooks.DefaultSteps(crm.SubjectSale, "contract")}
			},
			Meta: func(p *playbooks.Playbook) *crm.Meta { return &p.Meta },
			Create: func(ctx context.Context, s playbooks.Stores, p *playbooks.Playbook) error {
				return s.Playbooks().Create(ctx, p)
			},
			Get: func(ctx context.Context, s playbooks.Stores, id crm.ID) (playbooks.Playbook, error) {
				all, err := s.Playbooks().List(ctx)
				if err != nil {
					return playbooks.Playbook{}, err
				}
				for _, p := range all {
					if p.ID == id {
						return s.Playbooks().GetByStage(ctx, p.StageID)
					}
				}
				return playbooks.Playbook{}, crm.NotFound("test", "no playbook %s", id)
			},
			Update: func(ctx context.Context, s playbooks.Stores, p *playbooks.Playbook) error {
				return s.Playbooks().Update(ctx, p)
			},
			Edit: func(p *playbooks.Playbook) {
				p.Steps = append(p.Steps, playbooks.Step{Key: "extra", Title: "Ещё шаг"})
			},
			Same: func(t *testing.T, want, got playbooks.Playbook) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				assert.Equal(t, want, got)
			},
		})
	})
	t.Run("SeededDefaults", func(t *testing.T) { testPlaybookDefaults(t, open) })
	t.Run("EditWithVersions", func(t *testing.T) { testPlaybookEdit(t, open) })
	t.Run("LeadWalk", func(t *testing.T) { testPlaybookLeadWalk(t, open) })
	t.Run("SaleWalkCredit", func(t *testing.T) { testPlaybookSaleCredit(t, open) })
	t.Run("SaleWalkContract", func(t *testing.T) { testPlaybookSaleContract(t, open) })
	t.Run("ConcurrentEdits", func(t *testing.T) { testPlaybookConcurrentEdits(t, open) })
	t.Run("ConcurrentOwnerAssignments", func(t *testing.T) { testPlaybookConcurrentOwners(t, open) })
	t.Run("DueInWorkingHours", func(t *testing.T) { testPlaybookDueInWorkingHours(t, open) })
	t.Run("DriveBookedBefore", func(t *testing.T) { testPlaybookDriveBookedBefore(t, open) })
	t.Run("PaymentChange", func(t *testing.T) { testPlaybookPaymentChange(t, open) })
	t.Run("SaleSkips", func(t *testing.T) { testPlaybookSaleSkips(t, open) })
	t.Run("LeadSkips", func(t *testing.T) { testPlaybookLeadSkips(t, open) })
	t.Run("Reentry", func(t *testing.T) { testPlaybookReentry(t, open) })
	t.Run("BookingCompletesSteps", func(t *testing.T) { testPlaybookBookingCompletesSteps(t, open) })
}

type playbookEnv struct {
	*creditEnv
	pb   *playbooks.Service
	acts *activities.Service
}

func newPlaybookEnv(t *testing.T, b Backend, name string) *playbookEnv {
	e := newCreditEnv(t, b, name)
	owner := e.newUser("Менеджер " + name)
	e.user, e.ctx = owner, crm.WithActor(e.ctx, owner)
	require.NoError(t, crm.NewUnit[playbooks.Stores](b, e.clock).Update(e.ctx, func(ctx context.Context, st playbooks.Stores) error {
		_, err := playbooks.Seed(ctx, st)
		return err
	}))
	return &playbookEnv{creditEnv: e, pb: playbooks.NewService(crm.NewUnit[playbooks.Stores](b, e.clock)),
		acts: activities.NewService(crm.NewUnit[activities.Stores](b, e.clock), e.clock)}
}

func (e *playbookEnv) leadStage(code string) leads.LeadStage {
	e.t.Helper()
	var out leads.LeadStage
	require.NoError(e.t, crm.NewUnit[leads.Stores](e.b, nil).View(e.ctx, func(ctx context.Context, st leads.Stores) (err error) {
		out, err = st.LeadStages().GetByCode(ctx, code)
		return err
	}))
	return out
}

// steps returns the playbook tasks of a lead or sale, by key, keeping the latest of each key.
func (e *playbookEnv) steps(q activities.Query) map[string]activities.Activity {
	e.t.Helper()
	out := map[string]activities.Activity{}
	q.Limit = crm.MaxPageLimit
	page, err := e.acts.List(e.ctx, q)
	require.NoError(e.t, err)
	for i := len(page.Items) - 1; i >= 0; i-- { // oldest first, so the newest of a key stays
		if a := page.Items[i]; !a.Step.IsZero() {
			out[a.Step.Key] = a
		}
	}
	return out
}

func (e *playbookEnv) require(stageID crm.ID, key string, required bool) {
	e.t.Helper()
	p, err := e.pb.GetPlaybook(e.ctx, stageID)
	require.NoError(e.t, err)
	for i := range p.Steps {
		if p.Steps[i].Key == key {
			p.Steps[i].Required = required
		}
	}
	_, err = e.pb.PutPlaybook(e.ctx, stageID, p.Version, p.Steps)
	require.NoError(e.t, err)
}

func assertStepOpen(t *testing.T, err error, key string) {
	t.Helper()
	require.Error(t, err)
	assert.True(t, errors.Is(err, crm.ErrConflict), "a conflict: %v", err)
	assert.Equal(t, playbooks.CodeStepOpen, crm.CodeOf(err))
	assert.Contains(t, crm.MessageOf(err), key, "the problem names the step")
	var open *playbooks.StepOpenError
	if assert.True(t, errors.As(err, &open), "a *playbooks.StepOpenError in the chain: %v", err) {
		assert.Equal(t, key, open.Key)
		assert.NotEmpty(t, open.Title)
		assert.NotZero(t, open.ActivityID)
		assert.NotZero(t, open.StageID)
	}
}

func testPlaybookDefaults(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Кейсы")
	p, err := e.pb.GetPlaybook(e.ctx, e.leadStage(leads.StageNew).ID)
	require.NoError(t, err)
	assert.EqualValues(t, 1, p.Version)
	assert.Equal(t, crm.SubjectLead, p.Subject)
	assert.Equal(t, playbooks.DefaultSteps(crm.SubjectLead, leads.StageNew), p.Steps)

	p, err = e.pb.GetPlaybook(e.ctx, e.stage("contract").ID)
	require.NoError(t, err)
	require.Len(t, p.Steps, 1)
	assert.Equal(t, "purchase_contract", p.Steps[0].Key)
	assert.True(t, p.Steps[0].Required)
	assert.Equal(t, crm.EventContractFormed, p.Steps[0].CompletesOn)

	// The won stage has no defaults: an empty playbook of version 0. An unknown stage is not found.
	p, err = e.pb.GetPlaybook(e.ctx, e.stage("won").ID)
	require.NoError(t, err)
	assert.Zero(t, p.Version)
	assert.Empty(t, p.Steps)
	assert.Equal(t, "won", p.StageCode)
	_, err = e.pb.GetPlaybook(e.ctx, crm.NewID())
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)

	// Seeding again creates nothing; another dealer does not see these stages.
	var n int
	require.NoError(t, crm.NewUnit[playbooks.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, st playbooks.Stores) (err error) {
		n, err = playbooks.Seed(ctx, st)
		return err
	}))
	assert.Zero(t, n)
	other, _ := NewDealer(t, e.b, "Чужой")
	_, err = e.pb.GetPlaybook(other, e.stage("contract").ID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	_, err = e.pb.GetPlaybook(other, e.leadStage(leads.StageNew).ID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	assert.Contains(t, crm.MessageOf(err), "lead stage or sales stage", "another dealer's lead stage is not called a sales stage")
	_, err = e.pb.PutPlaybook(other, e.stage("contract").ID, 0, nil)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
}

func testPlaybookEdit(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Правка")
	stage := e.stage("negotiation").ID
	_, err := e.pb.PutPlaybook(e.ctx, stage, 1, []playbooks.Step{
		{Key: "ok", Title: "Хорошо"},
		{Key: "ok", Title: "Повтор"},
		{Key: "Bad Key", Title: ""},
		{Key: "due", Title: "Срок", DueMinutes: -1, CompletesOn: "rain", OnlyIf: "moon"},
	})
	require.Error(t, err)
	assert.ElementsMatch(t, []string{"steps[1].key", "steps[2].key", "steps[2].title", "steps[3].due_minutes",
		"steps[3].completes_on", "steps[3].only_if"}, salesFields(err))

	// A lead stage cannot wait for a sale's events.
	_, err = e.pb.PutPlaybook(e.ctx, e.leadStage(leads.StageInWork).ID, 0, []playbooks.Step{
		{Key: "contract", Title: "Договор", CompletesOn: crm.EventContractFormed}, {Key: "credit", Title: "Кредит", OnlyIf: playbooks.OnlyIfCredit}})
	assert.ElementsMatch(t, []string{"steps[0].completes_on", "steps[1].only_if"}, salesFields(err))

	// The version: 1 is current (seeded), 7 is stale, and a stage without a playbook is at 0.
	_, err = e.pb.PutPlaybook(e.ctx, stage, 7, []playbooks.Step{{Key: "x", Title: "X"}})
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
	p, err := e.pb.PutPlaybook(e.ctx, stage, 1, []playbooks.Step{{Key: "x", Title: "X", Required: true}})
	require.NoError(t, err)
	assert.EqualValues(t, 2, p.Version)
	assert.Equal(t, []playbooks.Step{{Key: "x", Title: "X", Required: true}}, p.Steps)
	won := e.stage("won").ID
	_, err = e.pb.PutPlaybook(e.ctx, won, 1, []playbooks.Step{{Key: "x", Title: "X"}})
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
	p, err = e.pb.PutPlaybook(e.ctx, won, 0, []playbooks.Step{{Key: "thanks", Title: "Поблагодарить"}})
	require.NoError(t, err)
	assert.EqualValues(t, 1, p.Version)
	got, err := e.pb.GetPlaybook(e.ctx, won)
	require.NoError(t, err)
	assert.Equal(t, p.Steps, got.Steps)

	// Creating needs a stage without a stored playbook: won has one now, lost has none.
	_, err = e.pb.CreatePlaybook(e.ctx, won, []playbooks.Step{{Key: "y", Title: "Y"}})
	assert.True(t, errors.Is(err, playbooks.ErrVersionRequired), "%v", err)
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
	lost := e.stage("lost").ID
	p, err = e.pb.CreatePlaybook(e.ctx, lost, []playbooks.Step{{Key: "why", Title: "Узнать причину"}})
	require.NoError(t, err)
	assert.EqualValues(t, 1, p.Version)

	// Every stage of both directories is listed, lead stages first, with its name and version.
	list, err := e.pb.ListPlaybooks(e.ctx)
	require.NoError(t, err)
	kinds := map[crm.ID]playbooks.StagePlaybook{}
	for _, sp := range list {
		kinds[sp.StageID] = sp
	}
	assert.Equal(t, crm.SubjectLead, list[0].Subject)
	assert.Equal(t, crm.SubjectSale, list[len(list)-1].Subject)
	assert.Equal(t, int64(1), kinds[lost].Version)
	assert.NotEmpty(t, kinds[lost].StageName)
	assert.Equal(t, "lost", kinds[lost].StageCode)
	assert.Equal(t, int64(2), kinds[stage].Version)
	assert.Equal(t, crm.SubjectLead, kinds[e.leadStage(leads.StageNew).ID].Subject)
}

func testPlaybookLeadWalk(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Лид")
	newStage := e.leadStage(leads.StageNew).ID
	e.require(newStage, "first_call", true)

	lead := e.lead("Анна", "Vesta", crm.ID{})
	steps := e.steps(activities.Query{LeadID: lead.ID})
	require.Contains(t, steps, "first_call", "entering new gives the owner the first call")
	call := steps["first_call"]
	assert.Equal(t, activities.Task, call.Kind)
	assert.Equal(t, e.user, call.OwnerID)
	assert.Equal(t, Epoch.Add(15*time.Minute), call.DueAt)
	assert.Equal(t, newStage, call.Step.StageID)
	assert.True(t, call.Step.Required)

	// The required call blocks the move forward, naming the step; nothing changes.
	_, err := e.leads.MoveLeadStage(e.ctx, lead.ID, 0, leads.StageInWork, "")
	assertStepOpen(t, err, "first_call")
	got, err := e.leads.GetLead(e.ctx, lead.ID)
	require.NoError(t, err)
	assert.Equal(t, leads.StageNew, got.Stage)

	// An unanswered call is an attempt, not a contact: the step stays open and still blocks.
	e.clock.Advance(2 * time.Minute)
	tried, err := e.acts.Create(e.ctx, activities.Input{Kind: activities.Call, Subject: "Звонок", LeadID: lead.ID})
	require.NoError(t, err)
	_, err = e.acts.Complete(e.ctx, tried.ID, 0, "не взял трубку", activities.NoAnswer)
	require.NoError(t, err)
	assert.Equal(t, activities.Open, e.steps(activities.Query{LeadID: lead.ID})["first_call"].Status)
	_, err = e.leads.MoveLeadStage(e.ctx, lead.ID, 0, leads.StageInWork, "")
	assertStepOpen(t, err, "first_call")

	// A call that reached the customer completes the step.
	e.clock.Advance(3 * time.Minute)
	made, err := e.acts.Create(e.ctx, activities.Input{Kind: activities.Call, Subject: "Звонок", LeadID: lead.ID})
	require.NoError(t, err)
	_, err = e.acts.Complete(e.ctx, made.ID, 0, "договорились", activities.Reached)
	require.NoError(t, err)
	steps = e.steps(activities.Query{LeadID: lead.ID})
	assert.Equal(t, activities.Done, steps["first_call"].Status)

	// Now it moves, and in_work's steps appear; a test drive booked completes "book a test drive".
	_, err = e.leads.MoveLeadStage(e.ctx, lead.ID, 0, leads.StageInWork, "")
	require.NoError(t, err)
	steps = e.steps(activities.Query{LeadID: lead.ID})
	require.Contains(t, steps, "needs")
	require.Contains(t, steps, "book_test_drive")
	assert.Equal(t, activities.Open, steps["book_test_drive"].Status)
	v := e.vehicle("Vesta", "1500000")
	e.testDrive(lead, v.ID, Epoch.Add(48*time.Hour+2*time.Hour))
	steps = e.steps(activities.Query{LeadID: lead.ID})
	assert.Equal(t, activities.Done, steps["book_test_drive"].Status)
	assert.Equal(t, activities.Open, steps["needs"].Status)

	// Stepping back is never refused; disqualifying is not either, and cancels the open steps.
	e.require(e.leadStage(leads.StageQualified).ID, "offer", true)
	_, err = e.leads.MoveLeadStage(e.ctx, lead.ID, 0, leads.StageQualified, "")
	require.NoError(t, err)
	_, err = e.leads.MoveLeadStage(e.ctx, lead.ID, 0, leads.StageInWork, "")
	require.NoError(t, err, "back to in_work with qualified's required offer open")
	_, err = e.leads.MoveLeadStage(e.ctx, lead.ID, 0, leads.StageDisqualified, "купил у конкурента")
	require.NoError(t, err)
	for key, a := range e.steps(activities.Query{LeadID: lead.ID}) {
		assert.NotEqual(t, activities.Open, a.Status, "step %s is left open on a disqualified lead", key)
	}
}

func testPlaybookSaleCredit(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Кредит")
	sale := e.open(e.customer("Заёмщик").ID, e.vehicle("Vesta", "1500000").ID)
	assert.Contains(t, e.steps(activities.Query{SaleID: sale.ID}), "contact")

	// A cash sale at the proposal gets no credit step; a credit one does, and it blocks the way on.
	proposal, negotiation := e.stage("proposal").ID, e.stage("negotiation").ID
	credit := sales.PayCredit
	sale, err := e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: proposal, Changes: sales.Changes{PaymentMethod: &credit}})
	require.NoError(t, err)
	steps := e.steps(activities.Query{SaleID: sale.ID})
	require.Contains(t, steps, "credit_application")
	assert.True(t, steps["credit_application"].Step.Required)
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: negotiation})
	assertStepOpen(t, err, "credit_application")

	e.apply(sale, e.program("Банк", "Автокредит"))
	steps = e.steps(activities.Query{SaleID: sale.ID})
	assert.Equal(t, activities.Done, steps["credit_application"].Status, "made by the application")
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: negotiation})
	require.NoError(t, err)

	cash := e.open(e.customer("Наличные").ID, crm.ID{})
	_, err = e.svc.EditSale(e.ctx, cash.ID, 0, sales.Edit{StageID: proposal})
	require.NoError(t, err)
	assert.NotContains(t, e.steps(activities.Query{SaleID: cash.ID}), "credit_application")
}

func testPlaybookSaleContract(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Договор")
	sale := e.open(e.customer("Покупатель").ID, e.vehicle("Vesta", "1500000").ID)
	sale, err := e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: e.stage("contract").ID})
	require.NoError(t, err)
	steps := e.steps(activities.Query{SaleID: sale.ID})
	require.Contains(t, steps, "purchase_contract")
	assert.Equal(t, activities.Open, steps["contact"].Status, "skipping stages leaves the steps of the first one")

	_, _, err = e.svc.WinSale(e.ctx, sale.ID, 0, sales.WinInput{})
	assertStepOpen(t, err, "purchase_contract")
	assert.Equal(t, sales.StatusOpen, e.getSale(sale.ID).Status)

	_, _, err = e.svc.GenerateContract(e.ctx, sale.ID, sales.ContractTerms{}, textRenderer{}, files.NewMemory())
	require.NoError(t, err)
	assert.Equal(t, activities.Done, e.steps(activities.Query{SaleID: sale.ID})["purchase_contract"].Status)
	won, _, err := e.svc.WinSale(e.ctx, sale.ID, 0, sales.WinInput{})
	require.NoError(t, err)
	assert.Equal(t, sales.StatusWon, won.Status)
	// A won sale is closed: the steps it left open (the first stage's contact) are cancelled, the done stay done.
	steps = e.steps(activities.Query{SaleID: sale.ID})
	assert.Equal(t, activities.Cancelled, steps["contact"].Status)
	assert.Equal(t, activities.Done, steps["purchase_contract"].Status)

	// A lost sale is never held by its steps, and its open ones are cancelled.
	lost := e.open(e.customer("Ушёл").ID, crm.ID{})
	_, err = e.svc.EditSale(e.ctx, lost.ID, 0, sales.Edit{StageID: e.stage("contract").ID})
	require.NoError(t, err)
	_, err = e.svc.LoseSale(e.ctx, lost.ID, 0, "дорого")
	require.NoError(t, err)
	for key, a := range e.steps(activities.Query{SaleID: lost.ID}) {
		assert.Equal(t, activities.Cancelled, a.Status, key)
	}
}

// testPlaybookConcurrentEdits: twenty editors holding one version; exactly one replaces the steps.
func testPlaybookConcurrentEdits(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Гонка")
	stage := e.stage("proposal").ID
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.pb.PutPlaybook(e.ctx, stage, 1, []playbooks.Step{{Key: fmt.Sprintf("s%d", i), Title: "Шаг"}})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
		}
	}
	assert.Equal(t, 1, ok)
	p, err := e.pb.GetPlaybook(e.ctx, stage)
	require.NoError(t, err)
	assert.EqualValues(t, 2, p.Version)
}

// testPlaybookConcurrentOwners: a lead imported without an owner gets its steps when one is assigned; twenty
// assignments at once give it each step once.
func testPlaybookConcurrentOwners(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Владелец")
	system := crm.WithActor(e.ctx, crm.ID{})
	lead, err := e.leads.CreateLead(system, leads.LeadInput{Contact: crm.Contact{FirstName: "Олег", Phones: []string{"+7 901 555-00-11"}},
		Source: leads.SourceWebsite, NeedType: "car_purchase"})
	require.NoError(t, err)
	assert.Empty(t, e.steps(activities.Query{LeadID: lead.ID}), "no owner, no steps")
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.leads.AssignLeadOwner(e.ctx, lead.ID, 0, e.user)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	page, err := e.acts.List(e.ctx, activities.Query{LeadID: lead.ID, Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "first_call", page.Items[0].Step.Key)
	assert.Equal(t, e.user, page.Items[0].OwnerID)
}
