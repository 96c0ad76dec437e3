package notify

import "github.com/dealercrm/dealercrm/crm"

// The codes of notify's errors (problem+json's "code").
const (
	// CodeMailboxNotConfigured: the dealer has no mailbox settings, so nothing can be sent by e-mail.
	CodeMailboxNotConfigured crm.Code = "mailbox_not_configured"
	// CodeNoMailer: no SMTP sender is wired into the service.
	CodeNoMailer crm.Code = "mailer_missing"
	// CodeBookingChanged: a reminder's booking was cancelled or moved after the reminder was queued.
	CodeBookingChanged crm.Code = "booking_changed"
	// CodeUnsubscribeToken: an unsubscribe token is malformed, forged or signed with another key.
	CodeUnsubscribeToken crm.Code = "unsubscribe_token_invalid"
	// CodeNoRecipient: a message has no address it may be sent to on any channel.
	CodeNoRecipient crm.Code = "no_recipient"
	// CodeMailboxVersionRequired: stored mailbox settings are changed only by a write naming the version read
	// (over HTTP: If-Match, 428 without it).
	CodeMailboxVersionRequired crm.Code = "mailbox_version_required"
	// CodeNoConsent: the contact has addresses, but no consent for the message's purpose on their channels.
	CodeNoConsent crm.Code = "no_consent"
)

// Codes returns every code notify's errors carry.
func Codes() []crm.Code {
	return []crm.Code{CodeMailboxNotConfigured, CodeNoMailer, CodeBookingChanged, CodeUnsubscribeToken, CodeNoRecipient,
		CodeMailboxVersionRequired, CodeNoConsent}
}

// ErrMailboxNotConfigured is returned when the dealer has stored no mailbox settings (a conflict: set them first).
var ErrMailboxNotConfigured = &crm.Error{Kind: crm.KindConflict, Code: CodeMailboxNotConfigured,
	Message: "the dealer's mailbox is not configured (PUT /api/v1/mailbox)"}

// ErrNoMailer is returned when the service was built without a Mailer.
var ErrNoMailer = &crm.Error{Kind: crm.KindUnavailable, Code: CodeNoMailer, Message: "no mail sender is configured"}

// ErrBookingChanged is the reason a queued reminder is not sent: its test drive or appointment was cancelled or
// moved since. The relay makes such a message a dead letter at once.
var ErrBookingChanged = &crm.Error{Kind: crm.KindConflict, Code: CodeBookingChanged,
	Message: "the booking was cancelled or moved since the reminder was queued"}

// ErrUnsubscribeToken is returned for an unsubscribe token that does not verify (malformed, altered, or signed
// with another key): a not-found kind, so the answer says only that there is no such link.
var ErrUnsubscribeToken = &crm.Error{Kind: crm.KindNotFound, Code: CodeUnsubscribeToken,
	Message: "the unsubscribe link is invalid"}

// ErrNoRecipient is returned when a message has no address it may go to.
var ErrNoRecipient = &crm.Error{Kind: crm.KindInvalid, Code: CodeNoRecipient, Message: "no address to send to"}

// ErrMailboxVersionRequired is returned by SetMailbox called with MailboxAbsent when the dealer has stored
// settings already: the write must name the version it read (a stale-version kind; over HTTP a 428 asking for
// If-Match).
var ErrMailboxVersionRequired = &crm.Error{Kind: crm.KindStaleVersion, Code: CodeMailboxVersionRequired,
	Message: "the mailbox settings exist: send the version read (If-Match) to change them"}

// ErrNoConsent is returned when the contact has an address for the message but has not consented to be
// reached there for its purpose (marketing needs consent; a service notice goes unless withdrawn).
var ErrNoConsent = &crm.Error{Kind: crm.KindInvalid, Code: CodeNoConsent,
	Message: "no consent to be reached on the channels the contact has"}
