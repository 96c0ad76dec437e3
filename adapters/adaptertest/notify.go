package adaptertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/adapters/noticetmpl"
	"github.com/dealercrm/dealercrm/adapters/sms"
	"github.com/dealercrm/dealercrm/adapters/smtp"
	"github.com/dealercrm/dealercrm/adapters/smtp/smtptest"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/notify"
	"github.com/dealercrm/dealercrm/sales"
)

// runNotify runs the notices section through its service: mailbox settings (secrets kept, replaced, never
// shown; one of racing writers wins), templates (the dealer's own over the default, one per kind and language),
// and delivery through a real SMTP server (a booked test drive's notice arrives once, in UTF-8, with a stable
// Message-ID; a server failing half the sends and a relay restarted mid-way still deliver each message once).
func runNotify(t *testing.T, open Open) {
	t.Run("MailboxSecretsAreKeptNotShown", func(t *testing.T) { testMailboxSecrets(t, open) })
	t.Run("MailboxInvalidNamesFields", func(t *testing.T) { testMailboxInvalid(t, open) })
	t.Run("MailboxOneOfRacingWritersWins", func(t *testing.T) { testMailboxRace(t, open) })
	t.Run("MailboxDealerIsolation", func(t *testing.T) { testMailboxIsolation(t, open) })
	t.Run("TemplatesOwnOverDefault", func(t *testing.T) { testTemplates(t, open) })
	t.Run("BookedNoticeReachesSMTPOnce", func(t *testing.T) { testBookedNoticeReachesSMTP(t, open) })
	t.Run("HalfFailingRestartedRelayDeliversOnce", func(t *testing.T) { testFlakyRelay(t, open) })
	t.Run("RefusedWith5xxIsDeadAtOnce", func(t *testing.T) { testRefused5xx(t, open) })
	t.Run("ChannelFromDetailsAndPreference", func(t *testing.T) { testChannels(t, open) })
	t.Run("TestDriveReminderOnceEvenRacing", func(t *testing.T) { testTestDriveReminders(t, open) })
	t.Run("NoReminderForCancelledOrMovedBooking", func(t *testing.T) { testRemindersSkipChangedBookings(t, open) })
	t.Run("ServiceReminderOnceEvenRacing", func(t *testing.T) { testServiceReminders(t, open) })
}

// notifyEnv is a dealer with leads and the notices service sending through a real SMTP server.
type notifyEnv struct {
	*leadsEnv
	sms    *sms.Recorder
	srv    *smtptest.Server
	notify *notify.Service
	relay  *crm.Relay
}

func newNotifyEnv(t *testing.T, b Backend, name string, change func(*smtp.Catcher)) *notifyEnv {
	t.Helper()
	e := newLeadsEnvOn(t, b, name)
	srv := smtptest.Start(t, false, change)
	rec := &sms.Recorder{}
	svc := notify.NewService(crm.NewUnit[notify.Stores](b, e.clock), e.clock, notify.WithMailer(srv.Mailer()),
		notify.WithRenderer(noticetmpl.Renderer{}), notify.WithSMS(rec))
	relay := crm.NewRelay(crm.NewUnit[crm.Stores](b, e.clock), svc.Notifier(), e.clock)
	return &notifyEnv{leadsEnv: e, sms: rec, srv: srv, notify: svc, relay: relay}
}

func testMailboxSecrets(t *testing.T, open Open) {
	e := newNotifyEnv(t, open(t), "Север", nil)
	got, err := e.notify.GetMailbox(e.ctx)
	require.NoError(t, err)
	assert.False(t, got.Configured())
	assert.EqualValues(t, 0, got.Version)

	in := e.srv.Mailbox(notify.AuthPlain)
	m, err := e.notify.SetMailbox(e.ctx, 0, in)
	require.NoError(t, err)
	assert.EqualValues(t, 1, m.Version)
	assert.True(t, m.Configured())
	got, err = e.notify.GetMailbox(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, smtptest.Password, got.Password.Reveal(), "kept to send with")
	assert.Equal(t, 24*time.Hour, got.ReminderLead, "the default lead time")

	// Nothing that prints, logs or encodes the settings shows the password.
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("mailbox", "settings", got, "password", got.Password)
	js, err := json.Marshal(got)
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprintf("%v", got), fmt.Sprintf("%+v", got), fmt.Sprintf("%#v", got),
		fmt.Sprint(got.Password), logs.String(), string(js)} {
		assert.NotContains(t, s, smtptest.Password)
		assert.NotContains(t, s, "app-password")
	}
	assert.Contains(t, logs.String(), "[redacted]")

	// Once stored, a write that read none (an HTTP PUT without If-Match) is refused.
	_, err = e.notify.SetMailbox(e.ctx, notify.MailboxAbsent, in)
	assert.ErrorIs(t, err, notify.ErrMailboxVersionRequired)
	kindIs(t, err, crm.ErrStaleVersion)

	// Not given: kept. Given: replaced. Auth none: cleared.
	in.Password, in.FromName = nil, "Север Авто"
	m, err = e.notify.SetMailbox(e.ctx, 1, in)
	require.NoError(t, err)
	assert.Equal(t, smtptest.Password, m.Password.Reveal())
	assert.Equal(t, "Север Авто", m.FromName)
	pw := notify.Secret("new-app-password")
	in.Password = &pw
	m, err = e.notify.SetMailbox(e.ctx, 2, in)
	require.NoError(t, err)
	assert.Equal(t, "new-app-password", m.Password.Reveal())
	in.Auth, in.Password = notify.AuthNone, nil
	m, err = e.notify.SetMailbox(e.ctx, 3, in)
	require.NoError(t, err)
	assert.False(t, m.Password.IsSet(), "no login: no secret kept")
	in.Auth = notify.AuthPlain
	_, err = e.notify.SetMailbox(e.ctx, 4, in)
	kindIs(t, err, crm.ErrInvalid)
	assert.True(t, hasField(err, "password"), "plain needs a password again")
	// An empty secret removes the stored one.
	in.Password = &pw
	_, err = e.notify.SetMailbox(e.ctx, 4, in)
	require.NoError(t, err)
	empty := notify.Secret("")
	in.Password = &empty
	_, err = e.notify.SetMailbox(e.ctx, 5, in)
	kindIs(t, err, crm.ErrInvalid)
	assert.True(t, hasField(err, "password"), "plain needs a password again")
	assert.NotContains(t, err.Error(), "new-app-password")
}

