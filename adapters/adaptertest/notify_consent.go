package adaptertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/notify"
)

// runConsent runs consent per contact and channel: kept with when and where on both records, settled on edit,
// followed by the choice of channel for every notice, and withdrawn by the unsubscribe link for everything.
func runConsent(t *testing.T, open Open) {
	t.Run("StoredWithWhenAndWhere", func(t *testing.T) { testConsentStored(t, open) })
	t.Run("ChannelFollowsConsent", func(t *testing.T) { testChannelFollowsConsent(t, open) })
	t.Run("UnsubscribedCustomerGetsNothing", func(t *testing.T) { testUnsubscribedGetsNothing(t, open) })
	t.Run("ConsentGivenAgainIsEnough", func(t *testing.T) { testConsentGivenAgain(t, open) })
}

// marketing is consent to marketing on ch, given on a form.
func marketing(ch crm.ConsentChannel) crm.Consents {
	return crm.Consents{{Channel: ch, Purpose: crm.PurposeMarketing, Granted: true, Source: crm.ConsentFromForm}}
}

// grantMarketing gives every customer of the context's dealer consent to marketing by e-mail and SMS.
func grantMarketing(t *testing.T, b Backend, ctx context.Context) {
	t.Helper()
	err := crm.NewUnit[notify.Stores](b, nil).Update(ctx, func(ctx context.Context, st notify.Stores) error {
		cs, err := st.Customers().List(ctx, crm.ID{}, 1000)
		if err != nil {
			return err
		}
		for _, c := range cs {
			c.Consents = append(marketing(crm.ConsentEmail), marketing(crm.ConsentSMS)...).Settle(c.Consents, crm.Now(ctx))
			if err := st.Customers().Update(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(t, err)
}

func testConsentStored(t *testing.T, open Open) {
	e := newNotifyEnv(t, open(t), "Север", nil)
	cust := customers.NewService(crm.NewUnit[customers.Stores](e.b, e.clock))
	signed := Epoch.Add(-48 * time.Hour)
	c, err := cust.CreateCustomer(e.ctx, crm.Customer{Contact: crm.Contact{FirstName: "Ирина", Emails: []string{"irina@example.ru"},
		Consents: crm.Consents{
			{Channel: crm.ConsentEmail, Purpose: crm.PurposeMarketing, Granted: true, Source: crm.ConsentFromImport, At: signed},
			{Channel: crm.ConsentSMS, Purpose: crm.PurposeService, Granted: false},
		}}})
	require.NoError(t, err)
	got, err := cust.GetCustomer(e.ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, got.Consents, 2)
	mk, _ := got.Consents.Find(crm.ConsentEmail, crm.PurposeMarketing)
	assert.True(t, mk.Granted)
	assert.True(t, mk.At.Equal(signed), "an import keeps its time: %v", mk.At)
	assert.Equal(t, crm.ConsentFromImport, mk.Source)
	sv, _ := got.Consents.Find(crm.ConsentSMS, crm.PurposeService)
	assert.False(t, sv.Granted)
	assert.Equal(t, crm.ConsentFromAPI, sv.Source, "the default source")
	assert.True(t, sv.At.Equal(crm.StorageTime(e.clock.Now())))
	assert.True(t, got.Consents.Allows(crm.ConsentEmail, crm.PurposeService), "service without a word: allowed")
	assert.False(t, got.Consents.Allows(crm.ConsentSMS, crm.PurposeMarketing), "marketing without a word: not")

	// An edit repeating a word keeps its time; a new word is dated now; words not named are kept.
	e.clock.Advance(time.Hour)
	in := got
	in.Consents = crm.Consents{{Channel: crm.ConsentEmail, Purpose: crm.PurposeMarketing, Granted: true},
		{Channel: crm.ConsentSMS, Purpose: crm.PurposeMarketing, Granted: true, Source: crm.ConsentFromForm}}
	up, err := cust.UpdateCustomer(e.ctx, c.ID, got.Version, in)
	require.NoError(t, err)
	require.Len(t, up.Consents, 3)
	mk, _ = up.Consents.Find(crm.ConsentEmail, crm.PurposeMarketing)
	assert.True(t, mk.At.Equal(signed), "repeated: unchanged")
	smk, _ := up.Consents.Find(crm.ConsentSMS, crm.PurposeMarketing)
	assert.True(t, smk.At.Equal(crm.StorageTime(e.clock.Now())))
	_, kept := up.Consents.Find(crm.ConsentSMS, crm.PurposeService)
	assert.True(t, kept)

	// Wrong words are named; an unsubscribe link never grants.
	in.Consents = crm.Consents{{Channel: "fax", Purpose: crm.PurposeService, Granted: true},
		{Channel: crm.ConsentEmail, Purpose: "spam", Granted: true},
		{Channel: crm.ConsentSMS, Purpose: crm.PurposeService, Granted: true, Source: crm.ConsentFromUnsubscribe}}
	_, err = cust.UpdateCustomer(e.ctx, c.ID, up.Version, in)
	kindIs(t, err, crm.ErrInvalid)
	for _, f := range []string{"consents[0].channel", "consents[1].purpose", "consents[2].source"} {
		assert.True(t, hasField(err, f), "names %s: %v", f, err)
	}

	// A lead keeps its consents too, and an edit settles them the same way.
	l, err := e.svc.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Олег", Phones: []string{"+7 912 000 99 88"},
		Consents: marketing(crm.ConsentSMS)}, Source: leads.SourceWebsite, NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	l, err = e.svc.GetLead(e.ctx, l.ID)
	require.NoError(t, err)
	require.Len(t, l.Contact.Consents, 1)
	assert.Equal(t, crm.ConsentFromForm, l.Contact.Consents[0].Source)
	e.clock.Advance(time.Hour)
	edit := leads.LeadInput{Contact: l.Contact, Source: l.Source, NeedType: l.NeedType}
	edit.Contact.Consents = crm.Consents{{Channel: crm.ConsentSMS, Purpose: crm.PurposeMarketing, Granted: false}}
	l2, err := e.svc.UpdateLead(e.ctx, l.ID, l.Version, edit)
	require.NoError(t, err)
	require.Len(t, l2.Contact.Consents, 1)
	assert.False(t, l2.Contact.Consents[0].Granted)
	assert.True(t, l2.Contact.Consents[0].At.After(l.Contact.Consents[0].At))
	back, err := e.svc.GetLead(e.ctx, l.ID)
	require.NoError(t, err)
	assert.Equal(t, l2.Contact.Consents, back.Contact.Consents)
}

func testChannelFollowsConsent(t *testing.T, open Open) {
	e := newNotifyEnv(t, open(t), "Север", nil)
	_, err := e.notify.SetMailbox(e.ctx, 0, e.srv.Mailbox(notify.AuthPlain))
	require.NoError(t, err)
	withdrawn := func(ch crm.ConsentChannel) crm.Consents {
		return crm.Consents{{Channel: ch, Purpose: crm.PurposeService, Granted: false}}
	}
	book := func(c crm.Contact) leads.Lead {
		l, err := e.svc.CreateLead(e.ctx, leads.LeadInput{Contact: c, Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
		require.NoError(t, err)
		_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: e.vehicle(t).ID, Start: msk(24+10, 0)})
		require.NoError(t, err)
		return l
	}
	// Both details, the dealer prefers e-mail, but e-mail is withdrawn: an SMS.
	book(crm.Contact{FirstName: "Анна", Phones: []string{"+7 912 000 33 44"}, Emails: []string{"anna@example.ru"},
		Consents: withdrawn(crm.ConsentEmail)})
	// Only a phone, withdrawn: nothing, a dead letter saying why.
	silent := book(crm.Contact{FirstName: "Пётр", Phones: []string{"+7 912 000 11 22"}, Consents: withdrawn(crm.ConsentSMS)})
	e.relayAll(t)
	assert.Empty(t, e.srv.Messages(), "no e-mail to Anna")
	texts := e.sms.Sent()
	require.Len(t, texts, 1)
	assert.Equal(t, "+79120003344", texts[0].To)
	var dead crm.Message
	for _, m := range e.outbox(t) {
		if m.Data["lead_id"] == silent.ID.String() {
			dead = m
		}
	}
	assert.Equal(t, crm.MessageDead, dead.Status())
	assert.Contains(t, dead.LastError, "no consent on sms")
}

// testUnsubscribedGetsNothing is the check: an unsubscribed customer gets nothing. A customer and her
// lead (one e-mail, consent to marketing) get a booked notice and a campaign mail; she follows the campaign's
// link; then a second campaign, a new booking and its reminder send nothing to the SMTP server, each skipped
// with its reason, and both her records show consent withdrawn by the link.
func testUnsubscribedGetsNothing(t *testing.T, open Open) {
	e := newCampaignEnv(t, open(t), "Север")
	cust := customers.NewService(crm.NewUnit[customers.Stores](e.b, e.clock))
	const addr = "irina@example.ru"
	c, err := cust.CreateCustomer(e.ctx, crm.Customer{Contact: crm.Contact{FirstName: "Ирина", LastName: "Ким",
		Emails: []string{addr}, Phones: []string{"+7 912 555 66 77"}, Consents: marketing(crm.ConsentEmail)}})
	require.NoError(t, err)
	l, err := e.svc.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Ирина", LastName: "Ким",
		Emails: []string{addr}, Phones: []string{"+7 912 555 66 77"}, Consents: append(marketing(crm.ConsentEmail), marketing(crm.ConsentSMS)...)},
		CustomerID: c.ID, Source: leads.SourceWebsite,
		NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: e.vehicle(t).ID, Start: msk(2*24+10, 0)})
	require.NoError(t, err)
	first, err := e.notify.CreateCampaign(e.ctx, notify.Campaign{Name: "Ждём вас", Audience: notify.Audience{Kind: notify.AudienceTestDriveSoon, Days: 5}})
	require.NoError(t, err)
	_, err = e.notify.RunCampaign(e.ctx, first.ID)
	require.NoError(t, err)
	e.relayAll(t)
	before := e.srv.Messages()
	require.Len(t, before, 2, "the booked notice and the campaign mail")
	var link string
	for _, m := range before {
		if m.Subject == "Ждём вас" {
			raw := string(m.Raw)
			i := strings.Index(raw, "List-Unsubscribe: <") + len("List-Unsubscribe: <")
			link = raw[i : i+strings.Index(raw[i:], ">")]
		}
	}
	require.NotEmpty(t, link)
	tok, err := urlUnescape(link[strings.Index(link, "token=")+len("token="):])
	require.NoError(t, err)
	res, err := e.notify.Unsubscribe(context.Background(), tok)
	require.NoError(t, err)
	assert.Equal(t, notify.ChannelEmail, res.Channel)

	// Then: a campaign, a booking and its reminder.
	second, err := e.notify.CreateCampaign(e.ctx, notify.Campaign{Name: "Ещё раз", Audience: notify.Audience{Kind: notify.AudienceTestDriveSoon, Days: 5}})
	require.NoError(t, err)
	run, err := e.notify.RunCampaign(e.ctx, second.ID)
	require.NoError(t, err)
	assert.Equal(t, notify.RunResult{Skipped: 1}, run)
	d, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: e.vehicle(t).ID, Start: msk(24+10, 0)})
	require.NoError(t, err)
	queued, err := e.notify.QueueReminders(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, queued, "the reminder is queued (and not sent)")
	e.relayAll(t)
	e.clock.Advance(2 * time.Hour)
	e.relayAll(t)
	assert.Len(t, e.srv.Messages(), len(before), "nothing more arrives: %v", e.srv.Messages())
	assert.Empty(t, e.sms.Sent())

	rs, err := e.notify.ListRecipients(e.ctx, second.ID)
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Equal(t, notify.RecipientSkipped, rs[0].Status)
	assert.Equal(t, "no consent on email, sms", rs[0].Reason)
	reminder := notify.ReminderID(notify.KindTestDriveReminder, d.ID, d.Start)
	for _, m := range e.outbox(t) {
		if m.Data["test_drive_id"] == d.ID.String() {
			assert.Equal(t, crm.MessageDead, m.Status(), "%s %s", m.Topic, m.ID)
			assert.Contains(t, m.LastError, "no consent on email")
		}
	}
	var sawReminder bool
	for _, m := range e.outbox(t) {
		sawReminder = sawReminder || m.ID == reminder
	}
	assert.True(t, sawReminder)

	for _, who := range []crm.Contact{mustGetCustomer(t, cust, e.ctx, c.ID).Contact, mustGetLead(t, e.svc, e.ctx, l.ID).Contact} {
		for _, ch := range crm.ConsentChannels() { // the e-mail's link withdraws SMS too: nothing more, on any channel
			for _, p := range crm.ConsentPurposes() {
				got, ok := who.Consents.Find(ch, p)
				require.True(t, ok, "%s %s %s", who.FirstName, ch, p)
				assert.False(t, got.Granted)
				assert.Equal(t, crm.ConsentFromUnsubscribe, got.Source)
			}
		}
	}
}

