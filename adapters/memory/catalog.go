package memory

import (
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

var _ catalog.Stores = (*Tx)(nil)

// dealerKey is the key of a per-dealer unique index (VIN, part number, service code).
type dealerKey struct {
	dealer crm.ID
	key    string
}

// uniqueIndex maps a per-dealer unique value to the ID of the record holding it. It is kept in the same
// transaction as its records, so a rollback undoes both.
type uniqueIndex struct{ name string }

func (u uniqueIndex) table(tx *Tx) *table[dealerKey, crm.ID] {
	return tableOf[dealerKey, crm.ID](tx.db, u.name)
}

// free reports whether key is unused by the dealer, or used by id itself.
func (u uniqueIndex) free(tx *Tx, dealer crm.ID, key string, id crm.ID) bool {
	if key == "" {
		return true
	}
	owner, ok := u.table(tx).get(dealerKey{dealer, key})
	return !ok || owner == id
}

// move records that id now holds key instead of old (either may be "", which is not indexed).
func (u uniqueIndex) move(tx *Tx, dealer crm.ID, old, key string, id crm.ID) error {
	if old == key {
		return nil
	}
	t := u.table(tx)
	if old != "" {
		if err := t.delete(tx, dealerKey{dealer, old}); err != nil {
			return err
		}
	}
	if key == "" {
		return nil
	}
	return t.put(tx, dealerKey{dealer, key}, id)
}