func testMailboxInvalid(t *testing.T, open Open) {
	e := newNotifyEnv(t, open(t), "Север", nil)
	_, err := e.notify.SetMailbox(e.ctx, 0, notify.MailboxInput{FromAddress: "not an address", Host: "smtp host",
		Port: 70000, Security: "ssl", Auth: notify.AuthXOAuth2, Language: "de", Prefer: "fax", ReplyTo: "x"})
	kindIs(t, err, crm.ErrInvalid)
	for _, f := range []string{"from_address", "host", "port", "security", "username", "oauth_token_url",
		"oauth_client_id", "oauth_refresh_token", "language", "prefer", "reply_to"} {
		assert.True(t, hasField(err, f), "names %s: %v", f, err)
	}
	pw := notify.Secret("x")
	_, err = e.notify.SetMailbox(e.ctx, 0, notify.MailboxInput{FromAddress: "a@b.ru", Host: "h", Security: notify.NoTLS,
		Auth: notify.AuthPlain, Username: "u", Password: &pw})
	assert.True(t, hasField(err, "security"), "no credentials in clear")
	got, err := e.notify.GetMailbox(e.ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 0, got.Version, "nothing stored")
}

func testMailboxRace(t *testing.T, open Open) {
	e := newNotifyEnv(t, open(t), "Север", nil)
	_, err := e.notify.SetMailbox(e.ctx, 0, e.srv.Mailbox(notify.AuthPlain))
	require.NoError(t, err)
	const n = 20
	var ok, stale atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := e.srv.Mailbox(notify.AuthPlain)
			in.FromName = fmt.Sprintf("Writer %d", i)
			_, err := e.notify.SetMailbox(e.ctx, 1, in)
			switch {
			case err == nil:
				ok.Add(1)
			case crm.KindOf(err) == crm.KindStaleVersion:
				stale.Add(1)
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 1, ok.Load())
	assert.EqualValues(t, n-1, stale.Load())
	got, err := e.notify.GetMailbox(e.ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, got.Version)
}

func testMailboxIsolation(t *testing.T, open Open) {
	b := open(t)
	a := newNotifyEnv(t, b, "Север", nil)
	other := newNotifyEnv(t, b, "Юг", nil)
	_, err := a.notify.SetMailbox(a.ctx, 0, a.srv.Mailbox(notify.AuthPlain))
	require.NoError(t, err)
	got, err := other.notify.GetMailbox(other.ctx)
	require.NoError(t, err)
	assert.False(t, got.Configured(), "another dealer's settings are not seen")
	_, err = a.notify.GetMailbox(context.Background())
	kindIs(t, err, crm.ErrForbidden)
}

func testTemplates(t *testing.T, open Open) {
	b := open(t)
	e := newNotifyEnv(t, b, "Север", nil)
	other := newNotifyEnv(t, b, "Юг", nil)
	def, err := e.notify.GetTemplate(e.ctx, notify.KindTestDriveBooked, "ru")
	require.NoError(t, err)
	assert.EqualValues(t, 0, def.Version)
	assert.Contains(t, def.Subject, "Тест-драйв")
	all, err := e.notify.ListTemplates(e.ctx)
	require.NoError(t, err)
	assert.Len(t, all, len(notify.Kinds())*len(notify.Languages()))

	own := notify.Template{Kind: notify.KindTestDriveBooked, Language: "ru", Subject: "Ждём вас {{.date}}",
		Text: "{{.name}}, ждём вас {{.date}} в {{.time}}.", HTML: "<p>{{.name}}, ждём вас {{.date}} в {{.time}}.</p>"}
	saved, err := e.notify.SaveTemplate(e.ctx, 0, own)
	require.NoError(t, err)
	assert.EqualValues(t, 1, saved.Version)
	got, err := e.notify.GetTemplate(e.ctx, notify.KindTestDriveBooked, "ru")
	require.NoError(t, err)
	assert.Equal(t, own.Subject, got.Subject)
	_, err = e.notify.SaveTemplate(e.ctx, 5, own)
	kindIs(t, err, crm.ErrStaleVersion)
	own.Subject = "Ждём вас {{.date"
	_, err = e.notify.SaveTemplate(e.ctx, 1, own)
	kindIs(t, err, crm.ErrInvalid)
	assert.True(t, hasField(err, "subject"), "%v", err)
	// A variable the kind's messages do not carry is refused, named with its part, also in a branch the sample
	// facts never take; the dealer's template stays as it was.
	own.Subject, own.Text = "Ждём вас {{.date}}", "{{.Custmer.Name}}, ждём вас."
	own.HTML = "{{if .name}}<p>{{.vehicel}}</p>{{end}}"
	_, err = e.notify.SaveTemplate(e.ctx, 1, own)
	kindIs(t, err, crm.ErrInvalid)
	for field, variable := range map[string]string{"text": "{{.Custmer.Name}}", "html": "{{.vehicel}}"} {
		assert.True(t, hasField(err, field), "%v", err)
		assert.Contains(t, err.Error(), variable)
	}
	_, err = e.notify.PreviewTemplate(own, nil)
	kindIs(t, err, crm.ErrInvalid)
	got, err = e.notify.GetTemplate(e.ctx, notify.KindTestDriveBooked, "ru")
	require.NoError(t, err)
	assert.EqualValues(t, 1, got.Version)
	_, err = e.notify.CreateCampaign(e.ctx, notify.Campaign{Name: "x", Subject: "{{.campaign}}", Text: "{{.Custmer}}",
		Audience: notify.Audience{Kind: notify.AudienceTestDriveSoon, Days: 1}})
	assert.True(t, hasField(err, "text"), "a campaign's own template too: %v", err)
	// Every kind's shipped default is accepted as the dealer's own.
	for _, k := range notify.Kinds() {
		for _, l := range notify.Languages() {
			d, _ := notify.Default(k, l)
			_, err := other.notify.PreviewTemplate(d, nil)
			assert.NoError(t, err, "%s/%s", k, l)
		}
	}

	theirs, err := other.notify.GetTemplate(other.ctx, notify.KindTestDriveBooked, "ru")
	require.NoError(t, err)
	assert.EqualValues(t, 0, theirs.Version, "another dealer keeps the default")

	// The store holds one template per kind and language.
	err = crm.NewUnit[notify.Stores](b, nil).Update(e.ctx, func(ctx context.Context, s notify.Stores) error {
		dup := notify.Template{Kind: notify.KindTestDriveBooked, Language: "ru", Subject: "x", Text: "y"}
		return s.Templates().Save(ctx, &dup)
	})
	kindIs(t, err, crm.ErrConflict)

	// Customer data cannot inject markup into the HTML part.
	r, err := e.notify.PreviewTemplate(got, map[string]string{"name": `<script>alert(1)</script>`, "date": "01.12.2026", "time": "10:00"})
	require.NoError(t, err)
	assert.NotContains(t, r.HTML, "<script>")
	assert.Contains(t, r.HTML, "&lt;script&gt;")
	assert.Contains(t, r.Text, "<script>", "the text part is text")
}

