package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runActivities runs the activities section's own rules through its service: links checked (the dealer's,
// existing, the customer taken from them), every wrong field named with nothing saved, completion with a call's
// outcome, cancel and reopen, one completion of many at once, the owner's open and overdue lists with filters and
// pages, and dealer isolation.
func runActivities(t *testing.T, open Open) {
	t.Run("Records", func(t *testing.T) {
		RunRecords(t, open, Records[activities.Stores, activities.Activity]{
			New: func(d crm.Dealer, n int) activities.Activity {
				a, err := activities.New(d.ID, activities.Input{Kind: activities.Call, Subject: fmt.Sprintf("Перезвонить %d", n),
					CustomerID: crm.NewID(), OwnerID: crm.NewID(), DueAt: Epoch.Add(time.Duration(n) * time.Hour)}, crm.NewID(), Epoch)
				require.NoError(t, err)
				return a
			},
			Meta: func(a *activities.Activity) *crm.Meta { return &a.Meta },
			Create: func(ctx context.Context, s activities.Stores, a *activities.Activity) error {
				return s.Activities().Create(ctx, a)
			},
			Get: func(ctx context.Context, s activities.Stores, id crm.ID) (activities.Activity, error) {
				return s.Activities().Get(ctx, id)
			},
			Update: func(ctx context.Context, s activities.Stores, a *activities.Activity) error {
				return s.Activities().Update(ctx, a)
			},
			Edit: func(a *activities.Activity) {
				require.NoError(t, a.Complete("договорились о визите", activities.Reached, a.OwnerID, Epoch.Add(time.Hour)))
			},
			Same: func(t *testing.T, want, got activities.Activity) {
				want.Meta, got.Meta = crm.Meta{}, crm.Meta{}
				assert.Equal(t, want, got)
			},
		})
	})
	t.Run("LinksAreChecked", func(t *testing.T) { testActivityLinks(t, open) })
	t.Run("InvalidSavesNothing", func(t *testing.T) { testActivityInvalid(t, open) })
	t.Run("CompleteACall", func(t *testing.T) { testActivityComplete(t, open) })
	t.Run("CancelAndReopen", func(t *testing.T) { testActivityCancelReopen(t, open) })
	t.Run("ConcurrentCompletions", func(t *testing.T) { testActivityConcurrentCompletions(t, open) })
	t.Run("MyOpenAndOverdue", func(t *testing.T) { testActivityLists(t, open) })
	t.Run("DealerIsolation", func(t *testing.T) { testActivityIsolation(t, open) })
	t.Run("CustomerMergeMovesThem", func(t *testing.T) { testActivityMerge(t, open) })
}

type activityEnv struct {
	*salesEnv
	svc   *activities.Service
	owner crm.ID // a real user, the context's actor
}

func newActivityEnv(t *testing.T, b Backend, name string) *activityEnv {
	e := salesEnvOf(t, b, name)
	owner := e.newUser("Менеджер " + name)
	e.user, e.ctx = owner, crm.WithActor(e.ctx, owner)
	return &activityEnv{salesEnv: e, owner: owner,
		svc: activities.NewService(crm.NewUnit[activities.Stores](b, e.clock), e.clock)}
}

func (e *activityEnv) create(in activities.Input) activities.Activity {
	e.t.Helper()
	a, err := e.svc.Create(e.ctx, in)
	require.NoError(e.t, err)
	return a
}

func (e *activityEnv) list(q activities.Query) []activities.Activity {
	e.t.Helper()
	var out []activities.Activity
	for {
		page, err := e.svc.List(e.ctx, q)
		require.NoError(e.t, err)
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		q.Cursor = page.NextCursor
	}
}

