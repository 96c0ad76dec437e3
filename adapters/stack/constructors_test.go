package stack_test

import (
	"testing"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
)

// Every service follows one convention: a missing unit of work is refused at construction (a panic that names
// the constructor), and a nil clock means crm.SystemClock.
func TestServiceConstructorsRejectMissingUnitOfWork(t *testing.T) {
	db := memory.New()
	for _, c := range []struct {
		ctor              string
		missing, nilClock func()
	}{
		{"catalog.NewService", func() { catalog.NewService(nil, nil) }, func() { catalog.NewService(crm.NewUnit[catalog.Stores](db, nil), nil) }},
		{"leads.NewService", func() { leads.NewService(nil, nil) }, func() { leads.NewService(crm.NewUnit[leads.Stores](db, nil), nil) }},
		{"sales.NewService", func() { sales.NewService(nil, nil) }, func() { sales.NewService(crm.NewUnit[sales.Stores](db, nil), nil) }},
		{"aftersales.NewService", func() { aftersales.NewService(nil, nil) },
			func() { aftersales.NewService(crm.NewUnit[aftersales.Stores](db, nil), nil) }},
		{"crm.NewTeam", func() { crm.NewTeam(nil, nil) }, func() { crm.NewTeam(crm.NewUnit[crm.Stores](db, nil), nil) }},
		{"crm.NewRelay", func() { crm.NewRelay(nil, stack.DiscardNotifier{}, nil) },
			func() { crm.NewRelay(crm.NewUnit[crm.Stores](db, nil), stack.DiscardNotifier{}, nil) }},
		{"appraisal.NewService", func() { appraisal.NewService(nil, nil) },
			func() { appraisal.NewService(crm.NewUnit[appraisal.Stores](db, nil), nil) }},
		{"customers.NewService", func() { customers.NewService(nil) },
			func() { customers.NewService(crm.NewUnit[customers.Stores](db, nil)) }},
		{"credit.NewService", func() { credit.NewService(nil, nil) },
			func() { credit.NewService(crm.NewUnit[credit.Stores](db, nil), nil) }},
	} {
		t.Run(c.ctor, func(t *testing.T) {
			assert.PanicsWithValue(t, c.ctor+": nil unit of work", c.missing)
			assert.NotPanics(t, c.nilClock)
		})
	}
}
