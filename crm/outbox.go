package crm

import (
	"context"
	"time"
)

// Message is a notice to send after the business transaction commits (a test-drive confirmation, a campaign
// mail). It is written to the outbox inside that transaction, so it exists if and only if the change does.
//
// A message is pending until it is sent (SentAt set) or given up on (DeadAt set: a dead letter, with the
// attempt count and the last error kept). A pending message is due for an attempt from NextAttemptAt on.
type Message struct {
	ID        ID                `json:"id"`
	DealerID  ID                `json:"dealer_id"`
	Topic     string            `json:"topic"`     // e.g. "test_drive.booked"
	Recipient string            `json:"recipient"` // an e-mail address or a phone number
	Subject   string            `json:"subject"`
	Body      string            `json:"body"`
	Data      map[string]string `json:"data,omitempty"` // structured facts for templates and webhooks
	CreatedAt time.Time         `json:"created_at"`
	// NextAttemptAt is when the message is next due; Enqueue sets it to CreatedAt when zero, a failed attempt
	// moves it on by the relay's backoff.
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	SentAt        *time.Time `json:"sent_at,omitempty"`
	// DeadAt is when the relay gave up on the message (a dead letter); it is never claimed again.
	DeadAt    *time.Time `json:"dead_at,omitempty"`
	Attempts  int        `json:"attempts"`             // delivery attempts made, successful or not
	LastError string     `json:"last_error,omitempty"` // the reason of the last failed attempt
}

// MessageStatus is where a message is in its delivery.
type MessageStatus string

// The states of a message.
const (
	MessagePending MessageStatus = "pending" // not yet delivered; due from NextAttemptAt
	MessageSent    MessageStatus = "sent"    // delivered at SentAt
	MessageDead    MessageStatus = "dead"    // given up on at DeadAt (a dead letter)
)

// Status tells whether m is pending, sent or dead.
func (m Message) Status() MessageStatus {
	switch {
	case m.SentAt != nil:
		return MessageSent
	case m.DeadAt != nil:
		return MessageDead
	default:
		return MessagePending
	}
}

// Lease is a relay's claim on outbox messages: while Until has not passed, no other claim returns them. The
// token identifies the claim; marking a message succeeds only while it still carries the token, so a relay
// whose lease ran out and was taken over cannot overwrite the new holder's outcome.
type Lease struct {
	Token ID        // unique per claim (NewID)
	Until time.Time // the lease ends here; from then on the message may be claimed again
}

// Failure is the outcome of a failed delivery attempt, decided by the relay.
type Failure struct {
	Reason  string    // the notifier's error text, kept as the message's LastError
	At      time.Time // when the attempt failed
	RetryAt time.Time // when the message is next due; ignored when Dead
	Dead    bool      // no further attempts: the message becomes a dead letter at At
}

// ErrLeaseLost is returned (wrapped, a conflict) when a relay marks a message whose claim is no longer its own:
// the lease ran out and another relay claimed it, or it was already marked.
var ErrLeaseLost = &Error{Kind: KindConflict, Code: CodeOutboxLeaseLost, Op: "crm", Message: "outbox lease lost"}

// Outbox is the write side of the outbox: what a domain service needs to queue a notice.
type Outbox interface {
	// Enqueue queues m in the current transaction; ID, DealerID (from the context) are set if zero, and
	// NextAttemptAt is set to CreatedAt if zero. Returns ErrConflict if the ID is already queued.
	Enqueue(ctx context.Context, m *Message) error
}

// OutboxStore is the whole outbox: queueing and what the relay needs to deliver.
//
// Delivery takes three units of work, none of which sends anything: Claim leases due messages, the relay sends
// them outside any transaction or lock, and MarkSent or MarkFailed records each outcome.
type OutboxStore interface {
	Outbox
	// Claim leases up to limit of the context's dealer's messages that are due at now — pending, with
	// NextAttemptAt at or before now, and under no lease that holds at now — oldest first, and returns them.
	// Until lease.Until passes no other Claim returns them (in PostgreSQL: UPDATE … WHERE id IN (SELECT … FOR
	// UPDATE SKIP LOCKED), so concurrent claims never overlap).
	Claim(ctx context.Context, lease Lease, now time.Time, limit int) ([]Message, error)
	// MarkSent records that the message claimed under token was delivered at t, counting the attempt and
	// ending the lease. Returns ErrNotFound for an unknown message and ErrLeaseLost when it no longer carries
	// token.
	MarkSent(ctx context.Context, id, token ID, t time.Time) error
	// MarkFailed records a failed attempt of the message claimed under token: it counts the attempt, keeps
	// f.Reason as LastError, ends the lease and either makes the message due again at f.RetryAt or, with
	// f.Dead, a dead letter. Returns ErrNotFound for an unknown message and ErrLeaseLost when it no longer
	// carries token.
	MarkFailed(ctx context.Context, id, token ID, f Failure) error
	// List returns the dealer's messages, newest first, at most limit (for inspection and tests).
	List(ctx context.Context, limit int) ([]Message, error)
}

// OutboxMarker is an optional capability of an OutboxStore (the PostgreSQL adapter's): MarkSentAll records the
// messages ids claimed under token as sent, each at its time in ats (ids[i] at ats[i]), as MarkSent does for
// each, in one statement, and returns the IDs it marked; an ID left out (unknown, or no longer under token) is
// not an error here: the relay asks MarkSent for its reason.
type OutboxMarker interface {
	MarkSentAll(ctx context.Context, token ID, ids []ID, ats []time.Time) ([]ID, error)
}

// Notifier delivers a message (by e-mail, SMS, webhook). Adapters implement it.
//
// Delivery is at least once: a relay that crashes after Send but before recording the outcome, or whose lease
// runs out during Send, leaves the message to be sent again. The message ID is the same on every attempt; the
// receiver must use it as its deduplication key (an e-mail's Message-ID, an idempotency key of a webhook).
//
// Send is called outside every transaction and lock, with a context whose deadline is the end of the relay's
// lease; it should return when the context is done. An error counts as a failed attempt and is retried with
// backoff; an error that wraps Permanent makes the message a dead letter at once.
type Notifier interface {
	Send(ctx context.Context, m Message) error
}