func activityIDs(as []activities.Activity) []crm.ID {
	out := make([]crm.ID, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func testActivityLinks(t *testing.T, open Open) {
	e := newActivityEnv(t, open(t), "Дела")
	c := e.customer("Клиент")
	sale := e.open(c.ID, crm.ID{})
	lead := e.lead("Анна", "Vesta", crm.ID{})

	a := e.create(activities.Input{Kind: activities.Call, Subject: "Уточнить комплектацию", SaleID: sale.ID,
		DueAt: Epoch.Add(time.Hour)})
	assert.Equal(t, c.ID, a.CustomerID, "the customer comes from the sale")
	assert.Equal(t, e.owner, a.OwnerID, "the owner defaults to the acting user")
	assert.Equal(t, e.owner, a.CreatedBy)
	assert.Equal(t, activities.Open, a.Status)
	got, err := e.svc.Get(e.ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a.CustomerID, got.CustomerID)

	l := e.create(activities.Input{Kind: activities.Meeting, Subject: "Встреча в салоне", LeadID: lead.ID})
	assert.Equal(t, lead.ID, l.LeadID)
	assert.Equal(t, lead.CustomerID, l.CustomerID)

	other := e.customer("Другой")
	_, err = e.svc.Create(e.ctx, activities.Input{Kind: activities.Task, Subject: "x", SaleID: sale.ID, CustomerID: other.ID})
	require.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
	assert.Equal(t, []string{"customer_id"}, salesFields(err), "the sale is another customer's")

	// Another dealer's records are not found, however real.
	f := newActivityEnv(t, e.b, "Чужой")
	fc := f.customer("Чужой клиент")
	fs := f.open(fc.ID, crm.ID{})
	_, err = e.svc.Create(e.ctx, activities.Input{Kind: activities.Task, Subject: "x", SaleID: fs.ID, CustomerID: fc.ID,
		LeadID: crm.NewID(), CustomerVehicleID: crm.NewID(), OwnerID: f.owner})
	require.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
	assert.ElementsMatch(t, []string{"sale_id", "customer_id", "lead_id", "customer_vehicle_id", "owner_id"}, salesFields(err))
}

func testActivityInvalid(t *testing.T, open Open) {
	e := newActivityEnv(t, open(t), "Дела")
	long := make([]rune, activities.MaxSubject+1)
	for i := range long {
		long[i] = 'я'
	}
	_, err := e.svc.Create(e.ctx, activities.Input{Kind: "visit", Subject: string(long), Status: activities.Done})
	require.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
	assert.ElementsMatch(t, []string{"kind", "subject", "customer_id", "status"}, salesFields(err))
	_, err = e.svc.Create(e.ctx, activities.Input{Kind: activities.Task, Subject: " ", CustomerID: crm.NewID()})
	assert.ElementsMatch(t, []string{"subject", "customer_id"}, salesFields(err))
	assert.Empty(t, e.list(activities.Query{}), "nothing saved")

	// A note is done when written.
	c := e.customer("Клиент")
	n := e.create(activities.Input{Kind: activities.Note, Subject: "Клиент просил не звонить до обеда", CustomerID: c.ID})
	assert.Equal(t, activities.Done, n.Status)
	assert.Equal(t, e.clock.Now().UTC(), n.CompletedAt)
}

func testActivityComplete(t *testing.T, open Open) {
	e := newActivityEnv(t, open(t), "Дела")
	c := e.customer("Клиент")
	call := e.create(activities.Input{Kind: activities.Call, Subject: "Первый звонок", CustomerID: c.ID})
	_, err := e.svc.Complete(e.ctx, call.ID, call.Version, "", "")
	require.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
	assert.ElementsMatch(t, []string{"result", "outcome"}, salesFields(err))
	_, err = e.svc.Complete(e.ctx, call.ID, call.Version, "ok", "maybe")
	assert.Equal(t, []string{"outcome"}, salesFields(err))
	_, err = e.svc.Complete(e.ctx, call.ID, call.Version+1, "ok", activities.Reached)
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)

	e.clock.Advance(10 * time.Minute)
	done, err := e.svc.Complete(e.ctx, call.ID, call.Version, "Записан на тест-драйв", activities.Reached)
	require.NoError(t, err)
	assert.Equal(t, activities.Done, done.Status)
	assert.Equal(t, activities.Reached, done.Outcome)
	assert.Equal(t, "Записан на тест-драйв", done.Result)
	assert.Equal(t, e.owner, done.CompletedBy)
	assert.Equal(t, crm.StorageTime(e.clock.Now()), crm.StorageTime(done.CompletedAt))
	assert.EqualValues(t, 2, done.Version)
	got, err := e.svc.Get(e.ctx, call.ID)
	require.NoError(t, err)
	assert.Equal(t, activities.Reached, got.Outcome)
	assert.Equal(t, crm.StorageTime(done.CompletedAt), got.CompletedAt)

	_, err = e.svc.Complete(e.ctx, call.ID, 0, "ещё раз", activities.Busy)
	assert.True(t, errors.Is(err, activities.ErrNotOpen), "%v", err)
	assert.Equal(t, activities.CodeNotOpen, crm.CodeOf(err))

	task := e.create(activities.Input{Kind: activities.Task, Subject: "Подготовить КП", CustomerID: c.ID})
	_, err = e.svc.Complete(e.ctx, task.ID, 0, "готово", activities.Reached)
	assert.Equal(t, []string{"outcome"}, salesFields(err), "only a call has an outcome")
	done, err = e.svc.Complete(e.ctx, task.ID, 0, "готово", "")
	require.NoError(t, err)
	assert.Equal(t, activities.Outcome(""), done.Outcome)
}

func testActivityCancelReopen(t *testing.T, open Open) {
	e := newActivityEnv(t, open(t), "Дела")
	c := e.customer("Клиент")
	a := e.create(activities.Input{Kind: activities.Email, Subject: "Отправить прайс", CustomerID: c.ID})
	in := activities.InputOf(a)
	in.Status = activities.Cancelled
	a, err := e.svc.Update(e.ctx, a.ID, a.Version, in)
	require.NoError(t, err)
	assert.Equal(t, activities.Cancelled, a.Status)

	in = activities.InputOf(a)
	in.Subject = "Другая тема"
	_, err = e.svc.Update(e.ctx, a.ID, a.Version, in)
	assert.True(t, errors.Is(err, activities.ErrNotOpen), "a cancelled activity is not edited: %v", err)
	_, err = e.svc.Complete(e.ctx, a.ID, a.Version, "x", "")
	assert.True(t, errors.Is(err, activities.ErrNotOpen), "%v", err)

	in.Status = activities.Open
	a, err = e.svc.Update(e.ctx, a.ID, a.Version, in)
	require.NoError(t, err)
	assert.Equal(t, activities.Open, a.Status)
	assert.Equal(t, "Другая тема", a.Subject)

	a, err = e.svc.Complete(e.ctx, a.ID, a.Version, "отправлено", "")
	require.NoError(t, err)
	in = activities.InputOf(a)
	in.Status = activities.Open
	a, err = e.svc.Update(e.ctx, a.ID, a.Version, in)
	require.NoError(t, err)
	assert.Equal(t, activities.Open, a.Status, "reopened")
	assert.Empty(t, a.Result)
	assert.True(t, a.CompletedAt.IsZero())

	in = activities.InputOf(a)
	in.Status = activities.Done
	_, err = e.svc.Update(e.ctx, a.ID, a.Version, in)
	assert.Equal(t, []string{"status"}, salesFields(err), "done only through Complete")
	_, err = e.svc.Update(e.ctx, a.ID, a.Version-1, activities.InputOf(a))
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
}

func testActivityConcurrentCompletions(t *testing.T, open Open) {
	e := newActivityEnv(t, open(t), "Дела")
	c := e.customer("Клиент")
	a := e.create(activities.Input{Kind: activities.Call, Subject: "Звонок", CustomerID: c.ID})
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.Complete(e.ctx, a.ID, 0, fmt.Sprintf("итог %d", i), activities.Reached)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		assert.True(t, errors.Is(err, activities.ErrNotOpen) || errors.Is(err, crm.ErrStaleVersion), "%v", err)
	}
	assert.Equal(t, 1, ok, "exactly one completion wins")
	got, err := e.svc.Get(e.ctx, a.ID)
	require.NoError(t, err)
	assert.EqualValues(t, 2, got.Version)
}