// book books a test drive of a new car for a new lead tomorrow at 10:00 Moscow time.
func (e *notifyEnv) book(t *testing.T, first string) (leads.Lead, leads.TestDrive) {
	t.Helper()
	l := e.lead(t, first)
	v := e.vehicle(t)
	d, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(24+10, 0)})
	require.NoError(t, err)
	return l, d
}

func testBookedNoticeReachesSMTP(t *testing.T, open Open) {
	e := newNotifyEnv(t, open(t), "Север", nil)
	_, err := e.notify.SetMailbox(e.ctx, 0, e.srv.Mailbox(notify.AuthPlain))
	require.NoError(t, err)
	l, _ := e.book(t, "Иван")
	queued := e.outbox(t)
	require.Len(t, queued, 1)

	n, err := e.relay.RunOnce(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = e.relay.RunOnce(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, n, "sent once")

	got := e.srv.Messages()
	require.Len(t, got, 1)
	m := got[0]
	assert.Equal(t, []string{l.Contact.Emails[0]}, m.To)
	assert.Equal(t, "Тест-драйв Lada Vesta Comfort 2026 28.11.2026 в 10:00", m.Subject)
	assert.Contains(t, m.Text, "Здравствуйте, Иван!")
	assert.Contains(t, m.HTML, "Здравствуйте, Иван!")
	assert.Contains(t, m.Text, "Север")
	assert.Equal(t, smtp.MessageID(queued[0].ID, smtptest.User), m.MessageID, "derived from the outbox message")
	assert.True(t, m.TLS)
	sent := e.outbox(t)
	assert.Equal(t, crm.MessageSent, sent[0].Status())
}

func testFlakyRelay(t *testing.T, open Open) {
	var calls atomic.Int64
	e := newNotifyEnv(t, open(t), "Север", func(c *smtp.Catcher) {
		c.Reject = func(smtp.Caught) error {
			if calls.Add(1)%2 == 1 { // every other message is refused for now
				return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
			}
			return nil
		}
	})
	_, err := e.notify.SetMailbox(e.ctx, 0, e.srv.Mailbox(notify.AuthPlain))
	require.NoError(t, err)
	const k = 12
	for i := range k {
		e.book(t, fmt.Sprintf("Клиент%d", i))
	}
	queued := e.outbox(t)
	require.Len(t, queued, k)

	// The first relay stops after its fourth send (a restart): its outcomes are recorded, the rest left due.
	ctx, stop := context.WithCancel(e.ctx)
	var sends atomic.Int32
	first := crm.NewRelay(crm.NewUnit[crm.Stores](e.b, e.clock), notifierFunc(func(ctx context.Context, m crm.Message) error {
		err := e.notify.Notifier().Send(ctx, m)
		if sends.Add(1) == 4 {
			stop()
		}
		return err
	}), e.clock)
	_, _ = first.RunOnce(ctx)
	assert.EqualValues(t, 4, sends.Load())

	// A new relay goes on; failed sends come back after their backoff.
	second := crm.NewRelay(crm.NewUnit[crm.Stores](e.b, e.clock), e.notify.Notifier(), e.clock)
	for round := 0; round < 20; round++ {
		_, err := second.RunOnce(e.ctx)
		require.NoError(t, err)
		e.clock.Advance(time.Hour)
	}
	ids := map[string]int{}
	for _, m := range e.srv.Messages() {
		ids[m.MessageID]++
	}
	assert.Len(t, ids, k, "every message delivered")
	for id, n := range ids {
		assert.Equal(t, 1, n, "%s delivered once", id)
	}
	for _, m := range e.outbox(t) {
		assert.Equal(t, crm.MessageSent, m.Status())
		assert.True(t, m.Attempts >= 1)
		if m.Attempts > 1 {
			assert.True(t, strings.Contains(m.LastError, "451"), "the last failure kept: %q", m.LastError)
		}
	}
	assert.Greater(t, calls.Load(), int64(k), "some sends were refused and retried")
}

type notifierFunc func(ctx context.Context, m crm.Message) error

func (f notifierFunc) Send(ctx context.Context, m crm.Message) error { return f(ctx, m) }

// relayAll runs the relay until nothing is due.
func (e *notifyEnv) relayAll(t *testing.T) {
	t.Helper()
	for range 5 {
		n, err := e.relay.RunOnce(e.ctx)
		require.NoError(t, err)
		if n == 0 {
			return
		}
	}
}

func testChannels(t *testing.T, open Open) {
	e := newNotifyEnv(t, open(t), "Север", nil)
	in := e.srv.Mailbox(notify.AuthPlain)
	_, err := e.notify.SetMailbox(e.ctx, 0, in)
	require.NoError(t, err)
	book := func(c crm.Contact) leads.Lead {
		l, err := e.svc.CreateLead(e.ctx, leads.LeadInput{Contact: c, Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
		require.NoError(t, err)
		v := e.vehicle(t)
		_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(24+10, 0)})
		require.NoError(t, err)
		return l
	}
	book(crm.Contact{FirstName: "Пётр", Phones: []string{"+7 (912) 000-11-22"}})
	book(crm.Contact{FirstName: "Анна", Phones: []string{"+7 912 000 33 44"}, Emails: []string{"anna@example.ru"}})
	e.relayAll(t)
	texts := e.sms.Sent()
	require.Len(t, texts, 1, "a lead with only a phone gets an SMS")
	assert.Equal(t, "+79120001122", texts[0].To)
	assert.Contains(t, texts[0].Text, "Здравствуйте, Пётр!")
	mails := e.srv.Messages()
	require.Len(t, mails, 1, "one with both gets what the dealer prefers: e-mail")
	assert.Equal(t, []string{"anna@example.ru"}, mails[0].To)

	in.Password, in.Prefer = nil, notify.ChannelSMS
	_, err = e.notify.SetMailbox(e.ctx, 1, in)
	require.NoError(t, err)
	book(crm.Contact{FirstName: "Олег", Phones: []string{"+7 912 000 55 66"}, Emails: []string{"oleg@example.ru"}})
	e.relayAll(t)
	texts = e.sms.Sent()
	require.Len(t, texts, 2, "the dealer now prefers SMS")
	assert.Equal(t, "+79120005566", texts[1].To)
	assert.Len(t, e.srv.Messages(), 1)

	// Nowhere to send: a dead letter with the reason, at once.
	l, err := e.svc.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Безадреса", Phones: []string{"+7 912 000 77 88"}},
		Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s crm.Stores) error {
		return s.Outbox().Enqueue(ctx, &crm.Message{Topic: string(notify.KindCampaign), Data: map[string]string{"note": l.ID.String()},
			CreatedAt: Epoch})
	}))
	e.relayAll(t)
	dead := 0
	for _, m := range e.outbox(t) {
		if m.Status() == crm.MessageDead {
			dead++
			assert.Equal(t, 1, m.Attempts)
			assert.Contains(t, m.LastError, "no address")
		}
	}
	assert.Equal(t, 1, dead)
}

