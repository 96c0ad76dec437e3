package stack_test

import (
	"testing"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
)

// Every domain service follows one convention: a missing unit of work is refused at construction (a panic that
// names the constructor), and a nil clock means crm.SystemClock.
func TestServiceConstructorsRejectMissingUnitOfWork(t *testing.T) {
	db := memory.New()
	for name, c := range map[string]struct{ missing, nilClock func() }{
		"catalog": {func() { catalog.NewService(nil, nil) }, func() { catalog.NewService(db.CatalogUnit(), nil) }},
		"leads":   {func() { leads.NewService(nil, nil) }, func() { leads.NewService(db.LeadsUnit(), nil) }},
		"sales":   {func() { sales.NewService(nil, nil) }, func() { sales.NewService(db.SalesUnit(), nil) }},
		"aftersales": {func() { aftersales.NewService(nil, nil) },
			func() { aftersales.NewService(db.AftersalesUnit(), nil) }},
	} {
		t.Run(name, func(t *testing.T) {
			assert.PanicsWithValue(t, name+".NewService: nil unit of work", c.missing)
			assert.NotPanics(t, c.nilClock)
		})
	}
}