func testActivityLists(t *testing.T, open Open) {
	e := newActivityEnv(t, open(t), "Дела")
	other := e.newUser("Коллега")
	c := e.customer("Клиент")
	sale := e.open(c.ID, crm.ID{})
	var mineOpen, mineOverdue []crm.ID
	for i := range 5 {
		e.clock.Advance(time.Minute)
		a := e.create(activities.Input{Kind: activities.Call, Subject: fmt.Sprintf("Звонок %d", i), SaleID: sale.ID,
			DueAt: Epoch.Add(time.Duration(i) * time.Hour)})
		mineOpen = append([]crm.ID{a.ID}, mineOpen...)
		if i < 2 { // due at Epoch and Epoch+1h; the clock will stand at Epoch+90m
			mineOverdue = append([]crm.ID{a.ID}, mineOverdue...)
		}
	}
	e.clock.Advance(time.Minute)
	noDue := e.create(activities.Input{Kind: activities.Task, Subject: "Без срока", CustomerID: c.ID})
	mineOpen = append([]crm.ID{noDue.ID}, mineOpen...)
	e.clock.Advance(time.Minute)
	theirs := e.create(activities.Input{Kind: activities.Task, Subject: "Чужое", CustomerID: c.ID, OwnerID: other, DueAt: Epoch})
	e.clock.Advance(time.Minute)
	done := e.create(activities.Input{Kind: activities.Task, Subject: "Сделано", CustomerID: c.ID, DueAt: Epoch})
	_, err := e.svc.Complete(e.ctx, done.ID, 0, "ok", "")
	require.NoError(t, err)
	e.clock.Set(Epoch.Add(90 * time.Minute))

	page, err := e.svc.MyOpen(e.ctx, 2, "")
	require.NoError(t, err)
	assert.Equal(t, mineOpen[:2], activityIDs(page.Items))
	all := activityIDs(page.Items)
	for page.NextCursor != "" {
		page, err = e.svc.MyOpen(e.ctx, 2, page.NextCursor)
		require.NoError(t, err)
		all = append(all, activityIDs(page.Items)...)
	}
	assert.Equal(t, mineOpen, all, "my open activities, newest first, over pages")

	over, err := e.svc.Overdue(e.ctx, e.owner, 0, "")
	require.NoError(t, err)
	assert.Equal(t, mineOverdue, activityIDs(over.Items), "open, due before now, mine")
	every, err := e.svc.Overdue(e.ctx, crm.ID{}, 0, "")
	require.NoError(t, err)
	assert.Equal(t, append([]crm.ID{theirs.ID}, mineOverdue...), activityIDs(every.Items), "every user's")

	assert.Len(t, e.list(activities.Query{SaleID: sale.ID}), 5)
	assert.Len(t, e.list(activities.Query{CustomerID: c.ID}), 8, "the sale's activities are the customer's too")
	assert.Equal(t, []crm.ID{theirs.ID}, activityIDs(e.list(activities.Query{OwnerID: other})))
	assert.Equal(t, []crm.ID{done.ID}, activityIDs(e.list(activities.Query{Status: activities.Done})))
	assert.Len(t, e.list(activities.Query{DueBefore: Epoch.Add(3 * time.Hour), Status: activities.Open}), 4)

	_, err = e.svc.List(e.ctx, activities.Query{Status: "late", Limit: -1, Cursor: "nope"})
	require.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
	assert.ElementsMatch(t, []string{"status", "limit", "cursor"}, salesFields(err))
}

