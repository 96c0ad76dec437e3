package postgres

import (
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// CatalogUnit returns the unit of work over the catalog's stores (vehicles, parts, services, dealers).
func (db *DB) CatalogUnit() crm.UnitOfWork[catalog.Stores] {
	return unit[catalog.Stores]{db, func(t *Tx) catalog.Stores { return t }}
}
