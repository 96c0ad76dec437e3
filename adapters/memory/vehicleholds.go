package memory

import (
	"slices"

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
		h = &vehicleHolds{byRef: map[crm.ID]heldEntry{}}
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
		ref := r.RefID
		tx.undo = append(tx.undo, func() {
			if existed {
				h.byRef[ref] = old
			} else {
				delete(h.byRef, ref)
			}
		})
	}
	if v.SaleHoldsOnly && v.Status == catalog.StatusReserved {
		return nil
	}
	for ref, old := range h.byRef {
		if carried[ref] {
			continue
		}
		delete(h.byRef, ref)
		tx.undo = append(tx.undo, func() { h.byRef[ref] = old })
	}
	return nil
}
