package customers_test

import (
	"context"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorsNameNoOperationToCallers: the customer service adds its operation name with crm.Wrap, as every
// service does, so what a caller is shown (crm.MessageOf, problem+json's detail) names no Go operation.
func TestErrorsNameNoOperationToCallers(t *testing.T) {
	st := stack.New(memory.New(), nil)
	d, err := st.AddDealer(context.Background(), crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
	require.NoError(t, err)
	ctx := crm.WithDealer(context.Background(), d.ID)
	c, err := st.Customers.CreateCustomer(ctx, crm.Customer{Contact: crm.Contact{FirstName: "Иван", Phones: []string{"+79000000000"}}})
	require.NoError(t, err)
	missing := crm.NewID()

	_, errCreate := st.Customers.CreateCustomer(ctx, crm.Customer{Contact: crm.Contact{FirstName: "Иван"}})
	_, errGet := st.Customers.GetCustomer(ctx, missing)
	_, errUpdate := st.Customers.UpdateCustomer(ctx, c.ID, c.Version+1, c)
	_, _, errMerge := st.Customers.MergeCustomers(ctx, customers.Merge{KeepID: c.ID, DuplicateID: missing})
	for name, err := range map[string]error{"create": errCreate, "get": errGet, "update": errUpdate, "merge": errMerge} {
		require.Error(t, err, name)
		msg := crm.MessageOf(err)
		assert.NotEmpty(t, msg, name)
		for _, op := range []string{"customers.Service", "crm.NewCustomer", "memory.", "Get:"} {
			assert.NotContains(t, msg, op, "%s: %q", name, msg)
		}
		assert.Contains(t, err.Error(), "customers.Service.", "%s: Error() still names the operation for logs", name)
	}
	assert.Equal(t, crm.CodeStaleVersion, crm.CodeOf(errUpdate))
	assert.Equal(t, []crm.FieldError{{Field: "phone", Message: "a phone or an e-mail is required"}}, crm.FieldsOf(errCreate))
}
