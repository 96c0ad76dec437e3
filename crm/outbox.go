package crm

import (
	"context"
	"time"
)

// Message is a notice to send after the business transaction commits (a test-drive confirmation, a campaign
// mail). It is written to the outbox inside that transaction, so it exists if and only if the change does.
type Message struct {
	ID        ID                `json:"id"`
	DealerID  ID                `json:"dealer_id"`
	Topic     string            `json:"topic"`     // e.g. "test_drive.booked"
	Recipient string            `json:"recipient"` // an e-mail address or a phone number
	Subject   string            `json:"subject"`
	Body      string            `json:"body"`
	Data      map[string]string `json:"data,omitempty"` // structured facts for templates and webhooks
	CreatedAt time.Time         `json:"created_at"`
	SentAt    *time.Time        `json:"sent_at,omitempty"`
	Attempts  int               `json:"attempts"`
	LastError string            `json:"last_error,omitempty"`
}

// Outbox is the write side of the outbox: what a domain service needs to queue a notice.
type Outbox interface {
	// Enqueue queues m in the current transaction; ID, DealerID (from the context) are set if zero.
	Enqueue(ctx context.Context, m *Message) error
}

// OutboxStore is the whole outbox: queueing and what the relay needs to deliver.
type OutboxStore interface {
	Outbox
	// Claim returns up to limit unsent messages of the context's dealer, oldest first, with fewer than
	// maxAttempts attempts; in PostgreSQL they are locked (FOR UPDATE SKIP LOCKED) until the transaction ends,
	// so two relays never send one message twice.
	Claim(ctx context.Context, limit, maxAttempts int) ([]Message, error)
	// MarkSent records that the message was delivered at t.
	MarkSent(ctx context.Context, id ID, t time.Time) error
	// MarkFailed records a failed attempt with its reason.
	MarkFailed(ctx context.Context, id ID, reason string) error
	// List returns the dealer's messages, newest first, at most limit (for inspection and tests).
	List(ctx context.Context, limit int) ([]Message, error)
}

// Notifier delivers a message (by e-mail, SMS, webhook). Adapters implement it.
type Notifier interface {
	Send(ctx context.Context, m Message) error
}
