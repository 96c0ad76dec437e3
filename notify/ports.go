package notify

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// Email is one e-mail as the Mailer sends it: rendered, addressed, with both alternatives.
type Email struct {
	// MessageID is the outbox message's ID: the Message-ID header is derived from it, so every attempt of one
	// message carries the same Message-ID and a receiver recognises a resend.
	MessageID crm.ID
	To        string
	ToName    string
	Subject   string // UTF-8; the Mailer encodes it (RFC 2047)
	Text      string // the text/plain alternative
	HTML      string // the text/html alternative ("" for text only)
	// UnsubscribeURL, when set, is sent as List-Unsubscribe with List-Unsubscribe-Post: List-Unsubscribe=One-Click
	// (RFC 8058; campaign mail); the HTML part links to it too.
	UnsubscribeURL string
}

// Reply is an SMTP server's answer: its code (250, 421, 550, ...) and text.
type Reply struct {
	Code int
	Text string
}

// Mailer sends e-mail through a dealer's mailbox. adapters/smtp implements it.
//
// SendEmail returns the server's final answer. A permanent refusal (an SMTP 5xx answer) is returned wrapped in
// crm.Permanent, so the relay makes the message a dead letter at once; a temporary one (4xx, a network error,
// a timeout) is returned as is and retried with backoff. The Reply is filled whenever the server answered, also
// with an error. Neither the Reply nor the error ever contains a secret of box.
type Mailer interface {
	SendEmail(ctx context.Context, box Mailbox, e Email) (Reply, error)
}

// TextMessage is one SMS.
type TextMessage struct {
	MessageID crm.ID // the outbox message's ID: a gateway's idempotency key
	To        string // a phone number, normalised (+79001234567)
	Text      string
}

// SMSSender sends SMS. adapters/sms implements it (a recorder for tests and demos, an HTTP gateway client).
// Errors follow Mailer's rule: crm.Permanent for a refusal that retrying cannot cure, plain for the rest.
type SMSSender interface {
	SendSMS(ctx context.Context, m TextMessage) error
}
