package memory

import (
	"github.com/dealercrm/dealercrm/crm"
)

// order is an ordered view of a records table, kept per dealer: cmp is a total order of the stored values (ties
// broken by ID). A store pages through it (ascend or descend from a cursor) instead of sorting the dealer's rows.
type order[V any] struct {
	name string
	cmp  func(a, b *V) int
}

// group is an ordered view of some of a dealer's records, one list per value of a key: the booked drives of each
// car by start, say. key returns false for a record outside the view.
type group[V any] struct {
	name string
	key  func(*V) (crm.ID, bool)
	cmp  func(a, b *V) int
}

// recordIndex is what a records table keeps beside its rows: for each dealer, the IDs of its rows and one
// sortedList per declared order. The table's hook keeps it current on every put and delete (whatever store
// method writes), so no query of one dealer reads another dealer's rows, and a first page in a declared order
// costs about its own size.
type recordIndex[V any] struct {
	dealerOf func(*V) crm.ID
	orders   []order[V]
	groups   []group[V]
	dealers  map[crm.ID]*dealerRows[V]
}

// dealerRows is one dealer's part of a recordIndex.
type dealerRows[V any] struct {
	ids    map[crm.ID]struct{}
	sorted []*sortedList[V]            // one per recordIndex.orders, same positions
	groups []map[crm.ID]*sortedList[V] // one per recordIndex.groups, same positions: key → its records
}

func newRecordIndex[V any](dealerOf func(*V) crm.ID, orders []order[V], groups []group[V]) *recordIndex[V] {
	return &recordIndex[V]{dealerOf: dealerOf, orders: orders, groups: groups, dealers: map[crm.ID]*dealerRows[V]{}}
}

// grouped returns the dealer's records under key in the group called name (nil when there are none).
func (ix *recordIndex[V]) grouped(dealer crm.ID, name string, key crm.ID) *sortedList[V] {
	d := ix.dealers[dealer]
	if d == nil {
		return nil
	}
	for i, g := range ix.groups {
		if g.name == name {
			return d.groups[i][key]
		}
	}
	panic("memory: no group " + name)
}

// of returns the dealer's rows (nil when the dealer has none).
func (ix *recordIndex[V]) of(dealer crm.ID) *dealerRows[V] { return ix.dealers[dealer] }

// sorted returns the dealer's list in the order called name (nil when the dealer has no rows).
func (ix *recordIndex[V]) sorted(dealer crm.ID, name string) *sortedList[V] {
	d := ix.dealers[dealer]
	if d == nil {
		return nil
	}
	for i, o := range ix.orders {
		if o.name == name {
			return d.sorted[i]
		}
	}
	panic("memory: no order " + name)
}

// change is the table hook: it moves id from old (nil: none) to v (nil: none) and records the undo.
func (ix *recordIndex[V]) change(tx *Tx, id crm.ID, old, v *V) {
	if old != nil {
		was := *old
		ix.remove(id, &was)
		tx.undo = append(tx.undo, func() { ix.add(id, &was) })
	}
	if v != nil {
		now := *v
		ix.add(id, &now)
		tx.undo = append(tx.undo, func() { ix.remove(id, &now) })
	}
}

func (ix *recordIndex[V]) add(id crm.ID, v *V) {
	dealer := ix.dealerOf(v)
	d := ix.dealers[dealer]
	if d == nil {
		d = &dealerRows[V]{ids: map[crm.ID]struct{}{}, sorted: make([]*sortedList[V], len(ix.orders)),
			groups: make([]map[crm.ID]*sortedList[V], len(ix.groups))}
		for i, o := range ix.orders {
			d.sorted[i] = &sortedList[V]{cmp: o.cmp}
		}
		for i := range ix.groups {
			d.groups[i] = map[crm.ID]*sortedList[V]{}
		}
		ix.dealers[dealer] = d
	}
	d.ids[id] = struct{}{}
	for _, l := range d.sorted {
		l.insert(*v)
	}
	for i, g := range ix.groups {
		k, ok := g.key(v)
		if !ok {
			continue
		}
		l := d.groups[i][k]
		if l == nil {
			l = &sortedList[V]{cmp: g.cmp}
			d.groups[i][k] = l
		}
		l.insert(*v)
	}
}

func (ix *recordIndex[V]) remove(id crm.ID, v *V) {
	dealer := ix.dealerOf(v)
	d := ix.dealers[dealer]
	if d == nil {
		return
	}
	delete(d.ids, id)
	for _, l := range d.sorted {
		l.remove(v)
	}
	for i, g := range ix.groups {
		k, ok := g.key(v)
		if l := d.groups[i][k]; ok && l != nil {
			l.remove(v)
			if l.n == 0 {
				delete(d.groups[i], k)
			}
		}
	}
	if len(d.ids) == 0 {
		delete(ix.dealers, dealer)
	}
}

// recordTable returns the table of a records type called name, creating it on first use with its recordIndex
// and the records' own hooks (hooks is called once, with the DB, to build them).
func recordTable[V any](db *DB, name string, meta func(*V) *crm.Meta, orders []order[V], groups []group[V],
	hooks func(db *DB) []func(tx *Tx, id crm.ID, old, v *V)) *table[crm.ID, V] {
	if t, ok := db.tables.Load(name); ok {
		return asTable[crm.ID, V](name, t)
	}
	ix := newRecordIndex(func(v *V) crm.ID { return meta(v).DealerID }, orders, groups)
	t := &table[crm.ID, V]{rows: map[crm.ID]V{}, index: ix, hooks: []func(tx *Tx, id crm.ID, old, v *V){ix.change}}
	if hooks != nil {
		t.hooks = append(t.hooks, hooks(db)...)
	}
	got, _ := db.tables.LoadOrStore(name, t)
	return asTable[crm.ID, V](name, got)
}
