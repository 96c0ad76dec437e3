package memory

// table is one map of values. Reads need the DB lock held (shared or exclusive); writes go through a writable
// Tx, which holds the lock exclusively and records how to undo them.
//
// A table may carry indexes (hooks): every put and delete tells each hook the key, the value it replaces (nil:
// none) and the new value (nil: deleted), and the hook updates its index in place, recording its own undo in the
// Tx. The table of a records type gets its dealer index this way (see recordIndex), so every store built on
// records has it without code of its own.
type table[K comparable, V any] struct {
	rows  map[K]V
	hooks []func(tx *Tx, k K, old, v *V)
	index *recordIndex[V] // tables of records only: each dealer's keys and ordered views
}

func (t *table[K, V]) get(k K) (V, bool) {
	v, ok := t.rows[k]
	return v, ok
}

func (t *table[K, V]) put(tx *Tx, k K, v V) error {
	if !tx.writable {
		return errReadOnly
	}
	old, existed := t.rows[k]
	tx.undo = append(tx.undo, func() {
		if existed {
			t.rows[k] = old
		} else {
			delete(t.rows, k)
		}
	})
	t.rows[k] = v
	if len(t.hooks) > 0 {
		var was *V
		if existed {
			was = &old
		}
		for _, h := range t.hooks {
			h(tx, k, was, &v)
		}
	}
	return nil
}

func (t *table[K, V]) delete(tx *Tx, k K) error {
	if !tx.writable {
		return errReadOnly
	}
	old, existed := t.rows[k]
	if !existed {
		return nil
	}
	tx.undo = append(tx.undo, func() { t.rows[k] = old })
	delete(t.rows, k)
	for _, h := range t.hooks {
		h(tx, k, &old, nil)
	}
	return nil
}
