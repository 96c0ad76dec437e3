package memory

import (
	"bytes"
	"context"

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
// its own size plus the records keep skips, and reads no other dealer's rows. op names a bad cursor's error.
func (r records[V]) newestPage(ctx context.Context, tx *Tx, op string, pr crm.PageRequest, keep func(*V) bool) (crm.Page[V], error) {
	pos, err := pr.Position(op)
	if err != nil {
		return crm.Page[V]{}, err
	}
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.Page[V]{}, err
	}
	return r.newestPageOf(r.table(tx).index.sorted(dealer, "created"), pos, crm.PageLimit(pr.Limit), keep), nil
}

// newestPageIn is newestPage over the records under key in the group called name, which must be ordered as
// createdOrder (the documents of one subject, say).
func (r records[V]) newestPageIn(ctx context.Context, tx *Tx, op, name string, key crm.ID, pr crm.PageRequest) (crm.Page[V], error) {
	pos, err := pr.Position(op)
	if err != nil {
		return crm.Page[V]{}, err
	}
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return crm.Page[V]{}, err
	}
	return r.newestPageOf(r.table(tx).index.grouped(dealer, name, key), pos, crm.PageLimit(pr.Limit), nil), nil
}

// newestPageOf walks list (nil: empty) backwards from pos and makes the page of up to limit records keep accepts.
func (r records[V]) newestPageOf(list *sortedList[V], pos *crm.Keyset, limit int, keep func(*V) bool) crm.Page[V] {
	var rows []V
	if list != nil {
		var before *V
		if pos != nil {
			var probe V
			m := r.meta(&probe)
			m.CreatedAt, m.ID = pos.At, pos.ID
			before = &probe
		}
		list.descend(before, func(v *V) bool {
			if keep == nil || keep(v) {
				rows = append(rows, r.copy(*v))
			}
			return len(rows) <= limit
		})
	}
	return crm.PageFrom(rows, limit, func(v *V) crm.Keyset {
		m := r.meta(v)
		return crm.Keyset{At: m.CreatedAt, ID: m.ID}
	})
}
