package adaptertest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/dealercrm/dealercrm/timeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runTimeline: a customer with a full history (a lead walked through its stages, a test drive and its notice, a
// call made and done, the lead converted and the sale moved on with skipped stages recorded at one instant, a
// credit application made and submitted, an appraisal sheet, a service appointment) has one timeline, newest
// first, equal to the one built from the records by hand; paging with small limits gives it whole, without
// duplicates or gaps; another customer's and another dealer's are apart.
func runTimeline(t *testing.T, open Open) {
	t.Run("FullHistoryInOrder", func(t *testing.T) { testTimelineFullHistory(t, open) })
	t.Run("LeadLinkedLater", func(t *testing.T) { testTimelineLeadLinkedLater(t, open) })
}

func testTimelineFullHistory(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Лента")
	me := e.newUser("Менеджер Ленты")
	e.user, e.ctx = me, crm.WithActor(e.ctx, me)
	tl := timeline.NewService(crm.NewUnit[timeline.Stores](e.b, e.clock))
	acts := activities.NewService(crm.NewUnit[activities.Stores](e.b, e.clock), e.clock)
	step := func() { e.clock.Advance(time.Minute) }

	c := e.customer("Клиент с историей")
	other := e.customer("Другой клиент")
	lead, err := e.leads.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Ирина", LastName: "Котова",
		Phones: []string{"+7 903 100-20-30"}}, CustomerID: c.ID, Source: leads.SourceWebsite, NeedType: "car_purchase"})
	require.NoError(t, err)
	step()
	_, err = e.leads.MoveLeadStage(e.ctx, lead.ID, 0, leads.StageInWork, "")
	require.NoError(t, err)
	step()
	v := e.vehicle("Vesta", "1500000")
	drive := e.testDrive(lead, v.ID, Epoch.Add(50*time.Hour))
	step()
	call, err := acts.Create(e.ctx, activities.Input{Kind: activities.Call, Subject: "Перезвонить после тест-драйва", LeadID: lead.ID})
	require.NoError(t, err)
	step()
	_, err = acts.Complete(e.ctx, call.ID, 0, "Готова к сделке", activities.Reached)
	require.NoError(t, err)
	_, err = acts.Create(e.ctx, activities.Input{Kind: activities.Task, Subject: "Чужая задача", CustomerID: other.ID})
	require.NoError(t, err)
	meeting, err := acts.Create(e.ctx, activities.Input{Kind: activities.Meeting, Subject: "Встреча в салоне", CustomerID: c.ID})
	require.NoError(t, err)
	step()
	cancel := activities.InputOf(meeting)
	cancel.Status = activities.Cancelled
	_, err = acts.Update(e.ctx, meeting.ID, meeting.Version, cancel)
	require.NoError(t, err)
	step()
	step()
	sale, err := e.svc.ConvertLead(e.ctx, lead.ID, 0, sales.ConvertInput{VehicleID: v.ID})
	require.NoError(t, err)
	step()
	_, err = e.svc.EditSale(e.ctx, sale.ID, 0, sales.Edit{StageID: e.stage("proposal").ID})
	require.NoError(t, err)
	step()
	app := e.apply(sale, e.program("Банк", "Автокредит"))
	step()
	_, err = e.credit.SubmitApplication(e.ctx, app.ID, 0, "в банк")
	require.NoError(t, err)
	step()
	sheets := appraisal.NewService(crm.NewUnit[appraisal.Stores](e.b, e.clock), e.clock, appraisal.WithFiles(files.NewMemory()),
		appraisal.WithSniffer(http.DetectContentType))
	in := appraisalInput(7)
	in.CustomerID = c.ID
	sheet, err := sheets.CreateAppraisal(e.ctx, in)
	require.NoError(t, err)
	step()
	car, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: c.ID, VIN: catalog.VIN("Z94CB41AAGR777001"),
		Make: "Kia", Model: "Rio", Year: 2021, InServiceSince: Epoch.AddDate(0, -6, 0)})
	require.NoError(t, err)
	visit, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "1", Start: msk(24+10, 0),
		End: msk(24+11, 0), AdvisorID: me})
	require.NoError(t, err)

	// The oracle: the items built by hand from the records as the services return them.
	var want []timeline.Item
	lead, err = e.leads.GetLead(e.ctx, lead.ID)
	require.NoError(t, err)
	for i, h := range lead.History {
		want = append(want, timeline.Item{At: h.At, Kind: timeline.LeadStage, Actor: h.By, RecordType: timeline.RecordLead,
			RecordID: lead.ID, Seq: i, From: h.From, To: h.To, Text: h.Reason})
	}
	drive, err = e.leads.GetTestDrive(e.ctx, drive.ID)
	require.NoError(t, err)
	want = append(want, timeline.Item{At: drive.CreatedAt, Kind: timeline.TestDriveBooked, Actor: drive.BookedBy,
		RecordType: timeline.RecordTestDrive, RecordID: drive.ID, To: string(drive.Status)})
	call, err = acts.Get(e.ctx, call.ID)
	require.NoError(t, err)
	want = append(want,
		timeline.Item{At: call.CreatedAt, Kind: timeline.ActivityCreated, Actor: me, RecordType: timeline.RecordActivity, RecordID: call.ID,
			From: "call", Text: call.Subject},
		timeline.Item{At: call.CompletedAt, Kind: timeline.ActivityDone, Actor: me, RecordType: timeline.RecordActivity, RecordID: call.ID,
			Seq: 1, From: "call", Text: call.Result})
	meeting, err = acts.Get(e.ctx, meeting.ID)
	require.NoError(t, err)
	require.False(t, meeting.CompletedAt.IsZero(), "a cancelled activity says when it was cancelled")
	want = append(want,
		timeline.Item{At: meeting.CreatedAt, Kind: timeline.ActivityCreated, Actor: me, RecordType: timeline.RecordActivity,
			RecordID: meeting.ID, From: "meeting", Text: meeting.Subject},
		timeline.Item{At: meeting.CompletedAt, Kind: timeline.ActivityCancelled, Actor: me, RecordType: timeline.RecordActivity,
			RecordID: meeting.ID, Seq: 1, From: "meeting", Text: meeting.Subject})
	sale = e.getSale(sale.ID)
	require.Greater(t, len(sale.History), 3, "skipped stages are recorded")
	for i, h := range sale.History {
		want = append(want, timeline.Item{At: h.At, Kind: timeline.SaleStage, Actor: h.By, RecordType: timeline.RecordSale,
			RecordID: sale.ID, Seq: i, From: h.FromCode, To: h.ToCode, Text: h.Reason})
	}
	app, err = e.credit.GetApplication(e.ctx, app.ID)
	require.NoError(t, err)
	for i, h := range app.History {
		want = append(want, timeline.Item{At: h.At, Kind: timeline.CreditState, Actor: h.By, RecordType: timeline.RecordCreditApplication,
			RecordID: app.ID, Seq: i, From: string(h.From), To: string(h.To), Text: h.Comment})
	}
	sheet, err = sheets.GetAppraisal(e.ctx, sheet.ID)
	require.NoError(t, err)
	for i, h := range sheet.History {
		want = append(want, timeline.Item{At: h.At, Kind: timeline.AppraisalState, Actor: h.By, RecordType: timeline.RecordAppraisal,
			RecordID: sheet.ID, Seq: i, From: string(h.From), To: string(h.To), Text: h.Comment})
	}
	want = append(want, timeline.Item{At: visit.CreatedAt, Kind: timeline.ServiceAppointment, Actor: me,
		RecordType: timeline.RecordServiceAppointment, RecordID: visit.ID, To: string(visit.Status)})
	for i := range want {
		want[i].Summary = timeline.Summarize(want[i])
	}
	sortItems(want)

	all, err := tl.CustomerTimeline(e.ctx, c.ID, crm.MaxPageLimit, "")
	require.NoError(t, err)
	assert.Empty(t, all.NextCursor)
	var notices, rest []timeline.Item
	for _, it := range all.Items {
		if it.Kind == timeline.Notice {
			notices = append(notices, it)
		} else {
			rest = append(rest, it)
		}
	}
	assert.Equal(t, want, rest)
	require.NotEmpty(t, notices, "the test drive's notice to the customer")
	assert.Equal(t, "test_drive.booked", notices[0].From)
	assert.Equal(t, drive.CreatedAt, notices[0].At)
	for _, n := range notices {
		assert.Equal(t, string(crm.MessagePending), n.Status, "not yet relayed")
		assert.Empty(t, n.Reason)
	}

	kinds := map[timeline.Kind]bool{}
	for _, it := range all.Items {
		kinds[it.Kind] = true
	}
	for _, k := range timeline.Kinds() {
		assert.True(t, kinds[k], "the history has %s", k)
	}

	// Small pages give the same list: nothing twice, nothing missing.
	for _, limit := range []int{1, 2, 3, 7} {
		var paged []timeline.Item
		cursor := ""
		for pages := 0; ; pages++ {
			require.Less(t, pages, 200)
			page, err := tl.CustomerTimeline(e.ctx, c.ID, limit, cursor)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page.Items), limit)
			paged = append(paged, page.Items...)
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		assert.Equal(t, all.Items, paged, "limit %d", limit)
	}

	// Apart: the other customer has their one task; another dealer does not have the customer; a bad cursor.
	page, err := tl.CustomerTimeline(e.ctx, other.ID, 0, "")
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "task planned: Чужая задача", page.Items[0].Summary)
	ctxB, _ := NewDealer(t, e.b, "Чужой дилер")
	_, err = tl.CustomerTimeline(ctxB, c.ID, 0, "")
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	_, err = tl.CustomerTimeline(e.ctx, c.ID, 0, "not-a-cursor")
	assert.Equal(t, []string{"cursor"}, salesFields(err))
	// The relay gives up on the notices (no consent) or sends them: the timeline says which, and why.
	now := e.clock.Now()
	lease := crm.Lease{Token: crm.NewID(), Until: now.Add(time.Minute)}
	claimed := claim(t, e.b, e.ctx, lease, now.Add(time.Hour), 100)
	require.NotEmpty(t, claimed)
	outcome := map[crm.ID]string{}
	for i, m := range claimed {
		if i == 0 {
			require.NoError(t, mark(e.b, e.ctx, func(ctx context.Context, o crm.OutboxStore) error { return o.MarkSent(ctx, m.ID, lease.Token, now) }))
			outcome[m.ID] = "sent"
			continue
		}
		require.NoError(t, mark(e.b, e.ctx, func(ctx context.Context, o crm.OutboxStore) error {
			return o.MarkFailed(ctx, m.ID, lease.Token, crm.Failure{Reason: "no consent on email", At: now, Dead: true})
		}))
		outcome[m.ID] = "dead"
	}
	again, err := tl.CustomerTimeline(e.ctx, c.ID, crm.MaxPageLimit, "")
	require.NoError(t, err)
	for _, it := range again.Items {
		if it.Kind != timeline.Notice || outcome[it.RecordID] == "" {
			continue
		}
		assert.Equal(t, outcome[it.RecordID], it.Status, it.From)
		if it.Status == "dead" {
			assert.Equal(t, "no consent on email", it.Reason)
		} else {
			assert.Empty(t, it.Reason)
		}
	}
}

