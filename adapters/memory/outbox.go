package memory

import (
	"context"
	"sort"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// outboxRow is a stored message and the lease a relay holds on it (none when token is zero).
type outboxRow struct {
	msg   crm.Message
	token crm.ID
	until time.Time
}

type outboxStore struct{ tx *Tx }

// Outbox returns the outbox of this unit of work.
func (tx *Tx) Outbox() crm.OutboxStore { return outboxStore{tx} }

func (s outboxStore) table() *table[crm.ID, outboxRow] {
	return tableOf[crm.ID, outboxRow](s.tx.db, "outbox")
}

func cloneMessage(m crm.Message) crm.Message {
	if m.Data != nil {
		d := make(map[string]string, len(m.Data))
		for k, v := range m.Data {
			d[k] = v
		}
		m.Data = d
	}
	for _, t := range []**time.Time{&m.SentAt, &m.DeadAt} {
		if *t != nil {
			c := **t
			*t = &c
		}
	}
	return m
}

func (s outboxStore) Enqueue(ctx context.Context, m *crm.Message) error {
	d, err := crm.DealerFrom(ctx)
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
		return crm.Forbidden("memory.Outbox.Enqueue", "message belongs to another dealer")
	}
	if _, ok := s.table().get(m.ID); ok {
		return crm.Duplicate("memory.Outbox.Enqueue", "message %s already queued", m.ID)
	}
	if m.CreatedAt.IsZero() { // a message keeps the time its notice was made (order of enqueueing); else the unit's
		m.CreatedAt = s.tx.now
	}
	m.CreatedAt = m.CreatedAt.UTC()
	if m.NextAttemptAt.IsZero() {
		m.NextAttemptAt = m.CreatedAt
	}
	m.NextAttemptAt = m.NextAttemptAt.UTC()
	return s.table().put(s.tx, m.ID, outboxRow{msg: cloneMessage(*m)})
}

// dealerRows returns the context's dealer's rows that keep accepts, oldest first.
func (s outboxStore) dealerRows(ctx context.Context, keep func(outboxRow) bool) ([]outboxRow, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, err
	}
	var out []outboxRow
	for _, r := range s.table().rows {
		if r.msg.DealerID == d && keep(r) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].msg, out[j].msg
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID.String() < b.ID.String()
	})
	return out, nil
}

func (s outboxStore) Claim(ctx context.Context, lease crm.Lease, now time.Time, limit int) ([]crm.Message, error) {
	due, err := s.dealerRows(ctx, func(r outboxRow) bool {
		return r.msg.Status() == crm.MessagePending && !r.msg.NextAttemptAt.After(now) &&
			(r.token == (crm.ID{}) || !r.until.After(now))
	})
	if err != nil {
		return nil, err
	}
	if len(due) > limit {
		due = due[:limit]
	}
	out := make([]crm.Message, 0, len(due))
	for _, r := range due {
		r.token, r.until = lease.Token, lease.Until.UTC()
		if err := s.table().put(s.tx, r.msg.ID, r); err != nil {
			return nil, err
		}
		out = append(out, cloneMessage(r.msg))
	}
	return out, nil
}

// mark changes the message id if it still carries token, and ends its lease.
func (s outboxStore) mark(ctx context.Context, op string, id, token crm.ID, change func(*crm.Message)) error {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	r, ok := s.table().get(id)
	if !ok || r.msg.DealerID != d {
		return crm.NotFound(op, "message %s not found", id)
	}
	if r.token != token || token == (crm.ID{}) || r.msg.Status() != crm.MessagePending {
		return crm.E(crm.KindConflict, op, crm.ErrLeaseLost)
	}
	m := cloneMessage(r.msg)
	change(&m)
	return s.table().put(s.tx, id, outboxRow{msg: m})
}

func (s outboxStore) MarkSent(ctx context.Context, id, token crm.ID, t time.Time) error {
	return s.mark(ctx, "memory.Outbox.MarkSent", id, token, func(m *crm.Message) {
		at := t.UTC()
		m.SentAt = &at
		m.Attempts++
	})
}

func (s outboxStore) MarkFailed(ctx context.Context, id, token crm.ID, f crm.Failure) error {
	return s.mark(ctx, "memory.Outbox.MarkFailed", id, token, func(m *crm.Message) {
		m.Attempts++
		m.LastError = f.Reason
		if f.Dead {
			at := f.At.UTC()
			m.DeadAt = &at
			return
		}
		m.NextAttemptAt = f.RetryAt.UTC()
	})
}

func (s outboxStore) List(ctx context.Context, limit int) ([]crm.Message, error) {
	rows, err := s.dealerRows(ctx, func(outboxRow) bool { return true })
	out := make([]crm.Message, 0, len(rows))
	for i := len(rows) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, cloneMessage(rows[i].msg))
	}
	return out, err
}
