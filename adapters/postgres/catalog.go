package postgres

import (
	"github.com/dealercrm/dealercrm/catalog"
)

var _ catalog.Stores = (*Tx)(nil)
