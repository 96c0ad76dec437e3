package adaptertest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runLeadResponse: a lead's first contact is due by the dealer's target counted in its sales hours (a Friday
// evening lead on Monday morning); it is overdue only after that instant, not at it; its first completed call is its
// first contact, with the working minutes it took; twenty sweeps at once tell the owner and the managers of each
// breaching lead exactly once, and nobody else.
func runLeadResponse(t *testing.T, open Open) {
	t.Run("DueInWorkingHoursAndOverdueAfter", func(t *testing.T) { testResponseDue(t, open) })
	t.Run("ConcurrentSweepsTellOnce", func(t *testing.T) { testResponseSweeps(t, open) })
	t.Run("TellsTheOwnersManager", func(t *testing.T) { testResponseTellsTheManager(t, open) })
}

// mskAt is a Moscow wall-clock time of November–December 2026 (UTC+3).
func mskAt(day, h, m int) time.Time { return time.Date(2026, 11, day, h-3, m, 0, 0, time.UTC) }

func newResponseEnv(t *testing.T, open Open, name string) (*salesEnv, *activities.Service) {
	e := salesEnvOf(t, open(t), name)
	me := e.newUser("Менеджер " + name)
	e.user, e.ctx = me, crm.WithActor(e.ctx, me)
	_, err := e.leads.SetResponsePolicy(e.ctx, 0, leads.ResponsePolicy{Target: 15 * time.Minute, WorkdayStart: 9 * time.Hour,
		WorkdayEnd: 18 * time.Hour, Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		TimeZone: "Europe/Moscow"})
	require.NoError(t, err)
	return e, activities.NewService(crm.NewUnit[activities.Stores](e.b, e.clock), e.clock)
}

func testResponseDue(t *testing.T, open Open) {
	e, acts := newResponseEnv(t, open, "Ответ")
	e.clock.Set(mskAt(27, 17, 55)) // Friday 17:55: five working minutes left today
	friday := e.lead("Пятница", "Vesta", crm.ID{})
	assert.Equal(t, mskAt(30, 9, 10), friday.ResponseDueAt, "10 more working minutes on Monday")
	e.clock.Set(mskAt(28, 12, 0)) // Saturday
	saturday := e.lead("Суббота", "Granta", crm.ID{})
	assert.Equal(t, mskAt(30, 9, 15), saturday.ResponseDueAt)

	overdue := func() []crm.ID { // page by page, one lead a page: the keyset cursor loses and repeats nothing
		var out []crm.ID
		cursor := ""
		for range 10 {
			page, err := e.leads.ListOverdueResponses(e.ctx, cursor, 1)
			require.NoError(t, err)
			for _, l := range page.Items {
				out = append(out, l.ID)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		all, err := e.leads.ListOverdueResponses(e.ctx, "", 0)
		require.NoError(t, err)
		assert.Len(t, all.Items, len(out), "one page of the default size holds them all")
		assert.Empty(t, all.NextCursor)
		return out
	}
	e.clock.Set(mskAt(30, 9, 10)) // exactly at the due time: still in time
	assert.Empty(t, overdue())
	e.clock.Set(mskAt(30, 9, 11))
	assert.Equal(t, []crm.ID{friday.ID}, overdue())
	e.clock.Set(mskAt(30, 9, 16))
	assert.Equal(t, []crm.ID{friday.ID, saturday.ID}, overdue(), "the longest overdue first")
	_, err := e.leads.ListOverdueResponses(e.ctx, "not-a-cursor", 1)
	assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
	assert.Equal(t, []crm.FieldError{{Field: "cursor", Message: "is not a cursor of this list"}}, crm.FieldsOf(err))

	// An unanswered call is an attempt, not the first contact.
	tried, err := acts.Create(e.ctx, activities.Input{Kind: activities.Call, Subject: "Звонок", LeadID: friday.ID})
	require.NoError(t, err)
	_, err = acts.Complete(e.ctx, tried.ID, 0, "Занято", activities.Busy)
	require.NoError(t, err)
	got, err := e.leads.GetLead(e.ctx, friday.ID)
	require.NoError(t, err)
	assert.True(t, got.FirstResponseAt.IsZero(), "a busy line is no contact")

	// The first call that reached the customer is the first contact: 5 + 21 working minutes; a second changes nothing.
	call, err := acts.Create(e.ctx, activities.Input{Kind: activities.Call, Subject: "Перезвонить", LeadID: friday.ID})
	require.NoError(t, err)
	e.clock.Set(mskAt(30, 9, 21))
	_, err = acts.Complete(e.ctx, call.ID, 0, "Дозвонились", activities.Reached)
	require.NoError(t, err)
	got, err = e.leads.GetLead(e.ctx, friday.ID)
	require.NoError(t, err)
	assert.Equal(t, mskAt(30, 9, 21), got.FirstResponseAt)
	assert.Equal(t, 26, got.ResponseMinutes)
	again, err := acts.Create(e.ctx, activities.Input{Kind: activities.Meeting, Subject: "Встреча", LeadID: friday.ID})
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	_, err = acts.Complete(e.ctx, again.ID, 0, "Встретились", "")
	require.NoError(t, err)
	got, err = e.leads.GetLead(e.ctx, friday.ID)
	require.NoError(t, err)
	assert.Equal(t, 26, got.ResponseMinutes)
	assert.Equal(t, []crm.ID{saturday.ID}, overdue())

	// A note is no contact; a disqualified lead is no longer overdue.
	_, err = acts.Create(e.ctx, activities.Input{Kind: activities.Note, Subject: "Заметка", LeadID: saturday.ID})
	require.NoError(t, err)
	assert.Equal(t, []crm.ID{saturday.ID}, overdue())
	_, err = e.leads.MoveLeadStage(e.ctx, saturday.ID, 0, leads.StageDisqualified, "дубль")
	require.NoError(t, err)
	assert.Empty(t, overdue())
}

func testResponseSweeps(t *testing.T, open Open) {
	e, _ := newResponseEnv(t, open, "Обход")
	users := map[string]crm.User{}
	for _, u := range []crm.User{{Name: "Владелец", Email: "owner@example.org", Role: crm.RoleSalesManager},
		{Name: "Руководитель", Email: "boss@example.org", Role: crm.RoleAdmin},
		{Name: "Коллега", Email: "peer@example.org", Role: crm.RoleSalesManager}} {
		nu, err := crm.NewUser(e.dealer.ID, u, Epoch)
		require.NoError(t, err)
		require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s crm.Stores) error { return s.Users().Create(ctx, &nu) }))
		users[u.Name] = nu
	}
	e.clock.Set(mskAt(30, 10, 0))
	var ids []crm.ID
	for _, name := range []string{"Первый", "Второй"} {
		l, err := e.leads.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: name, Phones: []string{"+7 903 111-" + map[string]string{"Первый": "01-01", "Второй": "02-02"}[name]}},
			Source: leads.SourceWebsite, NeedType: "car_purchase", OwnerID: users["Владелец"].ID})
		require.NoError(t, err)
		ids = append(ids, l.ID)
	}
	n, err := e.leads.SweepOverdueResponses(e.ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing is due yet")
	e.clock.Set(mskAt(30, 10, 16))

	const sweeps = 20
	var wg sync.WaitGroup
	counts := make([]int, sweeps)
	for i := range sweeps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			counts[i], err = e.leads.SweepOverdueResponses(e.ctx)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	assert.Equal(t, 2, total, "each lead told about once")

	var msgs []crm.Message
	require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).View(e.ctx, func(ctx context.Context, s crm.Stores) (err error) {
		msgs, err = s.Outbox().List(ctx, 100)
		return err
	}))
	told := map[string]int{}
	for _, m := range msgs {
		if m.Topic == leads.TopicResponseOverdue {
			told[m.Data["lead_id"]+" "+m.Recipient]++
		}
	}
	want := map[string]int{}
	for _, id := range ids {
		want[id.String()+" owner@example.org"] = 1
		want[id.String()+" boss@example.org"] = 1
	}
	assert.Equal(t, want, told, "the owner and the manager, once per lead; not the colleague")
	for _, id := range ids {
		l, err := e.leads.GetLead(e.ctx, id)
		require.NoError(t, err)
		assert.Equal(t, mskAt(30, 10, 16), l.ResponseBreachNotifiedAt)
	}
	n, err = e.leads.SweepOverdueResponses(e.ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
}
