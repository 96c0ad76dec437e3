package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// mailboxIn returns the context's dealer's settings: the stored ones, or the defaults with Version 0.
func mailboxIn(ctx context.Context, st Stores) (Mailbox, error) {
	m, err := st.Mailboxes().Get(ctx)
	if errors.Is(err, crm.ErrNotFound) {
		d, derr := crm.DealerFrom(ctx)
		if derr != nil {
			return Mailbox{}, derr
		}
		m = Mailbox{}.withDefaults()
		m.ID, m.DealerID = d, d
		return m, nil
	}
	return m, err
}

// GetMailbox returns the context's dealer's mailbox settings: the stored ones, or the defaults with Version 0
// (Configured false). Its secrets are there to send with; show them with their Secret methods only.
func (s *Service) GetMailbox(ctx context.Context) (Mailbox, error) {
	var out Mailbox
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = mailboxIn(ctx, st)
		return err
	})
	return out, crm.Wrap("notify.Service.GetMailbox", err)
}

// MailboxAbsent is the version SetMailbox expects when the caller read no settings (an HTTP PUT without
// If-Match): the write applies only while none are stored, and is refused with ErrMailboxVersionRequired once
// they are.
const MailboxAbsent int64 = -1

// SetMailbox stores the context's dealer's mailbox settings changed by in: secrets not given are kept,
// given ones replace the stored ones, empty ones remove them (see MailboxInput). version is the one read (the
// stored version; MailboxAbsent: only while none is stored; crm.Unconditional: whatever is stored); a stale one
// is KindStaleVersion. Invalid settings name every wrong field.
func (s *Service) SetMailbox(ctx context.Context, version int64, in MailboxInput) (Mailbox, error) {
	const op = "notify.Service.SetMailbox"
	var out Mailbox
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		cur, err := mailboxIn(ctx, st)
		if err != nil {
			return err
		}
		switch {
		case version == MailboxAbsent && cur.Version > 0:
			return crm.Wrap(op, ErrMailboxVersionRequired)
		case version == MailboxAbsent:
		default:
			if err := crm.CheckVersion(op, cur.Version, version); err != nil {
				return err
			}
		}
		next := in.apply(cur).withDefaults()
		var p crm.Problems
		in.stray(&p)
		if p.Merge("", next.Validate()); p.Err(op) != nil {
			return p.Err(op)
		}
		if err := st.Mailboxes().Save(ctx, &next); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, crm.Wrap(op, err)
}

// MailboxTest is the outcome of TestMailbox: whether the server took the message, and its answer.
type MailboxTest struct {
	Sent      bool
	Code      int    // the SMTP reply code (0 when the server was not reached)
	Message   string // the server's reply text, or why it was not reached; never a secret
	MessageID crm.ID // the test message's ID (its Message-ID is derived from it)
}

// TestMailbox sends one test message to to (default: the mailbox's own sender address) through the dealer's
// stored settings, outside any unit of work, and reports the server's answer. A refusal is the answer, not an
// error; errors are ErrMailboxNotConfigured, ErrNoMailer and an invalid address.
func (s *Service) TestMailbox(ctx context.Context, to string) (MailboxTest, error) {
	const op = "notify.Service.TestMailbox"
	box, err := s.GetMailbox(ctx)
	if err != nil {
		return MailboxTest{}, crm.Wrap(op, err)
	}
	if !box.Configured() {
		return MailboxTest{}, crm.Wrap(op, ErrMailboxNotConfigured)
	}
	if s.mailer == nil {
		return MailboxTest{}, crm.Wrap(op, ErrNoMailer)
	}
	to = strings.TrimSpace(to)
	if to == "" {
		to = box.FromAddress
	}
	if !validAddress(to) {
		return MailboxTest{}, crm.Invalid(op, crm.FieldError{Field: "to", Message: "is not an e-mail address"})
	}
	id := crm.NewID()
	now := s.clock.Now()
	reply, sendErr := s.mailer.SendEmail(ctx, box, Email{MessageID: id, To: to,
		Subject: "Проверка почтового ящика / Mailbox test",
		Text: fmt.Sprintf("Это проверочное письмо dealercrm (%s).\nThis is a dealercrm test message (%s).\n",
			now.UTC().Format("2006-01-02 15:04:05 MST"), now.UTC().Format("2006-01-02 15:04:05 MST")),
	})
	out := MailboxTest{Sent: sendErr == nil, Code: reply.Code, Message: reply.Text, MessageID: id}
	if sendErr != nil && out.Message == "" {
		out.Message = sendErr.Error()
	}
	return out, nil
}
