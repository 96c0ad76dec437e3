package memory

import (
	"context"
	"slices"

	"github.com/dealercrm/dealercrm/crm"
)

// records is a dealer-scoped table of versioned records of type V: the common Get/Create/Update of every store.
type records[V any] struct {
	name  string             // table name, also used in error operations
	meta  func(*V) *crm.Meta // the record's metadata
	clone func(V) V          // deep copy; nil when V has no reference fields
	// keys, when set, lists the lookup keys of a record (normalised phones and e-mails, say); the table keeps an
	// index from each key to the IDs that have it, so that find need not scan.
	keys func(*V) []string
	// external, when set, is the record's external ID: unique per dealer when not empty (a duplicate conflict
	// otherwise), and found with byExternal.
	external func(*V) string
	// orders are the ordered views the table keeps per dealer (see recordIndex), for stores that page in them.
	orders []order[V]
	// groups are the ordered views per key the table keeps per dealer (see group).
	groups []group[V]
	// hooks, when set, builds further indexes of the table (called once per DB, when the table is created).
	hooks func(db *DB) []func(tx *Tx, id crm.ID, old, v *V)
}

// externals is the unique index of external IDs.
func (r records[V]) externals() uniqueIndex { return uniqueIndex{name: r.name + "#external_id"} }

// claimExternal checks that v's external ID is free for it and moves the index from old's (nil: none) to v's.
func (r records[V]) claimExternal(tx *Tx, dealer, id crm.ID, old, v *V, op string) error {
	if r.external == nil {
		return nil
	}
	var was string
	if old != nil {
		was = r.external(old)
	}
	now := r.external(v)
	if !r.externals().free(tx, dealer, now, id) {
		return crm.DuplicateField(op, "external_id")
	}
	return r.externals().move(tx, dealer, was, now, id)
}

// byExternal returns the record of the context's dealer with external ID x; KindNotFound when there is none.
func (r records[V]) byExternal(ctx context.Context, tx *Tx, x string) (V, error) {
	var zero V
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return zero, err
	}
	id, ok := r.externals().table(tx).get(dealerKey{dealer, x})
	if !ok || x == "" {
		return zero, crm.NotFound("memory."+r.name+".GetByExternalID", "no %s with external ID %q", r.name, x)
	}
	return r.get(ctx, tx, id)
}

// index is the table of keys → record IDs (per dealer: the key is prefixed with the dealer's ID).
func (r records[V]) index(tx *Tx) *table[string, []crm.ID] {
	return tableOf[string, []crm.ID](tx.db, r.name+"#keys")
}

// reindex moves id from the keys of old (nil: none) to the keys of v (nil: none). The ID lists are changed in
// place (under the write lock) and each change records its inverse, so a write costs the same however many
// records share a key (a car's drives, a lead's activities).
func (r records[V]) reindex(tx *Tx, dealer, id crm.ID, old, v *V) error {
	if r.keys == nil {
		return nil
	}
	if !tx.writable {
		return errReadOnly
	}
	idx := r.index(tx)
	prefix := dealer.String() + "/"
	var was map[string]bool
	if old != nil {
		was = map[string]bool{}
		for _, k := range r.keys(old) {
			was[k] = true
		}
	}
	var now map[string]bool
	if v != nil {
		now = map[string]bool{}
		for _, k := range r.keys(v) {
			now[k] = true
		}
	}
	for k := range was {
		if !now[k] {
			removeKeyID(tx, idx, prefix+k, id)
		}
	}
	for k := range now {
		if !was[k] {
			addKeyID(tx, idx, prefix+k, id)
		}
	}
	return nil
}

// addKeyID appends id to the list of key (reindex adds only keys the record did not have, so it is not there)
// and records how to take it off again.
func addKeyID(tx *Tx, idx *table[string, []crm.ID], key string, id crm.ID) {
	idx.rows[key] = append(idx.rows[key], id)
	tx.undo = append(tx.undo, func() {
		cur := idx.rows[key]
		if len(cur) == 1 {
			delete(idx.rows, key)
			return
		}
		idx.rows[key] = cur[:len(cur)-1]
	})
}

// removeKeyID takes id off the list of key and records how to put it back where it was.
func removeKeyID(tx *Tx, idx *table[string, []crm.ID], key string, id crm.ID) {
	ids := idx.rows[key]
	i := slices.Index(ids, id)
	if i < 0 {
		return
	}
	if len(ids) == 1 {
		delete(idx.rows, key)
	} else {
		idx.rows[key] = slices.Delete(ids, i, i+1)
	}
	tx.undo = append(tx.undo, func() { idx.rows[key] = slices.Insert(idx.rows[key], i, id) })
}

// find returns copies of the context's dealer's records having any of keys (blank keys are ignored), each once.
func (r records[V]) find(ctx context.Context, tx *Tx, keys ...string) ([]V, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, err
	}
	idx, t := r.index(tx), r.table(tx)
	seen := map[crm.ID]bool{}
	var out []V
	for _, k := range keys {
		if k == "" {
			continue
		}
		ids, _ := idx.get(dealer.String() + "/" + k)
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			if v, ok := t.get(id); ok {
				out = append(out, r.copy(v))
			}
		}
	}
	return out, nil
}

