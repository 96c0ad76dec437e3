package memory

// table is one map of values. Reads need the DB lock held (shared or exclusive); writes go through a writable
// Tx, which holds the lock exclusively and records how to undo them.
type table[K comparable, V any] struct {
	rows map[K]V
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
	return nil
}
