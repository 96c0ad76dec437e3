package memory

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// trigramIndex is the catalog's text index: for each dealer and each three bytes of a car's search text (make,
// model, trim and VIN, lower-cased and joined by spaces, the text catalog.VehicleQuery.Match searches), the cars
// whose text has them. A car containing a text has every trigram of the text, so the cars in all the text's
// posting lists are a superset of the matches, which Match then settles. Each dealer numbers its cars from 0
// (ordinals), so that a posting list is a set of small numbers: a sorted []uint32 while it names few of the
// dealer's cars, a bitmap once it names more than a 32nd of them (no more bytes than the list; postings). Lists
// change in place under the write lock, each change recording its undo. A row carries its number
// (vehicleRow.ord), so a walk of an ordered view tests a row against a text's bitmaps, or a query's candidates,
// without reading its card.
type trigramIndex struct {
	dealers map[crm.ID]*textDealer
}

// textDealer is one dealer's part of the trigram index.
type textDealer struct {
	ord  map[crm.ID]uint32 // car → ordinal
	ids  []crm.ID          // ordinal → car
	post map[[3]byte]*postings
}

// vehicleTrigrams returns the DB's trigram index of the vehicles.
func vehicleTrigrams(db *DB) *trigramIndex {
	return dbState(db, "vehicles#trigrams", func() *trigramIndex {
		return &trigramIndex{dealers: map[crm.ID]*textDealer{}}
	})
}

// dealer returns the dealer's part of the index, nil when it has none.
func (ix *trigramIndex) dealer(d crm.ID) *textDealer { return ix.dealers[d] }

// vehicleText is what a text search looks in (see catalog.VehicleQuery.Match).
func vehicleText(v *catalog.Vehicle) string {
	return strings.ToLower(v.Make + " " + v.Model + " " + v.Trim + " " + string(v.VIN))
}

