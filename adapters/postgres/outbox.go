package postgres

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

type outboxStore struct{ t *Tx }

// Outbox returns the outbox of this unit of work.
func (t *Tx) Outbox() crm.OutboxStore { return outboxStore{t} }

const outboxCols = `id, dealer_id, topic, recipient, subject, body, data, created_at, sent_at, attempts, last_error`

func scanMessage(row interface{ Scan(...any) error }) (crm.Message, error) {
	var m crm.Message
	err := row.Scan(&m.ID, &m.DealerID, &m.Topic, &m.Recipient, &m.Subject, &m.Body, jsonb{&m.Data}, &m.CreatedAt,
		&m.SentAt, &m.Attempts, &m.LastError)
	m.CreatedAt = m.CreatedAt.UTC()
	if m.SentAt != nil {
		t := m.SentAt.UTC()
		m.SentAt = &t
	}
	return m, err
}

func (s outboxStore) Enqueue(ctx context.Context, m *crm.Message) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	if m.ID == (crm.ID{}) {
		m.ID = crm.NewID()
	}
	if m.DealerID == (crm.ID{}) {
		m.DealerID = d
	}
	if m.DealerID != d {
		return crm.Forbidden("postgres.Outbox.Enqueue", "message belongs to another dealer")
	}
	if m.Data == nil {
		m.Data = map[string]string{}
	}
	_, err = s.t.tx.ExecContext(ctx, `INSERT INTO outbox (`+outboxCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, 0, '')`,
		m.ID, m.DealerID, m.Topic, m.Recipient, m.Subject, m.Body, jsonb{m.Data}, m.CreatedAt.UTC())
	return mapErr("postgres.Outbox.Enqueue", err)
}

func (s outboxStore) Claim(ctx context.Context, limit, maxAttempts int) ([]crm.Message, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE dealer_id = $1 AND sent_at IS NULL
		AND attempts < $2 ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`, d, maxAttempts, limit)
	return collect(rows, err, "postgres.Outbox.Claim", scanMessage)
}

func (s outboxStore) MarkSent(ctx context.Context, id crm.ID, t time.Time) error {
	return s.mark(ctx, "postgres.Outbox.MarkSent", `UPDATE outbox SET sent_at = $3, attempts = attempts + 1 WHERE id = $1 AND dealer_id = $2`, id, t.UTC())
}

func (s outboxStore) MarkFailed(ctx context.Context, id crm.ID, reason string) error {
	return s.mark(ctx, "postgres.Outbox.MarkFailed", `UPDATE outbox SET last_error = $3, attempts = attempts + 1 WHERE id = $1 AND dealer_id = $2`, id, reason)
}

func (s outboxStore) mark(ctx context.Context, op, query string, id crm.ID, arg any) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, query, id, d, arg)
	if err != nil {
		return mapErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.NotFound(op, "message %s not found", id)
	}
	return nil
}

func (s outboxStore) List(ctx context.Context, limit int) ([]crm.Message, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE dealer_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, d, limit)
	return collect(rows, err, "postgres.Outbox.List", scanMessage)
}