func testActivityIsolation(t *testing.T, open Open) {
	b := open(t)
	e := newActivityEnv(t, b, "Первый")
	f := newActivityEnv(t, b, "Второй")
	a := e.create(activities.Input{Kind: activities.Task, Subject: "Моё", CustomerID: e.customer("Клиент").ID})
	_, err := f.svc.Get(f.ctx, a.ID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	_, err = f.svc.Complete(f.ctx, a.ID, 0, "x", "")
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	_, err = f.svc.Update(f.ctx, a.ID, 0, activities.InputOf(a))
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	assert.Empty(t, f.list(activities.Query{}))
	_, err = e.svc.List(context.Background(), activities.Query{})
	assert.True(t, errors.Is(err, crm.ErrForbidden), "no dealer: %v", err)
}

func testActivityMerge(t *testing.T, open Open) {
	e := newActivityEnv(t, open(t), "Дела")
	keep, dup := e.customer("Оставить"), e.customer("Дубликат")
	var moved []crm.ID
	for i := range 3 {
		moved = append(moved, e.create(activities.Input{Kind: activities.Call, Subject: fmt.Sprintf("Звонок %d", i), CustomerID: dup.ID}).ID)
	}
	kept := e.create(activities.Input{Kind: activities.Task, Subject: "Своё", CustomerID: keep.ID})
	_, m, err := customers.NewService(crm.NewUnit[customers.Stores](e.b, e.clock)).MergeCustomers(e.ctx,
		customers.Merge{KeepID: keep.ID, DuplicateID: dup.ID})
	require.NoError(t, err)
	assert.Equal(t, 3, m.Activities)
	assert.Empty(t, e.list(activities.Query{CustomerID: dup.ID}))
	assert.ElementsMatch(t, append(moved, kept.ID), activityIDs(e.list(activities.Query{CustomerID: keep.ID})))
}
