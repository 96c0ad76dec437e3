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
		n := ix.ord[id]
		for _, g := range trigrams(was) {
			ix.drop(tx, trigramKey{old.dealer, g}, n)
		}
	}
	if v == nil {
		return
	}
	n, ok := ix.ord[id]
	if !ok {
		n = uint32(len(ix.ids))
		ix.ord[id] = n
		ix.ids = append(ix.ids, id)
		tx.undo = append(tx.undo, func() {
			delete(ix.ord, id)
			ix.ids = ix.ids[:len(ix.ids)-1]
		})
	}
	for _, g := range trigrams(now) {
		ix.add(tx, trigramKey{v.dealer, g}, n)
	}
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

// selectiveText is the largest shortest posting list the index intersects; a text whose every trigram is more
// common than that (and than a sixteenth of the dealer's cars) is searched by walking the ordered view, where
// its matches come often enough to fill a page early.
const selectiveText = 4096

// candidates returns the dealer's cars whose text has every trigram of text (a lower-cased query text), when
// that is a small part of the dealer's rows cars; nil when the index does not narrow the search (a text shorter
// than three bytes, or made only of common trigrams).
func (ix *trigramIndex) candidates(dealer crm.ID, text string, rows int) []crm.ID {
	gs := trigrams(text)
	if len(gs) == 0 {
		return nil
	}
	lists := make([][]uint32, 0, len(gs))
	for _, g := range gs {
		p := ix.post[trigramKey{dealer, g}]
		if len(p) == 0 {
			return []crm.ID{} // no car has this trigram, so none has the text
		}
		lists = append(lists, p)
	}
	slices.SortFunc(lists, func(a, b []uint32) int { return len(a) - len(b) })
	if len(lists[0]) > max(selectiveText, rows/16) {
		return nil
	}
	keep := slices.Clone(lists[0])
	for _, p := range lists[1:] {
		out := keep[:0]
		for _, n := range keep {
			if _, ok := slices.BinarySearch(p, n); ok {
				out = append(out, n)
			}
		}
		keep = out
		if len(keep) == 0 {
			break
		}
	}
	ids := make([]crm.ID, len(keep))
	for i, n := range keep {
		ids[i] = ix.ids[n]
	}
	return ids
}
