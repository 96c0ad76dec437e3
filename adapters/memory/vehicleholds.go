package memory

import (
	"bytes"
	"slices"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// A vehicle's holds are kept as the PostgreSQL adapter keeps them: the exclusive ones (a sale's) in the vehicle
// row, the shared ones (test drives') beside it, one entry each, so that adding a hold (GetForReserve, then
// Update) copies neither the car's other drives' holds nor the row's list of them.

// vehicleHolds are the shared holds of one vehicle. A read-write unit of work changes the map in place (it holds
// the DB lock exclusively) and records how to undo each change.
type vehicleHolds struct {
	byRef map[crm.ID]heldEntry
	next  uint64 // the next entry's seq
	// ends orders the holds by when they end (a hold without an end last), so that the ended ones and the one
	// ending last are found without reading the others (GetForExpiry).
	ends *sortedList[heldEnd]
}

// heldEnd is a shared hold's place in vehicleHolds.ends: its end (far in the future when it has none) and its ref.
type heldEnd struct {
	until time.Time
	ref   crm.ID
}

// noEnd stands for the end of a hold that has none.
var noEnd = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func endOf(r catalog.Reservation) heldEnd {
	if r.Until.IsZero() {
		return heldEnd{until: noEnd, ref: r.RefID}
	}
	return heldEnd{until: r.Until, ref: r.RefID}
}

func compareEnds(a, b *heldEnd) int {
	if c := a.until.Compare(b.until); c != 0 {
		return c
	}
	return bytes.Compare(a.ref[:], b.ref[:])
}

// endedHolds returns the vehicle's shared holds that ended at or before now and, when some are still active at
// now, the one ending last: a seek into ends and one step from its end, whatever the number of holds.
func endedHolds(tx *Tx, id crm.ID, now time.Time) []catalog.Reservation {
	h, ok := holdsTable(tx).get(id)
	if !ok || h.ends == nil {
		return nil
	}
	var out []catalog.Reservation
	h.ends.ascend(nil, func(e *heldEnd) bool {
		if e.until.After(now) {
			return false
		}
		out = append(out, h.byRef[e.ref].r)
		return true
	})
	h.ends.descend(nil, func(e *heldEnd) bool {
		if e.until.After(now) {
			out = append(out, h.byRef[e.ref].r)
		}
		return false
	})
	return out
}

// hasEnded reports whether the vehicle has a shared hold that ended at or before now (the first of ends).
func hasEnded(tx *Tx, id crm.ID, now time.Time) bool {
	h, ok := holdsTable(tx).get(id)
	ended := false
	if ok && h.ends != nil {
		h.ends.ascend(nil, func(e *heldEnd) bool {
			ended = !e.until.After(now)
			return false
		})
	}
	return ended
}

// heldEntry is one shared hold and the order it was made in.
type heldEntry struct {
	seq uint64
	r   catalog.Reservation
}

// holdsTable is the shared holds by vehicle ID.
func holdsTable(tx *Tx) *table[crm.ID, *vehicleHolds] {
	return tableOf[crm.ID, *vehicleHolds](tx.db, "vehicle_holds")
}

// sharedHolds returns the vehicle's shared holds in the order they were made (nil: none).
func sharedHolds(tx *Tx, id crm.ID) []catalog.Reservation {
	h, ok := holdsTable(tx).get(id)
	if !ok || len(h.byRef) == 0 {
		return nil
	}
	entries := make([]heldEntry, 0, len(h.byRef))
	for _, e := range h.byRef {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b heldEntry) int { return int(a.seq) - int(b.seq) })
	out := make([]catalog.Reservation, len(entries))
	for i, e := range entries {
		out[i] = e.r
	}
	return out
}

// withHolds returns v (a copy of the row's, carrying its exclusive holds) with every hold, in the order they were
// made (a stable sort by creation: the shared ones first on a tie), as the PostgreSQL adapter lists them.
func withHolds(tx *Tx, v catalog.Vehicle) catalog.Vehicle {
	v.SaleHoldsOnly = false
	shared := sharedHolds(tx, v.ID)
	if len(shared) == 0 {
		return v
	}
	all := append(shared, v.Reservations...)
	slices.SortStableFunc(all, func(a, b catalog.Reservation) int { return a.CreatedAt.Compare(b.CreatedAt) })
	v.Reservations = all
	return v
}

// writeHolds keeps the stored shared holds of v in step with it: the ones v carries put; when v carries every
// hold (read with Get), the others dropped; when only its exclusive ones (GetForReserve), the others kept unless
// v is no longer reserved.
func writeHolds(tx *Tx, v *catalog.Vehicle) error {
	if !tx.writable {
		return errReadOnly
	}
	t := holdsTable(tx)
	h, ok := t.get(v.ID)
	if !ok {
		h = &vehicleHolds{byRef: map[crm.ID]heldEntry{}, ends: &sortedList[heldEnd]{cmp: compareEnds}}
		if err := t.put(tx, v.ID, h); err != nil {
			return err
		}
	}
	carried := map[crm.ID]bool{}
	for _, r := range v.Reservations {
		if r.Purpose.Exclusive() {
			continue
		}
		carried[r.RefID] = true
		old, existed := h.byRef[r.RefID]
		e := heldEntry{seq: old.seq, r: r}
		if !existed {
			e.seq = h.next
			h.next++
		}
		h.byRef[r.RefID] = e
		if existed {
			h.ends.remove(ptr(endOf(old.r)))
		}
		h.ends.insert(endOf(r))
		ref := r.RefID
		tx.undo = append(tx.undo, func() {
			h.ends.remove(ptr(endOf(r)))
			if existed {
				h.byRef[ref] = old
				h.ends.insert(endOf(old.r))
			} else {
				delete(h.byRef, ref)
			}
		})
	}
	drop := func(ref crm.ID) {
		old, ok := h.byRef[ref]
		if !ok {
			return
		}
		delete(h.byRef, ref)
		h.ends.remove(ptr(endOf(old.r)))
		tx.undo = append(tx.undo, func() {
			h.byRef[ref] = old
			h.ends.insert(endOf(old.r))
		})
	}
	if v.SaleHoldsOnly && v.Status == catalog.StatusReserved {
		for _, ref := range v.DroppedHolds {
			if !carried[ref] {
				drop(ref)
			}
		}
		v.DroppedHolds = nil
		return nil
	}
	for ref := range h.byRef {
		if !carried[ref] {
			drop(ref)
		}
	}
	v.DroppedHolds = nil
	return nil
}

func ptr[T any](v T) *T { return &v }
