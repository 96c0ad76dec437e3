package memory

import (
	"slices"
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// trigramIndex is the catalog's text index: for each dealer and each three bytes of a car's search text (make,
// model, trim and VIN, lower-cased and joined by spaces, the text catalog.VehicleQuery.Match searches), the cars
// whose text has them. A car containing a text has every trigram of the text, so the cars in all the text's
// posting lists are a superset of the matches, which Match then settles. Cars are numbered (ordinals) so that a
// posting list is a sorted []uint32; lists change in place under the write lock, each change recording its undo.
// A row carries its number (vehicleRow.ord), so a walk of an ordered view tests a row against a query's
// candidates (a bitmap of their numbers) without reading its card.
type trigramIndex struct {
	ord  map[crm.ID]uint32 // car → ordinal
	ids  []crm.ID          // ordinal → car
	post map[trigramKey][]uint32
}

type trigramKey struct {
	dealer crm.ID
	g      [3]byte
}

// vehicleTrigrams returns the DB's trigram index of the vehicles.
func vehicleTrigrams(db *DB) *trigramIndex {
	return dbState(db, "vehicles#trigrams", func() *trigramIndex {
		return &trigramIndex{ord: map[crm.ID]uint32{}, post: map[trigramKey][]uint32{}}
	})
}

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
		for _, g := range trigrams(was) {
			ix.drop(tx, trigramKey{old.dealer, g}, old.ord)
		}
	}
	if v == nil {
		return
	}
	for _, g := range trigrams(now) {
		ix.add(tx, trigramKey{v.dealer, g}, v.ord)
	}
}

// ordinal returns the car's number in the index, numbering it when it has none (the row carries it: vehicleRow.ord).
func (ix *trigramIndex) ordinal(tx *Tx, id crm.ID) uint32 {
	if n, ok := ix.ord[id]; ok {
		return n
	}
	n := uint32(len(ix.ids))
	ix.ord[id] = n
	ix.ids = append(ix.ids, id)
	tx.undo = append(tx.undo, func() {
		delete(ix.ord, id)
		ix.ids = ix.ids[:len(ix.ids)-1]
	})
	return n
}

func (ix *trigramIndex) add(tx *Tx, k trigramKey, n uint32) {
	p := ix.post[k]
	i, found := slices.BinarySearch(p, n)
	if found {
		return
	}
	ix.post[k] = slices.Insert(p, i, n)
	tx.undo = append(tx.undo, func() { ix.post[k] = slices.Delete(ix.post[k], i, i+1) })
}

func (ix *trigramIndex) drop(tx *Tx, k trigramKey, n uint32) {
	p := ix.post[k]
	i, found := slices.BinarySearch(p, n)
	if !found {
		return
	}
	ix.post[k] = slices.Delete(p, i, i+1)
	tx.undo = append(tx.undo, func() { ix.post[k] = slices.Insert(ix.post[k], i, n) })
}

// candidates returns the dealer's cars (by ordinal, ascending; the caller must not change the slice) that have the rarest trigrams of text (a
// lower-cased query text): a superset of the cars containing the text, which Match then settles. It reports false
// when the index does not narrow the search: a text shorter than three bytes, or whose rarest trigram is in more
// than an eighth of the dealer's rows cars (its matches then come often enough in any order to fill a page early).
// Lists are intersected from the shortest while the next one is not much longer than what is kept, so the cost is
// about the two shortest lists' lengths.
func (ix *trigramIndex) candidates(dealer crm.ID, text string, rows int) ([]uint32, bool) {
	gs := trigrams(text)
	if len(gs) == 0 {
		return nil, false
	}
	lists := make([][]uint32, 0, len(gs))
	for _, g := range gs {
		p := ix.post[trigramKey{dealer, g}]
		if len(p) == 0 {
			return nil, true // no car has this trigram, so none has the text
		}
		lists = append(lists, p)
	}
	slices.SortFunc(lists, func(a, b []uint32) int { return len(a) - len(b) })
	if len(lists[0]) > max(64, rows/8) {
		return nil, false
	}
	keep := lists[0] // read only: the index's own list until the first intersection
	for i, p := range lists[1:] {
		if len(keep) == 0 || i > 0 && len(p) > 4*len(keep) {
			break
		}
		keep = intersect(keep, p)
	}
	return keep, true
}

// intersect returns the entries of keep (sorted) that are in p (sorted), in a new slice grown as they are found
// (a few, for a selective text): a merge when p is not much longer, else a binary search of each entry in what is
// left of p.
func intersect(keep, p []uint32) []uint32 {
	var out []uint32
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