func testTestDriveReminders(t *testing.T, open Open) {
	e := newNotifyEnv(t, open(t), "Север", nil)
	_, err := e.notify.SetMailbox(e.ctx, 0, e.srv.Mailbox(notify.AuthPlain))
	require.NoError(t, err)
	l, d := e.book(t, "Иван") // tomorrow 10:00 Moscow: 22 hours ahead
	far := e.lead(t, "Дальний")
	v := e.vehicle(t)
	_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: far.ID, VehicleID: v.ID, Start: msk(3*24+10, 0)})
	require.NoError(t, err)

	const n = 20
	var wg sync.WaitGroup
	var total atomic.Int64
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := e.notify.QueueReminders(e.ctx)
			assert.NoError(t, err)
			total.Add(int64(k))
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 1, total.Load(), "one reminder of %d racing runs, none for the drive in three days", n)
	k, err := e.notify.QueueReminders(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, k, "never twice")
	e.relayAll(t)

	var reminder smtp.Caught
	reminders := 0
	for _, m := range e.srv.Messages() {
		if strings.HasPrefix(m.Subject, "Напоминание") {
			reminder = m
			reminders++
		}
	}
	require.Equal(t, 1, reminders, "one reminder received (beside the two booked notices)")
	require.Len(t, e.srv.Messages(), 3)
	assert.Equal(t, "Напоминание: тест-драйв Lada Vesta Comfort 2026 28.11.2026 в 10:00", reminder.Subject)
	assert.Equal(t, []string{l.Contact.Emails[0]}, reminder.To)
	assert.Equal(t, smtp.MessageID(notify.ReminderID(notify.KindTestDriveReminder, d.ID, d.Start), smtptest.User), reminder.MessageID)
	assert.Contains(t, reminder.Text, "Здравствуйте, Иван!")

	// A day later the far drive comes within the lead time: its own reminder, once.
	e.clock.Advance(2 * 24 * time.Hour)
	k, err = e.notify.QueueReminders(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, k)
}

