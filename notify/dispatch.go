package notify

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// Notifier returns the service as the relay's notifier (crm.Notifier): each outbox message is addressed,
// rendered and sent on its channel (see Send).
func (s *Service) Notifier() crm.Notifier { return dispatcher{s} }

type dispatcher struct{ s *Service }

// Send delivers m; see Service.Deliver.
func (d dispatcher) Send(ctx context.Context, m crm.Message) error { return d.s.Deliver(ctx, m) }

// Deliver sends one outbox message, outside any unit of work (the relay calls it through Notifier):
//
//  1. in one read-only unit of work it reads the dealer's mailbox settings, the contact's addresses (the
//     message's recipient, and the e-mails and phones of the lead or customer it names, with its consents)
//     and the template of the message's kind and the dealer's language — the settings, the dealer and the
//     template once per relay run (crm.RunMemo), for the first of its messages that needs them;
//  2. it picks the channel among those the contact has an address and consent for (crm.Consents.Allows: a
//     campaign is marketing, every other notice service): the one the message names, else the only one there
//     is, else the dealer's preferred one (Mailbox.Prefer);
//  3. it renders the template (or keeps the message's own subject and body when there is none for its kind) and
//     sends it through the Mailer (the dealer's mailbox) or the SMSSender.
//
// A message with no usable address (ErrNoRecipient) or none the contact consents to (ErrNoConsent), or a
// reminder whose booking was cancelled or moved, fails permanently (the relay makes it a dead letter with the
// reason; a campaign's recipient is marked skipped with it). A channel that is not set up (no mailbox settings, no SMS
// sender) goes to the fallback notifier when there is one, else fails permanently. Delivery errors follow the
// Mailer's rule: permanent for 5xx, retried otherwise.
func (s *Service) Deliver(ctx context.Context, m crm.Message) error {
	const op = "notify.Service.Deliver"
	ctx = crm.WithDealer(ctx, m.DealerID)
	var plan deliveryPlan
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		plan, err = s.plan(ctx, st, m)
		return err
	})
	if err == nil {
		err = s.send(ctx, m, plan)
	}
	if m.Data["campaign_id"] != "" {
		s.recordOutcome(ctx, m, err)
	}
	if err != nil && !crm.IsPermanent(err) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return err
}

// deliveryPlan is what Deliver decided inside its unit of work.
type deliveryPlan struct {
	box     Mailbox
	dealer  crm.Dealer
	channel Channel
	to      string
	name    string
	subject string
	text    string
	html    string
	unsub   string
}

// plan reads what delivering m needs and decides channel, address and content.
func (s *Service) plan(ctx context.Context, st Stores, m crm.Message) (deliveryPlan, error) {
	box, dealer, err := dealerSettings(ctx, st, m.DealerID)
	if err != nil {
		return deliveryPlan{}, err
	}
	if err := bookingUnchanged(ctx, st, m); err != nil {
		if errors.Is(err, ErrBookingChanged) {
			return deliveryPlan{}, crm.Permanent(crm.Wrap("notify.Service.Deliver", err))
		}
		return deliveryPlan{}, err
	}
	p := deliveryPlan{box: box, dealer: dealer, subject: m.Subject, text: m.Body}
	c, err := s.contactOf(ctx, st, m)
	if err != nil {
		return deliveryPlan{}, err
	}
	p.name = c.name
	p.channel, p.to = chooseChannel(Channel(m.Data["channel"]), box.Prefer, c)
	if p.to == "" {
		return deliveryPlan{}, crm.Permanent(crm.Wrap("notify.Service.Deliver", noChannel(Channel(m.Data["channel"]), c)))
	}
	if _, ok := dataID(m, "campaign_id"); ok {
		p.unsub = s.unsubscribeLink(m.DealerID, c.key, p.channel)
	}
	if err := s.content(ctx, st, m, &p); err != nil {
		return deliveryPlan{}, err
	}
	if p.channel == ChannelEmail {
		p.html = withUnsubscribeLink(p.html, p.unsub)
	}
	return p, nil
}

// runSettings are the dealer's mailbox settings and record as a relay run keeps them for its messages.
type runSettings struct {
	box    Mailbox
	dealer crm.Dealer
}

// runSettingsKey is their key in the run's memo.
type runSettingsKey struct{ dealer crm.ID }

