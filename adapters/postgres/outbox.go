package postgres

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/lib/pq"
)

type outboxStore struct{ t *Tx }

// Outbox returns the outbox of this unit of work.
func (t *Tx) Outbox() crm.OutboxStore { return outboxStore{t} }

const outboxCols = `id, dealer_id, topic, recipient, subject, body, data, created_at, next_attempt_at, sent_at, dead_at, attempts, last_error`

// outboxColsOf is outboxCols qualified by a table alias.
func outboxColsOf(alias string) string {
	cols := strings.Split(outboxCols, ", ")
	for i, c := range cols {
		cols[i] = alias + "." + c
	}
	return strings.Join(cols, ", ")
}

func scanMessage(row interface{ Scan(...any) error }) (crm.Message, error) {
	var m crm.Message
	err := row.Scan(&m.ID, &m.DealerID, &m.Topic, &m.Recipient, &m.Subject, &m.Body, jsonb{&m.Data}, &m.CreatedAt,
		&m.NextAttemptAt, &m.SentAt, &m.DeadAt, &m.Attempts, &m.LastError)
	m.CreatedAt = m.CreatedAt.UTC()
	m.NextAttemptAt = m.NextAttemptAt.UTC()
	for _, t := range []**time.Time{&m.SentAt, &m.DeadAt} {
		if *t != nil {
			u := (**t).UTC()
			*t = &u
		}
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
	if m.CreatedAt.IsZero() { // a message keeps the time its notice was made (order of enqueueing); else the unit's
		m.CreatedAt = s.t.now
	}
	m.CreatedAt = m.CreatedAt.UTC()
	if m.NextAttemptAt.IsZero() {
		m.NextAttemptAt = m.CreatedAt
	}
	return s.t.write(ctx, "outbox", `INSERT INTO outbox (`+outboxCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, 0, '')`,
		[]any{m.ID, m.DealerID, m.Topic, m.Recipient, m.Subject, m.Body, jsonb{m.Data}, m.CreatedAt.UTC(), m.NextAttemptAt.UTC()},
		func(_ sql.Result, err error) error { return mapErr("postgres.Outbox.Enqueue", err) })
}

// Claim leases the due messages in one statement: the SELECT locks them with SKIP LOCKED, so a concurrent claim
// passes them by instead of waiting, and one that read them before this commit re-checks the lease on the
// committed row (READ COMMITTED re-evaluates the WHERE of a locked, updated row) and passes them by too. The
// SELECT is a materialized CTE so that it runs once: as an IN (subquery) the planner may run it again per row
// and lease more than limit.
//
// The due messages are read in claim order from the partial index outbox_due, (dealer_id, created_at, id) since
// migration 098, so a claim reads its batch and stops: on (dealer_id, created_at), with statistics older than a
// burst of notices, the plan sorted every due message of the dealer first (16 ms per claim of 50 at 3,487 queued
// after a run of bookings, growing with the queue; TestOutboxClaimReadsItsBatch).
func (s outboxStore) Claim(ctx context.Context, lease crm.Lease, now time.Time, limit int) ([]crm.Message, error) {
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, outboxClaimSQL, d, now.UTC(), limit, lease.Token, lease.Until.UTC())
	out, err := collect(rows, err, "postgres.Outbox.Claim", scanMessage)
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}

// outboxClaimSQL leases up to $3 due messages of dealer $1 at $2 with token $4 until $5 (Claim).
var outboxClaimSQL = `WITH due AS MATERIALIZED (
		SELECT id FROM outbox WHERE dealer_id = $1 AND sent_at IS NULL AND dead_at IS NULL
		AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until <= $2)
		ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
	UPDATE outbox o SET claim_token = $4, claimed_until = $5 FROM due WHERE o.id = due.id
	RETURNING ` + outboxColsOf("o")

func (s outboxStore) MarkSent(ctx context.Context, id, token crm.ID, t time.Time) error {
	return s.mark(ctx, "postgres.Outbox.MarkSent", id, token, `sent_at = $4, attempts = attempts + 1`, t.UTC())
}

func (s outboxStore) MarkFailed(ctx context.Context, id, token crm.ID, f crm.Failure) error {
	if f.Dead {
		return s.mark(ctx, "postgres.Outbox.MarkFailed", id, token,
			`attempts = attempts + 1, last_error = $4, dead_at = $5`, f.Reason, f.At.UTC())
	}
	return s.mark(ctx, "postgres.Outbox.MarkFailed", id, token,
		`attempts = attempts + 1, last_error = $4, next_attempt_at = $5`, f.Reason, f.RetryAt.UTC())
}

// outboxMarkSQL is the UPDATE of one leased message by its primary key. "Neither sent nor dead" is written as
// coalesce(sent_at, dead_at) IS NULL, which the planner cannot match to the predicate of the partial index
// outbox_due: written as two IS NULLs it could, and with statistics older than a burst of notices (thousands
// queued in seconds, before autovacuum analyzes the table) it chose that index and walked every queued message of
// the dealer for each one it marked — 6.8 ms per mark at 7,000 queued (pg_stat_statements, 30 November).
func outboxMarkSQL(set string) string {
	return `UPDATE outbox SET ` + set + `, claim_token = NULL, claimed_until = NULL
		WHERE id = $1 AND dealer_id = $2 AND claim_token = $3 AND coalesce(sent_at, dead_at) IS NULL`
}

// MarkSentAll implements crm.OutboxMarker: outboxMarkAllSQL, one statement for a batch's sent messages.
func (s outboxStore) MarkSentAll(ctx context.Context, token crm.ID, ids []crm.ID, ats []time.Time) ([]crm.ID, error) {
	const op = "postgres.Outbox.MarkSentAll"
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	if len(ids) != len(ats) {
		return nil, crm.Invalid(op, crm.FieldError{Field: "ats", Message: "must give one time per message"})
	}
	idText, atText := make([]string, len(ids)), make([]string, len(ats))
	for i := range ids {
		idText[i], atText[i] = ids[i].String(), ats[i].UTC().Format(time.RFC3339Nano)
	}
	var marked []crm.ID
	rows, err := s.t.tx.QueryContext(ctx, outboxMarkAllSQL, pq.StringArray(idText), d, token, pq.StringArray(atText))
	if err != nil {
		return nil, mapErr(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id crm.ID
		if err := rows.Scan(&id); err != nil {
			return nil, mapErr(op, err)
		}
		marked = append(marked, id)
	}
	return marked, mapErr(op, rows.Err())
}

// outboxMarkAllSQL is outboxMarkSQL's MarkSent for the messages $1 (each sent at its time in $4) of dealer $2
// that still carry token $3, by their primary key (the same coalesce as outboxMarkSQL's), returning the IDs marked.
const outboxMarkAllSQL = `UPDATE outbox o SET sent_at = m.at, attempts = o.attempts + 1, claim_token = NULL,
		claimed_until = NULL
	FROM unnest($1::uuid[], $4::timestamptz[]) AS m(id, at)
	WHERE o.id = m.id AND o.dealer_id = $2 AND o.claim_token = $3 AND coalesce(o.sent_at, o.dead_at) IS NULL
	RETURNING o.id`

// mark applies set to the message id if it still carries token, and ends its lease.
func (s outboxStore) mark(ctx context.Context, op string, id, token crm.ID, set string, args ...any) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, outboxMarkSQL(set), append([]any{id, d, token}, args...)...)
	if err != nil {
		return mapErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var exists bool
	if err := s.t.tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM outbox WHERE id = $1 AND dealer_id = $2)`, id, d); err != nil {
		return mapErr(op, err)
	}
	if !exists {
		return crm.NotFound(op, "message %s not found", id)
	}
	return crm.E(crm.KindConflict, op, crm.ErrLeaseLost)
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