func testRemindersSkipChangedBookings(t *testing.T, open Open) {
	e := newNotifyEnv(t, open(t), "Север", nil)
	_, err := e.notify.SetMailbox(e.ctx, 0, e.srv.Mailbox(notify.AuthPlain))
	require.NoError(t, err)
	_, cancelled := e.book(t, "Отменил")
	_, err = e.svc.CancelTestDrive(e.ctx, cancelled.ID, 0, "передумал")
	require.NoError(t, err)
	k, err := e.notify.QueueReminders(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, k, "no reminder for a cancelled drive")

	// Queued, then cancelled before the relay ran: not sent, a dead letter naming why.
	_, late := e.book(t, "Поздний")
	k, err = e.notify.QueueReminders(e.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, k)
	_, err = e.svc.CancelTestDrive(e.ctx, late.ID, 0, "передумал")
	require.NoError(t, err)
	e.relayAll(t)
	for _, m := range e.srv.Messages() {
		assert.NotContains(t, m.Subject, "Напоминание")
	}
	id := notify.ReminderID(notify.KindTestDriveReminder, late.ID, late.Start)
	for _, m := range e.outbox(t) {
		if m.ID == id {
			assert.Equal(t, crm.MessageDead, m.Status())
			assert.Contains(t, m.LastError, "cancelled or moved")
		}
	}
}

func testServiceReminders(t *testing.T, open Open) {
	b := open(t)
	e := salesEnvOf(t, b, "Север")
	rec := &sms.Recorder{}
	svc := notify.NewService(crm.NewUnit[notify.Stores](b, e.clock), e.clock, notify.WithSMS(rec), notify.WithRenderer(noticetmpl.Renderer{}))
	relay := crm.NewRelay(crm.NewUnit[crm.Stores](b, e.clock), svc.Notifier(), e.clock)
	car := e.handCar(1000)
	start := msk(24+10, 0)
	a, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "1", Start: start, End: start.Add(time.Hour)})
	require.NoError(t, err)
	moved := e.handCar(2000)
	m, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: moved.ID, Bay: "2", Start: start, End: start.Add(time.Hour)})
	require.NoError(t, err)

	var wg sync.WaitGroup
	var total atomic.Int64
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := svc.QueueReminders(e.ctx)
			assert.NoError(t, err)
			total.Add(int64(k))
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 2, total.Load(), "one reminder per appointment")

	// The second appointment moves an hour later after its reminder was queued: the old one is not sent, the new
	// time gets its own.
	later, laterEnd := start.Add(time.Hour), start.Add(2*time.Hour)
	_, err = e.after.RescheduleAppointment(e.ctx, m.ID, 0, aftersales.AppointmentChange{Start: &later, End: &laterEnd})
	require.NoError(t, err)
	k, err := svc.QueueReminders(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, k)
	for range 3 {
		_, err := relay.RunOnce(e.ctx)
		require.NoError(t, err)
	}
	texts := rec.Sent()
	require.Len(t, texts, 2, "the first appointment's reminder and the moved one's new reminder")
	assert.Contains(t, texts[0].Text+texts[1].Text, "28.11.2026 в 10:00")
	assert.Contains(t, texts[0].Text+texts[1].Text, "28.11.2026 в 11:00")
	assert.Contains(t, texts[0].Text, "Kia Rio 2021")
	ids := map[crm.ID]bool{}
	for _, x := range texts {
		ids[x.MessageID] = true
	}
	assert.True(t, ids[notify.ReminderID(notify.KindServiceReminder, a.ID, a.Start)])
	assert.True(t, ids[notify.ReminderID(notify.KindServiceReminder, m.ID, later)])
}

func runCampaigns(t *testing.T, open Open) {
	t.Run("TestDriveSoonRerunAndUnsubscribe", func(t *testing.T) { testCampaignTestDriveSoon(t, open) })
	t.Run("RacingRunsSendOncePerRecipient", func(t *testing.T) { testCampaignRace(t, open) })
	t.Run("BoughtModelAndWarrantyExpiring", func(t *testing.T) { testCampaignServiceAudiences(t, open) })
	t.Run("MaintenanceDue", func(t *testing.T) { testCampaignMaintenanceDue(t, open) })
	t.Run("InvalidAndIsolation", func(t *testing.T) { testCampaignInvalid(t, open) })
}

var unsubKey = []byte("campaign-test-hmac-key")

// newCampaignEnv is a notify env whose service signs unsubscribe links.
func newCampaignEnv(t *testing.T, b Backend, name string) *notifyEnv {
	t.Helper()
	e := newNotifyEnv(t, b, name, nil)
	e.notify = notify.NewService(crm.NewUnit[notify.Stores](b, e.clock), e.clock, notify.WithMailer(e.srv.Mailer()),
		notify.WithRenderer(noticetmpl.Renderer{}), notify.WithSMS(e.sms),
		notify.WithUnsubscribe(notify.Unsubscribe{Key: unsubKey, URL: "https://crm.example.com/api/v1/unsubscribe"}))
	e.relay = crm.NewRelay(crm.NewUnit[crm.Stores](b, e.clock), e.notify.Notifier(), e.clock)
	_, err := e.notify.SetMailbox(e.ctx, 0, e.srv.Mailbox(notify.AuthPlain))
	require.NoError(t, err)
	return e
}

func recipientsByStatus(t *testing.T, e *notifyEnv, id crm.ID) map[notify.RecipientStatus]int {
	t.Helper()
	rs, err := e.notify.ListRecipients(e.ctx, id)
	require.NoError(t, err)
	out := map[notify.RecipientStatus]int{}
	for _, r := range rs {
		out[r.Status]++
	}
	return out
}