// table is the records' table, with its per-dealer index.
func (r records[V]) table(tx *Tx) *table[crm.ID, V] {
	return recordTable(tx.db, r.name, r.meta, r.orders, r.groups, r.hooks)
}

// each calls fn with every stored row of the context's dealer (not a copy: fn must not keep or change it), in no
// particular order, until fn returns false. It reads only the dealer's rows.
func (r records[V]) each(ctx context.Context, tx *Tx, fn func(*V) bool) error {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	r.eachOf(tx, dealer, fn)
	return nil
}

// eachOf is each for the given dealer: fn gets every stored row of the dealer (not a copy), in no particular
// order, until it returns false; no other dealer's row is read.
func (r records[V]) eachOf(tx *Tx, dealer crm.ID, fn func(*V) bool) {
	t := r.table(tx)
	d := t.index.of(dealer)
	if d == nil {
		return
	}
	for id := range d.ids {
		v := t.rows[id]
		if !fn(&v) {
			return
		}
	}
}

func (r records[V]) copy(v V) V {
	if r.clone != nil {
		return r.clone(v)
	}
	return v
}

// get returns the record of the context's dealer; KindNotFound when missing or another dealer's.
func (r records[V]) get(ctx context.Context, tx *Tx, id crm.ID) (V, error) {
	var zero V
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return zero, err
	}
	v, ok := r.table(tx).get(id)
	if !ok || r.meta(&v).DealerID != dealer {
		return zero, crm.NotFound("memory."+r.name+".Get", "%s %s not found", r.name, id)
	}
	return r.copy(v), nil
}

// create stores a new record for the context's dealer with Version 1, created and updated at the unit of work's
// time.
func (r records[V]) create(ctx context.Context, tx *Tx, v *V) error {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	m := r.meta(v)
	if m.ID == (crm.ID{}) {
		m.ID = crm.NewID()
	}
	if m.DealerID == (crm.ID{}) {
		m.DealerID = dealer
	}
	if m.DealerID != dealer {
		return crm.Forbidden("memory."+r.name+".Create", "record belongs to another dealer")
	}
	t := r.table(tx)
	if _, ok := t.get(m.ID); ok {
		return crm.Duplicate("memory."+r.name+".Create", "%s %s already exists", r.name, m.ID)
	}
	if err := r.claimExternal(tx, dealer, m.ID, nil, v, "memory."+r.name+".Create"); err != nil {
		return err
	}
	m.Version = 1
	m.CreatedAt, m.UpdatedAt = tx.now, tx.now
	if err := t.put(tx, m.ID, r.copy(*v)); err != nil {
		return err
	}
	return r.reindex(tx, dealer, m.ID, nil, v)
}

// update stores v if its version is the stored one, bumps the version and stamps UpdatedAt with the unit of
// work's time.
func (r records[V]) update(ctx context.Context, tx *Tx, v *V) error {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	m := r.meta(v)
	t := r.table(tx)
	old, ok := t.get(m.ID)
	if !ok || r.meta(&old).DealerID != dealer {
		return crm.NotFound("memory."+r.name+".Update", "%s %s not found", r.name, m.ID)
	}
	if m.DealerID != dealer {
		return crm.Forbidden("memory."+r.name+".Update", "record belongs to another dealer")
	}
	if r.meta(&old).Version != m.Version {
		return crm.Stale("memory."+r.name+".Update", "%s %s is at version %d, not %d", r.name, m.ID, r.meta(&old).Version, m.Version)
	}
	if err := r.claimExternal(tx, dealer, m.ID, &old, v, "memory."+r.name+".Update"); err != nil {
		return err
	}
	m.Version++
	m.UpdatedAt = tx.now
	if err := t.put(tx, m.ID, r.copy(*v)); err != nil {
		m.Version--
		return err
	}
	return r.reindex(tx, dealer, m.ID, &old, v)
}

// remove deletes the record if version is the stored one.
func (r records[V]) remove(ctx context.Context, tx *Tx, id crm.ID, version int64) error {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	t := r.table(tx)
	old, ok := t.get(id)
	if !ok || r.meta(&old).DealerID != dealer {
		return crm.NotFound("memory."+r.name+".Delete", "%s %s not found", r.name, id)
	}
	if v := r.meta(&old).Version; v != version {
		return crm.Stale("memory."+r.name+".Delete", "%s %s is at version %d, not %d", r.name, id, v, version)
	}
	if err := r.reindex(tx, dealer, id, &old, nil); err != nil {
		return err
	}
	if r.external != nil { // the external ID is free again
		if err := r.externals().move(tx, dealer, r.external(&old), "", id); err != nil {
			return err
		}
	}
	return t.delete(tx, id)
}

// all returns copies of every record of the context's dealer that keep returns true for (nil keeps all), in no
// particular order.
func (r records[V]) all(ctx context.Context, tx *Tx, keep func(*V) bool) ([]V, error) {
	var out []V
	err := r.each(ctx, tx, func(v *V) bool {
		if keep == nil || keep(v) {
			out = append(out, r.copy(*v))
		}
		return true
	})
	return out, err
}
