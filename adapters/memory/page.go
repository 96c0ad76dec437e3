package memory

import (
	"bytes"
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// createdOrder is the order "created" of a records table: by creation time, then ID. A list newest first walks it
// backwards (newestPage).
func createdOrder[V any](meta func(*V) *crm.Meta) order[V] {
	return order[V]{name: "created", cmp: func(a, b *V) int {
		ma, mb := meta(a), meta(b)
		if c := ma.CreatedAt.Compare(mb.CreatedAt); c != 0 {
			return c
		}
		return bytes.Compare(ma.ID[:], mb.ID[:])
	}}
}

// newestPage returns the page pr asks for of the context's dealer's records that keep accepts (nil: all), newest
// first (created_at, then ID, descending): it walks the dealer's "created" order (createdOrder, which the records
// must declare) backwards from the cursor's position and stops after limit+1 kept records, so a page costs about
// its own size plus the records keep skips, and reads no other dealer's rows. Its cursors are list's; op names a
// bad cursor's error.
func (r records[V]) newestPage(ctx context.Context, tx *Tx, op string, list crm.List, pr crm.PageRequest, keep func(*V) bool) (crm.Page[V], error) {
	pos, err := pr.Position(op, list)
	if err != nil {
		return crm.Page[V]{}, err
	}
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.Page[V]{}, err
	}
	return r.newestPageOf(r.table(tx).index.sorted(dealer, "created"), list, pos, crm.PageLimit(pr.Limit), keep), nil
}

// newestPageIn is newestPage over the records under key in the group called name, which must be ordered as
// createdOrder (the documents of one subject, say).
func (r records[V]) newestPageIn(ctx context.Context, tx *Tx, op string, list crm.List, name string, key crm.ID, pr crm.PageRequest) (crm.Page[V], error) {
	pos, err := pr.Position(op, list)
	if err != nil {
		return crm.Page[V]{}, err
	}
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.Page[V]{}, err
	}
	return r.newestPageOf(r.table(tx).index.grouped(dealer, name, key), list, pos, crm.PageLimit(pr.Limit), nil), nil
}

// newestPageOf walks sorted (nil: empty) backwards from pos and makes list's page of up to limit records keep
// accepts.
func (r records[V]) newestPageOf(sorted *sortedList[V], list crm.List, pos *crm.Keyset, limit int, keep func(*V) bool) crm.Page[V] {
	var rows []V
	if sorted != nil {
		var before *V
		if pos != nil {
			var probe V
			m := r.meta(&probe)
			m.CreatedAt, m.ID = pos.At, pos.ID
			before = &probe
		}
		sorted.descend(before, func(v *V) bool {
			if keep == nil || keep(v) {
				rows = append(rows, r.copy(*v))
			}
			return len(rows) <= limit
		})
	}
	return crm.PageFrom(rows, limit, list, func(v *V) crm.Keyset {
		m := r.meta(v)
		return crm.Keyset{At: m.CreatedAt, ID: m.ID}
	})
}

// timeOrder is an ascending order of a records table by a time, then ID: the keyset of a crm.PageRequest list
// read forwards (appointments by start, warranties by end). at returns the record's time; probe returns a value
// at a position, to seek with.
type timeOrder[V any] struct {
	name  string
	at    func(*V) time.Time
	id    func(*V) crm.ID
	probe func(at time.Time, id crm.ID) V
}

// order is the records' ordered view this timeOrder walks (declare it in records.orders).
func (o timeOrder[V]) order() order[V] {
	return order[V]{name: o.name, cmp: func(a, b *V) int {
		if c := o.at(a).Compare(o.at(b)); c != 0 {
			return c
		}
		ia, ib := o.id(a), o.id(b)
		return bytes.Compare(ia[:], ib[:])
	}}
}

// walk calls fn with each of the context's dealer's records whose time is in [from, to) (to zero: no end), in
// order, starting just after pos when it is set, until fn returns false. It reads only the dealer's records in
// that range (a seek, then a walk).
func (o timeOrder[V]) walk(ctx context.Context, tx *Tx, r records[V], from, to time.Time, pos *crm.Keyset, fn func(*V) bool) error {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	list := r.table(tx).index.sorted(dealer, o.name)
	if list == nil {
		return nil
	}
	start := o.probe(from, crm.ID{}) // before every record at from (no record has the zero ID)
	if pos != nil && !pos.At.Before(from) {
		start = o.probe(pos.At, pos.ID) // ascend skips the record at the cursor itself
	}
	list.ascend(&start, func(v *V) bool {
		if !to.IsZero() && !o.at(v).Before(to) {
			return false
		}
		return fn(v)
	})
	return nil
}

// page returns the page pr asks for of the context's dealer's records with a time in [from, to) that keep
// accepts (nil: all), in this order: it walks from the cursor's position and stops after limit+1 kept records,
// so a page costs about its own size plus the records keep skips in the range. Its cursors are list's; op names
// a bad cursor's error.
func (o timeOrder[V]) page(ctx context.Context, tx *Tx, r records[V], op string, list crm.List, pr crm.PageRequest,
	from, to time.Time, keep func(*V) bool) (crm.Page[V], error) {
	pos, err := pr.Position(op, list)
	if err != nil {
		return crm.Page[V]{}, err
	}
	limit := crm.PageLimit(pr.Limit)
	var rows []V
	err = o.walk(ctx, tx, r, from, to, pos, func(v *V) bool {
		if keep == nil || keep(v) {
			rows = append(rows, r.copy(*v))
		}
		return len(rows) <= limit
	})
	if err != nil {
		return crm.Page[V]{}, err
	}
	return crm.PageFrom(rows, limit, list, func(v *V) crm.Keyset { return crm.Keyset{At: o.at(v), ID: o.id(v)} }), nil
}