func testCampaignTestDriveSoon(t *testing.T, open Open) {
	e := newCampaignEnv(t, open(t), "Север")
	var vera leads.Lead
	bookFor := func(c crm.Contact, start time.Time) leads.TestDrive {
		l, err := e.svc.CreateLead(e.ctx, leads.LeadInput{Contact: c, Source: leads.SourceWebsite, NeedType: leads.NeedCarPurchase})
		require.NoError(t, err)
		if c.FirstName == "Вера" {
			vera = l
		}
		d, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: e.vehicle(t).ID, Start: start})
		require.NoError(t, err)
		return d
	}
	mail, text := marketing(crm.ConsentEmail), marketing(crm.ConsentSMS)
	bookFor(crm.Contact{FirstName: "Анна", Emails: []string{"anna@example.ru"}, Consents: mail}, msk(24+10, 0))
	bookFor(crm.Contact{FirstName: "Борис", Phones: []string{"+7 913 000 00 01"}, Consents: text}, msk(24+11, 0))
	bookFor(crm.Contact{FirstName: "Вера", Emails: []string{"vera@example.ru"}, Phones: []string{"+7 913 000 00 02"}, Consents: mail},
		msk(2*24+10, 0))
	gone := bookFor(crm.Contact{FirstName: "Глеб", Emails: []string{"gleb@example.ru"}, Consents: mail}, msk(24+12, 0))
	_, err := e.svc.CancelTestDrive(e.ctx, gone.ID, 0, "передумал")
	require.NoError(t, err)
	bookFor(crm.Contact{FirstName: "Далёкий", Emails: []string{"far@example.ru"}, Consents: mail}, msk(10*24+10, 0))
	// Vera unsubscribed by e-mail from an earlier mailing: her booked notice goes by SMS (service, not withdrawn
	// there), and no campaign reaches her (she never consented to marketing by SMS).
	_, err = e.notify.Unsubscribe(context.Background(), notify.UnsubscribeToken(unsubKey, e.dealer.ID, "lead:"+vera.ID.String(), notify.ChannelEmail))
	require.NoError(t, err)

	c, err := e.notify.CreateCampaign(e.ctx, notify.Campaign{Name: "Напоминание о дате тест-драйва",
		Audience: notify.Audience{Kind: notify.AudienceTestDriveSoon, Days: 3}})
	require.NoError(t, err)
	assert.Equal(t, notify.KindCampaign, c.Kind)
	res, err := e.notify.RunCampaign(e.ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, notify.RunResult{Queued: 2, Skipped: 1}, res, "Anna and Boris queued, Vera skipped; not the cancelled or far drive")
	e.relayAll(t)

	mails := e.srv.Messages()
	require.Len(t, mails, 1+4, "four booked notices by e-mail (Vera's went by SMS), and Anna's campaign mail")
	for _, m := range mails {
		assert.NotEqual(t, []string{"vera@example.ru"}, m.To, "Vera unsubscribed by e-mail: nothing at all by e-mail")
	}
	var anna smtp.Caught
	for _, m := range mails {
		if m.Subject == "Напоминание о дате тест-драйва" {
			anna = m
			assert.NotEqual(t, []string{"vera@example.ru"}, m.To, "an unsubscribed customer gets no campaign mail")
		}
	}
	require.NotEmpty(t, anna.MessageID)
	assert.Equal(t, []string{"anna@example.ru"}, anna.To)
	assert.Contains(t, anna.Text, "Здравствуйте, Анна!")
	assert.Contains(t, anna.Text, "28.11.2026")
	assert.Contains(t, string(anna.Raw), "List-Unsubscribe: <https://crm.example.com/api/v1/unsubscribe?token=")
	assert.Contains(t, string(anna.Raw), "List-Unsubscribe-Post: List-Unsubscribe=One-Click")
	assert.Contains(t, anna.HTML, `<a href="https://crm.example.com/api/v1/unsubscribe?token=`, "the HTML part links to it")
	assert.NotContains(t, string(anna.Raw), "anna%40example.ru", "the token is opaque")
	texts := e.sms.Sent()
	var boris int
	for _, x := range texts {
		if x.To == "+79130000001" && strings.Contains(x.Text, "Напоминание о дате тест-драйва") {
			boris++
		}
	}
	assert.Equal(t, 1, boris, "Boris has only a phone: an SMS")
	assert.Equal(t, map[notify.RecipientStatus]int{notify.RecipientSent: 2, notify.RecipientSkipped: 1}, recipientsByStatus(t, e, c.ID))
	rs, err := e.notify.ListRecipients(e.ctx, c.ID)
	require.NoError(t, err)
	for _, r := range rs {
		if r.Status == notify.RecipientSkipped {
			assert.Equal(t, "no consent on email, sms", r.Reason)
			assert.Equal(t, "lead:"+vera.ID.String(), r.Key)
		} else {
			assert.False(t, r.SentAt.IsZero())
		}
	}

	// A re-run sends nothing new.
	before := len(e.srv.Messages()) + len(e.sms.Sent())
	res, err = e.notify.RunCampaign(e.ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, notify.RunResult{Already: 3}, res)
	e.relayAll(t)
	assert.Equal(t, before, len(e.srv.Messages())+len(e.sms.Sent()))

	// Anna follows her link: the next campaign skips her, and a message queued before she left is not sent.
	link := anna.Text[strings.Index(anna.Text, "token=")+len("token="):]
	link = strings.TrimSpace(strings.SplitN(link, "\n", 2)[0])
	tok, err := urlUnescape(link)
	require.NoError(t, err)
	out, err := e.notify.Unsubscribe(context.Background(), tok)
	require.NoError(t, err)
	assert.Equal(t, notify.ChannelEmail, out.Channel)
	assert.False(t, out.Already)
	assert.True(t, strings.HasPrefix(out.Contact, "lead:"))
	again, err := e.notify.Unsubscribe(context.Background(), tok)
	require.NoError(t, err)
	assert.True(t, again.Already)
	for _, bad := range []string{tok + "x", tok[:len(tok)-2] + "AA", "", "forged." + tok,
		notify.UnsubscribeToken([]byte("another key"), e.dealer.ID, out.Contact, notify.ChannelEmail)} {
		_, err = e.notify.Unsubscribe(context.Background(), bad)
		kindIs(t, err, crm.ErrNotFound)
		assert.ErrorIs(t, err, notify.ErrUnsubscribeToken)
		assert.NotContains(t, err.Error(), "anna")
	}

	c2, err := e.notify.CreateCampaign(e.ctx, notify.Campaign{Name: "Вторая рассылка", Subject: "{{.campaign}}: {{.name}}",
		Text: "{{.name}}, {{.campaign}}.{{with .unsubscribe_url}} {{.}}{{end}}", Audience: notify.Audience{Kind: notify.AudienceTestDriveSoon, Days: 3}})
	require.NoError(t, err)
	res, err = e.notify.RunCampaign(e.ctx, c2.ID)
	require.NoError(t, err)
	assert.Equal(t, notify.RunResult{Queued: 1, Skipped: 2}, res, "Anna and Vera unsubscribed, Boris queued")
	e.relayAll(t)
	for _, m := range e.srv.Messages() {
		assert.NotEqual(t, "Вторая рассылка: Анна", m.Subject)
	}
	last := e.sms.Sent()[len(e.sms.Sent())-1].Text
	assert.True(t, strings.HasPrefix(last, "Борис, Вторая рассылка. https://crm.example.com/api/v1/unsubscribe?token="), last)
}