func sortItems(items []timeline.Item) {
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && timeline.Before(items[j], items[j-1]); j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
}

// testTimelineLeadLinkedLater: a lead's test drive, its activities and the customer's notice about the drive,
// made before the lead was linked to the customer (so they keep no customer of their own), are on the customer's
// timeline once it is linked; the staff's notices about the lead are not.
func testTimelineLeadLinkedLater(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Лента")
	me := e.newUser("Менеджер Ленты")
	e.user, e.ctx = me, crm.WithActor(e.ctx, me)
	tl := timeline.NewService(crm.NewUnit[timeline.Stores](e.b, e.clock))
	acts := activities.NewService(crm.NewUnit[activities.Stores](e.b, e.clock), e.clock)

	lead, err := e.leads.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Олег", LastName: "Сычёв",
		Phones: []string{"+7 903 555-20-31"}, Emails: []string{"oleg@example.ru"}}, Source: leads.SourceWebsite, NeedType: "car_purchase"})
	require.NoError(t, err)
	e.clock.Advance(time.Minute)
	drive := e.testDrive(lead, e.vehicle("Vesta", "1500000").ID, Epoch.Add(50*time.Hour))
	e.clock.Advance(time.Minute)
	call, err := acts.Create(e.ctx, activities.Input{Kind: activities.Call, Subject: "Подтвердить тест-драйв", LeadID: lead.ID})
	require.NoError(t, err)
	_, err = acts.Complete(e.ctx, call.ID, 0, "Подтвердил", activities.Reached)
	require.NoError(t, err)
	c := e.customer("Олег Сычёв")
	_, err = e.leads.LinkLeadCustomer(e.ctx, lead.ID, 0, c.ID)
	require.NoError(t, err)

	page, err := tl.CustomerTimeline(e.ctx, c.ID, crm.MaxPageLimit, "")
	require.NoError(t, err)
	seen := map[timeline.Kind][]crm.ID{}
	for _, it := range page.Items {
		seen[it.Kind] = append(seen[it.Kind], it.RecordID)
	}
	assert.Equal(t, []crm.ID{drive.ID}, seen[timeline.TestDriveBooked], "the lead's test drive")
	assert.Contains(t, seen[timeline.ActivityCreated], call.ID, "the lead's call")
	assert.Equal(t, []crm.ID{call.ID}, seen[timeline.ActivityDone], "the lead's call done")
	assert.NotEmpty(t, seen[timeline.Notice], "the notice of the booked drive to the customer")
}