func mustGetCustomer(t *testing.T, s *customers.Service, ctx context.Context, id crm.ID) crm.Customer {
	t.Helper()
	c, err := s.GetCustomer(ctx, id)
	require.NoError(t, err)
	return c
}

func mustGetLead(t *testing.T, s *leads.Service, ctx context.Context, id crm.ID) leads.Lead {
	t.Helper()
	l, err := s.GetLead(ctx, id)
	require.NoError(t, err)
	return l
}

// testConsentGivenAgain: consent is the one source of truth — a contact that unsubscribed and then gives marketing
// consent again gets the next campaign; no address list elsewhere still holds it back (issue 12 follow-up 3).
func testConsentGivenAgain(t *testing.T, open Open) {
	e := newCampaignEnv(t, open(t), "Север")
	const addr = "oleg@example.ru"
	l, err := e.svc.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Олег", LastName: "Ким",
		Emails: []string{addr}, Consents: marketing(crm.ConsentEmail)}, Source: leads.SourceWebsite,
		NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: e.vehicle(t).ID, Start: msk(2*24+10, 0)})
	require.NoError(t, err)
	_, err = e.notify.Unsubscribe(context.Background(), notify.UnsubscribeToken(unsubKey, e.dealer.ID, "lead:"+l.ID.String(), notify.ChannelEmail))
	require.NoError(t, err)
	run := func(name string) notify.RunResult {
		c, err := e.notify.CreateCampaign(e.ctx, notify.Campaign{Name: name, Audience: notify.Audience{Kind: notify.AudienceTestDriveSoon, Days: 5}})
		require.NoError(t, err)
		res, err := e.notify.RunCampaign(e.ctx, c.ID)
		require.NoError(t, err)
		return res
	}
	assert.Equal(t, notify.RunResult{Skipped: 1}, run("После отписки"))

	e.clock.Advance(time.Hour)
	cur := mustGetLead(t, e.svc, e.ctx, l.ID)
	in := leads.LeadInput{Contact: cur.Contact, Source: cur.Source, NeedType: cur.NeedType, Interest: cur.Interest}
	in.Contact.Consents = crm.Consents{{Channel: crm.ConsentEmail, Purpose: crm.PurposeMarketing, Granted: true, Source: crm.ConsentFromForm}}
	_, err = e.svc.UpdateLead(e.ctx, l.ID, cur.Version, in)
	require.NoError(t, err)
	assert.Equal(t, notify.RunResult{Queued: 1}, run("Снова с согласием"))
	e.relayAll(t)
	var got []string
	for _, m := range e.srv.Messages() {
		got = append(got, m.Subject)
	}
	assert.Contains(t, got, "Снова с согласием", "the campaign arrives at the SMTP server")
}
