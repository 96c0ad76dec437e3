package postgres

import (
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// CatalogUnit returns the unit of work over the catalog's stores (vehicles, parts, services, dealers).
// Times come from the system clock: shorthand for crm.NewUnit[catalog.Stores](db, nil).
func (db *DB) CatalogUnit() crm.UnitOfWork[catalog.Stores] {
	return crm.NewUnit[catalog.Stores](db, nil)
}

var _ catalog.Stores = (*Tx)(nil)