// dealerSettings reads the dealer's mailbox settings and record, or takes them from the relay run's memo
// (crm.RunMemo): read once per run of a batch instead of once per message. The memo spans the run's units of work
// by design, so a View's fn that runs again (crm.UnitOfWork) may take what its first run stored: settings read a
// moment earlier, as the run's next messages do.
func dealerSettings(ctx context.Context, st Stores, dealerID crm.ID) (Mailbox, crm.Dealer, error) {
	memo := crm.RunMemoFrom(ctx)
	if v, ok := memo.Load(runSettingsKey{dealerID}); ok {
		r := v.(runSettings)
		return r.box, r.dealer, nil
	}
	box, err := mailboxIn(ctx, st)
	if err != nil {
		return Mailbox{}, crm.Dealer{}, err
	}
	dealer, err := st.Dealers().Get(ctx, dealerID)
	if err != nil {
		return Mailbox{}, crm.Dealer{}, err
	}
	memo.Store(runSettingsKey{dealerID}, runSettings{box, dealer})
	return box, dealer, nil
}

// withUnsubscribeLink makes sure an HTML part carries the unsubscribe link as a link (a template may print it
// as text, or not at all): it adds one before </body> unless the part links to it already.
func withUnsubscribeLink(h, link string) string {
	if h == "" || link == "" {
		return h
	}
	href := `href="` + html.EscapeString(link) + `"`
	if strings.Contains(h, href) {
		return h
	}
	a := `<p style="font-size:small;color:#666"><a ` + href + `>Отписаться от рассылки / Unsubscribe</a></p>` + "\n"
	if i := strings.LastIndex(strings.ToLower(h), "</body>"); i >= 0 {
		return h[:i] + a + h[i:]
	}
	return h + a
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// chooseChannel picks the channel and address: want when it has an address, else the only channel with one,
// else prefer.
func chooseChannel(want, prefer Channel, c contact) (Channel, string) {
	first := func(ch Channel) string {
		if ch == ChannelEmail && len(c.emails) > 0 {
			return c.emails[0]
		}
		if ch == ChannelSMS && len(c.phones) > 0 {
			return c.phones[0]
		}
		return ""
	}
	if want != "" {
		return want, first(want)
	}
	switch {
	case len(c.emails) > 0 && len(c.phones) > 0:
		return prefer, first(prefer)
	case len(c.emails) > 0:
		return ChannelEmail, c.emails[0]
	case len(c.phones) > 0:
		return ChannelSMS, c.phones[0]
	}
	return "", ""
}

// send delivers the planned message on its channel.
func (s *Service) send(ctx context.Context, m crm.Message, p deliveryPlan) error {
	const op = "notify.Service.Deliver"
	switch p.channel {
	case ChannelEmail:
		if p.box.Configured() && s.mailer != nil {
			_, err := s.mailer.SendEmail(ctx, p.box, Email{MessageID: m.ID, To: p.to, ToName: p.name, Subject: p.subject,
				Text: p.text, HTML: p.html, UnsubscribeURL: p.unsub})
			return err
		}
		if s.fallback != nil {
			return s.fallback.Send(ctx, rendered(m, p))
		}
		if s.mailer == nil {
			return crm.Permanent(crm.Wrap(op, ErrNoMailer))
		}
		return crm.Permanent(crm.Wrap(op, ErrMailboxNotConfigured))
	case ChannelSMS:
		if s.sms != nil {
			return s.sms.SendSMS(ctx, TextMessage{MessageID: m.ID, To: p.to, Text: smsText(p)})
		}
		if s.fallback != nil {
			return s.fallback.Send(ctx, rendered(m, p))
		}
		return crm.Permanent(crm.Errorf(crm.KindUnavailable, CodeNoMailer, op, "no SMS sender is configured"))
	}
	return crm.Permanent(crm.Wrap(op, ErrNoRecipient))
}

// rendered is m as planned, for a fallback notifier.
func rendered(m crm.Message, p deliveryPlan) crm.Message {
	m.Recipient, m.Subject, m.Body = p.to, p.subject, p.text
	return m
}

// smsText is the SMS of a planned message: its text without blank lines.
func smsText(p deliveryPlan) string {
	var lines []string
	for _, l := range strings.Split(p.text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// noChannel is why c gave no address on want (or on any channel): the contact has one but refused consent
// (ErrNoConsent naming the channels), or none at all (ErrNoRecipient).
func noChannel(want Channel, c contact) error {
	var refused []string
	for _, ch := range c.refused {
		if want == "" || ch == want {
			refused = append(refused, string(ch))
		}
	}
	if len(refused) == 0 {
		return ErrNoRecipient
	}
	return &crm.Error{Kind: crm.KindInvalid, Code: CodeNoConsent, Op: "notify.Service.Deliver",
		Message: "no consent on " + strings.Join(refused, ", "), Err: ErrNoConsent}
}

// skipReason is a recipient's reason for an error of noChannel: "no consent on email" (SkipNoConsent and the
// channels), or SkipNoAddress.
func skipReason(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if ce, ok := e.(*crm.Error); ok && ce.Code == CodeNoConsent && ce.Err != nil && ce.Message != "" {
			return ce.Message
		}
	}
	if errors.Is(err, ErrNoConsent) {
		return SkipNoConsent
	}
	return SkipNoAddress
}
