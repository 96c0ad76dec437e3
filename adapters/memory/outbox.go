package memory

import (
	"bytes"
	"context"
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

// table is the outbox, with its per-dealer index (see outboxTable).
func (s outboxStore) table() *table[crm.ID, outboxRow] { return outboxTable(s.tx.db) }

// outboxTable returns the outbox table, created on first use with its recordIndex: per dealer, the messages
// oldest first ("created": created_at, then ID), the pending ones oldest first (the group "pending", one key),
// and the messages of each customer and of each lead (the groups "customer" and "lead", keyed by the IDs their
// data names; a staff notice is not its lead's), so that no outbox query of one dealer reads another's messages,
// a list is a walk of its own size and a customer's notices are found without a scan.
func outboxTable(db *DB) *table[crm.ID, outboxRow] {
	const name = "outbox"
	if t, ok := db.tables.Load(name); ok {
		return asTable[crm.ID, outboxRow](name, t)
	}
	created := func(a, b *outboxRow) int {
		if c := a.msg.CreatedAt.Compare(b.msg.CreatedAt); c != 0 {
			return c
		}
		return bytes.Compare(a.msg.ID[:], b.msg.ID[:])
	}
	ix := newRecordIndex(func(r *outboxRow) crm.ID { return r.msg.DealerID },
		[]order[outboxRow]{{name: "created", cmp: created}},
		[]group[outboxRow]{
			{name: "pending", cmp: created, key: func(r *outboxRow) (crm.ID, bool) {
				return crm.ID{}, r.msg.Status() == crm.MessagePending
			}},
			{name: "customer", cmp: created, key: func(r *outboxRow) (crm.ID, bool) {
				return dataID(&r.msg, "customer_id")
			}},
			{name: "lead", cmp: created, key: func(r *outboxRow) (crm.ID, bool) {
				return noticeLead(&r.msg)
			}},
		})
	t := &table[crm.ID, outboxRow]{rows: map[crm.ID]outboxRow{}, index: ix, hooks: []func(*Tx, crm.ID, *outboxRow, *outboxRow){ix.change}}
	got, _ := db.tables.LoadOrStore(name, t)
	return asTable[crm.ID, outboxRow](name, got)
}

// noticeLead is the lead whose customer notice m is (false: none, or a notice to staff, which names a user).
func noticeLead(m *crm.Message) (crm.ID, bool) {
	if _, toStaff := m.Data["user_id"]; toStaff {
		return crm.ID{}, false
	}
	lead, ok := dataID(m, "lead_id")
	return lead, ok && lead != crm.ID{}
}

// dataID is the ID m's data holds under key (false: none, or not an ID).
func dataID(m *crm.Message, key string) (crm.ID, bool) {
	s := m.Data[key]
	if s == "" {
		return crm.ID{}, false
	}
	id, err := crm.ParseID(key, s)
	return id, err == nil
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

func (s outboxStore) Claim(ctx context.Context, lease crm.Lease, now time.Time, limit int) ([]crm.Message, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, err
	}
	// the dealer's pending messages, oldest first: the first limit that are due and not leased
	var due []outboxRow
	if pending := s.table().index.grouped(d, "pending", crm.ID{}); pending != nil && limit > 0 {
		pending.ascend(nil, func(r *outboxRow) bool {
			if !r.msg.NextAttemptAt.After(now) && (r.token == (crm.ID{}) || !r.until.After(now)) {
				due = append(due, *r)
			}
			return len(due) < limit
		})
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
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, err
	}
	out := []crm.Message{}
	if all := s.table().index.sorted(d, "created"); all != nil && limit > 0 {
		all.descend(nil, func(r *outboxRow) bool {
			out = append(out, cloneMessage(r.msg))
			return len(out) < limit
		})
	}
	return out, nil
}
