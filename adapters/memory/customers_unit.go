package memory

import "github.com/dealercrm/dealercrm/customers"

// The transaction has every store the customer use cases need (crm.NewUnit[customers.Stores](db, clock)).
var _ customers.Stores = (*Tx)(nil)