func urlUnescape(s string) (string, error) {
	r := strings.NewReplacer("%3D", "=", "%2F", "/", "%2B", "+")
	return r.Replace(s), nil
}

func testCampaignRace(t *testing.T, open Open) {
	e := newCampaignEnv(t, open(t), "Север")
	const people = 6
	for i := range people {
		l, err := e.svc.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: fmt.Sprintf("Гость%d", i),
			Emails: []string{fmt.Sprintf("guest%d@example.ru", i)}, Consents: marketing(crm.ConsentEmail)},
			Source: leads.SourceWebsite, NeedType: leads.NeedCarPurchase})
		require.NoError(t, err)
		_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: e.vehicle(t).ID, Start: msk(24+10, 0)})
		require.NoError(t, err)
	}
	c, err := e.notify.CreateCampaign(e.ctx, notify.Campaign{Name: "Гонка", Audience: notify.Audience{Kind: notify.AudienceTestDriveSoon, Days: 2}})
	require.NoError(t, err)
	const runs = 10
	var queued, already atomic.Int64
	var wg sync.WaitGroup
	for range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := e.notify.RunCampaign(e.ctx, c.ID)
			if err != nil && crm.KindOf(err) == crm.KindStaleVersion {
				err = nil // the last-run stamp of a concurrent run won
			}
			assert.NoError(t, err)
			queued.Add(int64(res.Queued))
			already.Add(int64(res.Already))
		}()
	}
	wg.Wait()
	assert.EqualValues(t, people, queued.Load(), "each person queued by exactly one of %d runs", runs)
	e.relayAll(t)
	n := 0
	for _, m := range e.srv.Messages() {
		if m.Subject == "Гонка" {
			n++
		}
	}
	assert.Equal(t, people, n)
	assert.Equal(t, map[notify.RecipientStatus]int{notify.RecipientSent: people}, recipientsByStatus(t, e, c.ID))
}

func testCampaignServiceAudiences(t *testing.T, open Open) {
	b := open(t)
	e := salesEnvOf(t, b, "Север")
	rec := &sms.Recorder{}
	svc := notify.NewService(crm.NewUnit[notify.Stores](b, e.clock), e.clock, notify.WithSMS(rec),
		notify.WithRenderer(noticetmpl.Renderer{}), notify.WithAftersales(e.after))
	relay := crm.NewRelay(crm.NewUnit[crm.Stores](b, e.clock), svc.Notifier(), e.clock)
	kia1, kia2 := e.handCar(1000), e.handCar(2000)
	other, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: e.customer("Чужой").ID,
		VIN: "XTA21099000000042", Make: "Lada", Model: "Niva", Year: 2020, InServiceSince: Epoch.AddDate(-1, 0, 0)})
	require.NoError(t, err)
	_ = other
	grantMarketing(t, b, e.ctx)
	c, err := svc.CreateCampaign(e.ctx, notify.Campaign{Name: "Для владельцев Kia Rio",
		Audience: notify.Audience{Kind: notify.AudienceBoughtModel, Make: "kia", Model: "RIO"}})
	require.NoError(t, err)
	res, err := svc.RunCampaign(e.ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, notify.RunResult{Queued: 2}, res)

	_, err = e.after.AddWarranty(e.ctx, kia1.ID, aftersales.Warranty{Kind: aftersales.WarrantyDealer, Start: Epoch.AddDate(-1, 0, 0),
		End: Epoch.AddDate(0, 0, 10), Systems: []string{"engine"}})
	require.NoError(t, err)
	_, err = e.after.AddWarranty(e.ctx, kia2.ID, aftersales.Warranty{Kind: aftersales.WarrantyDealer, Start: Epoch.AddDate(-1, 0, 0),
		End: Epoch.AddDate(1, 0, 0), Systems: []string{"engine"}})
	require.NoError(t, err)
	w, err := svc.CreateCampaign(e.ctx, notify.Campaign{Name: "Гарантия заканчивается",
		Audience: notify.Audience{Kind: notify.AudienceWarrantyExpiring, Days: 30}})
	require.NoError(t, err)
	assert.Equal(t, notify.KindWarrantyExpiring, w.Kind)
	res, err = svc.RunCampaign(e.ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, notify.RunResult{Queued: 1}, res, "only the warranty ending within 30 days")
	for range 3 {
		_, err := relay.RunOnce(e.ctx)
		require.NoError(t, err)
	}
	texts := rec.Sent()
	require.Len(t, texts, 3)
	warned := 0
	for _, x := range texts {
		if strings.Contains(x.Text, "Гарантия на ваш автомобиль Kia Rio 2021 заканчивается 06.12.2026") {
			warned++
		}
	}
	assert.Equal(t, 1, warned, "%v", texts)
}