// trigrams returns the distinct trigrams of s.
func trigrams(s string) [][3]byte {
	var out [][3]byte
	for i := 0; i+3 <= len(s); i++ {
		g := [3]byte{s[i], s[i+1], s[i+2]}
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// change is the vehicles table hook.
func (ix *trigramIndex) change(tx *Tx, id crm.ID, old, v *vehicleRow) {
	var was, now string
	if old != nil {
		was = vehicleText(old.v)
	}
	if v != nil {
		now = vehicleText(v.v)
	}
	if old != nil && v != nil && was == now && old.dealer == v.dealer {
		return
	}
	if old != nil {
		d := ix.dealers[old.dealer]
		for _, g := range trigrams(was) {
			if p := d.post[g]; p != nil && p.drop(old.ord, len(d.ids)) {
				tx.undo = append(tx.undo, func() { p.add(old.ord, len(d.ids)) })
			}
		}
	}
	if v == nil {
		return
	}
	d := ix.dealers[v.dealer]
	for _, g := range trigrams(now) {
		p := d.post[g]
		if p == nil {
			p = &postings{}
			d.post[g] = p
		}
		if p.add(v.ord, len(d.ids)) {
			tx.undo = append(tx.undo, func() { p.drop(v.ord, len(d.ids)) })
		}
	}
}

// ordinal returns the car's number among the dealer's cars in the index, numbering it when it has none (the row
// carries it: vehicleRow.ord).
func (ix *trigramIndex) ordinal(tx *Tx, dealer, id crm.ID) uint32 {
	d := ix.dealers[dealer]
	if d == nil {
		d = &textDealer{ord: map[crm.ID]uint32{}, post: map[[3]byte]*postings{}}
		ix.dealers[dealer] = d
		tx.undo = append(tx.undo, func() { delete(ix.dealers, dealer) })
	}
	if n, ok := d.ord[id]; ok {
		return n
	}
	n := uint32(len(d.ids))
	d.ord[id] = n
	d.ids = append(d.ids, id)
	tx.undo = append(tx.undo, func() {
		delete(d.ord, id)
		d.ids = d.ids[:len(d.ids)-1]
	})
	return n
}

// textPlan is how the index narrows a text search: the text's posting lists, rarest first. dense are the
// bitmaps among them (rarest first), in which a row's number is tested in a few nanoseconds; none (no list: some
// trigram is in no car) means no car has the text; wide means the index does not narrow the search (a text of
// fewer than three bytes).
type textPlan struct {
	lists []*postings
	dense [][]uint64
	none  bool
	wide  bool
}

// plan returns the dealer's posting lists of text's trigrams (text lower-cased, as Prepare leaves it).
func (d *textDealer) plan(text string) textPlan {
	gs := trigrams(text)
	if len(gs) == 0 || d == nil {
		return textPlan{wide: len(gs) == 0, none: len(gs) > 0}
	}
	lists := make([]*postings, 0, len(gs))
	for _, g := range gs {
		p := d.post[g]
		if p == nil || p.n == 0 {
			return textPlan{none: true}
		}
		lists = append(lists, p)
	}
	slices.SortFunc(lists, func(a, b *postings) int { return a.n - b.n })
	pl := textPlan{lists: lists}
	for _, p := range lists {
		if p.bits != nil {
			pl.dense = append(pl.dense, p.bits)
		}
	}
	return pl
}

// sparse returns the rarest of the lists kept as a sorted list (then the candidates are found by
// intersection, from it), or nil when every list is a bitmap.
func (pl *textPlan) sparse() *postings {
	for _, p := range pl.lists {
		if p.bits == nil {
			return p
		}
	}
	return nil
}

// test reports whether car n is in every bitmap of the plan (the walk's test; rarest first, so most cars fail on
// the first).
func (pl *textPlan) test(n uint32) bool {
	w, m := int(n/64), uint64(1)<<(n%64)
	for _, b := range pl.dense {
		if w >= len(b) || b[w]&m == 0 {
			return false
		}
	}
	return true
}

// and writes into out (resized) the cars in every bitmap of the plan, and returns it and their count.
func (pl *textPlan) and(out []uint64) ([]uint64, int) {
	w := len(pl.dense[0])
	for _, b := range pl.dense[1:] {
		w = min(w, len(b))
	}
	if cap(out) < w {
		out = make([]uint64, w)
	}
	out = out[:w]
	copy(out, pl.dense[0][:w])
	for _, b := range pl.dense[1:] {
		b = b[:w]
		for i := range out {
			out[i] &= b[i]
		}
	}
	c := 0
	for _, x := range out {
		c += bits.OnesCount64(x)
	}
	return out, c
}

// intersect appends to buf (its room reused: the candidates of a search, pooled) the cars (ascending) of the
// rarest sorted list (pl.sparse()) that are in the other lists, and returns it: each bitmap is a test per kept
// car; a further sorted list is intersected while it is at most 4 × what is kept (the first such list always), so
// the cost is about the two shortest sorted lists' lengths.
func (pl *textPlan) intersect(buf []uint32) []uint32 {
	first := pl.sparse()
	keep := first.list // read only: the index's own list until the first step writes into buf
	owned, merged := false, false
	for _, p := range pl.lists {
		if len(keep) == 0 {
			break
		}
		out := buf[:0]
		if owned {
			out = keep[:0] // in place: each step's writes stay behind its reads
		}
		switch {
		case p == first:
			continue
		case p.bits != nil:
			for _, n := range keep {
				if int(n/64) < len(p.bits) && p.bits[n/64]&(1<<(n%64)) != 0 {
					out = append(out, n)
				}
			}
		case !merged || len(p.list) <= 4*len(keep):
			out, merged = intersect(out, keep, p.list), true
		default:
			continue
		}
		keep, owned = out, true
	}
	if !owned {
		keep = append(buf[:0], keep...)
	}
	return keep
}

// intersect appends to out the entries of keep (sorted) that are in p (sorted), and returns it (out may be keep[:0]:
// it is written behind what is read): a merge when p is not much longer, else a binary search of each entry in
// what is left of p.
func intersect(out, keep, p []uint32) []uint32 {
	if len(p) <= 8*len(keep) {
		j := 0
		for _, n := range keep {
			for j < len(p) && p[j] < n {
				j++
			}
			if j == len(p) {
				break
			}
			if p[j] == n {
				out = append(out, n)
			}
		}
		return out
	}
	for _, n := range keep {
		i, ok := slices.BinarySearch(p, n)
		if ok {
			out = append(out, n)
		}
		p = p[i:]
	}
	return out
}