func testCampaignInvalid(t *testing.T, open Open) {
	b := open(t)
	e := newCampaignEnv(t, b, "Север")
	other := newCampaignEnv(t, b, "Юг")
	_, err := e.notify.CreateCampaign(e.ctx, notify.Campaign{Audience: notify.Audience{Kind: "everyone", Days: 900}, Channel: "fax",
		Subject: "x"})
	kindIs(t, err, crm.ErrInvalid)
	for _, f := range []string{"name", "audience.kind", "channel", "text"} {
		assert.True(t, hasField(err, f), "names %s: %v", f, err)
	}
	_, err = e.notify.CreateCampaign(e.ctx, notify.Campaign{Name: "x", Subject: "{{.name", Text: "y",
		Audience: notify.Audience{Kind: notify.AudienceTestDriveSoon, Days: 1}})
	assert.True(t, hasField(err, "subject"), "%v", err)
	c, err := e.notify.CreateCampaign(e.ctx, notify.Campaign{Name: "Позже", Audience: notify.Audience{Kind: notify.AudienceTestDriveSoon, Days: 1},
		ScheduledAt: Epoch.Add(48 * time.Hour)})
	require.NoError(t, err)
	_, err = e.notify.RunCampaign(e.ctx, c.ID)
	kindIs(t, err, crm.ErrConflict)
	n, err := e.notify.RunDueCampaigns(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	e.clock.Advance(49 * time.Hour)
	_, err = e.notify.RunDueCampaigns(e.ctx)
	require.NoError(t, err)
	got, err := e.notify.GetCampaign(e.ctx, c.ID)
	require.NoError(t, err)
	assert.False(t, got.LastRunAt.IsZero(), "run once its time came")

	_, err = other.notify.GetCampaign(other.ctx, c.ID)
	kindIs(t, err, crm.ErrNotFound)
	_, err = other.notify.RunCampaign(other.ctx, c.ID)
	kindIs(t, err, crm.ErrNotFound)
	_, err = other.notify.ListRecipients(other.ctx, c.ID)
	kindIs(t, err, crm.ErrNotFound)
}

func testRefused5xx(t *testing.T, open Open) {
	e := newNotifyEnv(t, open(t), "Север", func(c *smtp.Catcher) {
		c.Reject = func(smtp.Caught) error {
			return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
		}
	})
	_, err := e.notify.SetMailbox(e.ctx, 0, e.srv.Mailbox(notify.AuthLogin))
	require.NoError(t, err)
	e.book(t, "Иван")
	e.relayAll(t)
	e.clock.Advance(2 * time.Hour)
	e.relayAll(t)
	msgs := e.outbox(t)
	require.Len(t, msgs, 1)
	assert.Equal(t, crm.MessageDead, msgs[0].Status(), "a 5xx answer is permanent")
	assert.Equal(t, 1, msgs[0].Attempts, "no retry")
	assert.Contains(t, msgs[0].LastError, "550")
	assert.NotContains(t, msgs[0].LastError, smtptest.Password)
	assert.Empty(t, e.srv.Messages())
}

func testCampaignMaintenanceDue(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	cat := catalog.NewService(crm.NewUnit[catalog.Stores](e.b, e.clock), e.clock)
	mk, err := cat.CreateMake(e.ctx, catalog.Make{Name: "Lada"})
	require.NoError(t, err)
	md, err := cat.CreateModel(e.ctx, catalog.Model{MakeID: mk.ID, Name: "Vesta"})
	require.NoError(t, err)
	_, err = cat.CreateMaintenancePlan(e.ctx, catalog.MaintenancePlan{ModelID: md.ID, Name: "ТО Vesta", IntervalKm: 15000,
		IntervalMonths: 12, Visits: []catalog.MaintenanceVisit{{Name: "ТО-1", Works: []catalog.MaintenanceWork{{Name: "Масло"}}}}})
	require.NoError(t, err)
	v := e.vehicle("Vesta", "1500000")
	sale := e.open(e.customer("Покупатель").ID, v.ID)
	_, _, err = e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{})
	require.NoError(t, err)
	grantMarketing(t, e.b, e.ctx)

	rec := &sms.Recorder{}
	svc := notify.NewService(crm.NewUnit[notify.Stores](e.b, e.clock), e.clock, notify.WithSMS(rec),
		notify.WithRenderer(noticetmpl.Renderer{}), notify.WithAftersales(e.after))
	soon, err := svc.CreateCampaign(e.ctx, notify.Campaign{Name: "ТО в этом месяце", Audience: notify.Audience{Kind: notify.AudienceMaintenanceDue, Days: 30}})
	require.NoError(t, err)
	res, err := svc.RunCampaign(e.ctx, soon.ID)
	require.NoError(t, err)
	assert.Equal(t, notify.RunResult{}, res, "due in a year: not within 30 days")
	year, err := svc.CreateCampaign(e.ctx, notify.Campaign{Name: "ТО в этом году", Audience: notify.Audience{Kind: notify.AudienceMaintenanceDue, Days: 400}})
	require.NoError(t, err)
	assert.Equal(t, notify.KindMaintenanceDue, year.Kind)
	res, err = svc.RunCampaign(e.ctx, year.ID)
	require.NoError(t, err)
	assert.Equal(t, notify.RunResult{Queued: 1}, res)
	relay := crm.NewRelay(crm.NewUnit[crm.Stores](e.b, e.clock), svc.Notifier(), e.clock)
	for range 3 {
		_, err := relay.RunOnce(e.ctx)
		require.NoError(t, err)
	}
	var due []string
	for _, x := range rec.Sent() {
		if strings.Contains(x.Text, "пора на техническое обслуживание") {
			due = append(due, x.Text)
		}
	}
	require.Len(t, due, 1, "%v", rec.Sent())
	assert.Contains(t, due[0], "(до 27.11.2027)")
}
