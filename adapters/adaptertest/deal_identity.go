package adaptertest

import (
	"context"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dealLeadIdentity: a lead with a shared family phone and another name is not linked to the customer (it is kept
// as a duplicate to confirm), and its contract names the lead's own person; the same person is linked; a person
// confirms a duplicate with the link action.
func dealLeadIdentity(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	father, err := crm.NewCustomer(e.dealer.ID, crm.Customer{Contact: crm.Contact{FirstName: "Пётр", MiddleName: "Иванович",
		LastName: "Семёнов", Phones: []string{"+7 916 123-45-67"}, Emails: []string{"petr@example.ru"}},
		Document: crm.IdentityDocument{Type: "passport_ru", Series: "45 10", Number: "123456"}}, e.clock.Now())
	require.NoError(t, err)
	e.update(func(ctx context.Context, s sales.Stores) error { return s.Customers().Create(ctx, &father) })

	// The daughter calls from the family phone.
	daughter, err := e.leads.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Мария", LastName: "Семёнова",
		Phones: []string{"8 (916) 123-45-67"}}, Source: leads.SourcePhone, NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	assert.Zero(t, daughter.CustomerID, "another name on a shared phone is not the same person")
	assert.Equal(t, []crm.ID{father.ID}, daughter.DuplicateCustomerIDs, "kept as a duplicate to confirm")

	// Her sale and contract name her, never her father.
	v := e.vehicle("Vesta", "1500000")
	sale, err := e.svc.ConvertLead(e.ctx, daughter.ID, 0, sales.ConvertInput{VehicleID: v.ID})
	require.NoError(t, err)
	assert.NotEqual(t, father.ID, sale.CustomerID)
	contract, _, err := e.svc.BuildSaleContract(e.ctx, sale.ID, sales.ContractTerms{})
	require.NoError(t, err)
	assert.Contains(t, contract.Buyer.FullName, "Мария")
	assert.NotContains(t, contract.Buyer.FullName, "Пётр")
	assert.NotContains(t, contract.Buyer.Document.Number, "123456", "never another person's passport")

	// The father himself, written differently, is linked.
	himself, err := e.leads.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "петр", LastName: "СЕМЕНОВ",
		Emails: []string{"Petr@Example.ru"}}, Source: leads.SourceWebsite, NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	assert.Equal(t, father.ID, himself.CustomerID)

	// A duplicate confirmed by a person: the explicit link.
	wife, err := e.leads.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Анна", LastName: "Семёнова",
		Phones: []string{"+7 916 123-45-67"}}, Source: leads.SourcePhone, NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	require.Zero(t, wife.CustomerID)
	_, err = e.leads.LinkLeadCustomer(e.ctx, wife.ID, wife.Version, crm.NewID())
	require.ErrorIs(t, err, crm.ErrInvalid)
	linked, err := e.leads.LinkLeadCustomer(e.ctx, wife.ID, wife.Version, father.ID)
	require.NoError(t, err)
	assert.Equal(t, father.ID, linked.CustomerID)
	assert.NotContains(t, linked.DuplicateCustomerIDs, father.ID, "the confirmed customer is no longer a duplicate")
	_, err = e.leads.LinkLeadCustomer(e.ctx, wife.ID, wife.Version, father.ID)
	require.ErrorIs(t, err, crm.ErrStaleVersion)
}

// dealLeadSearchByPhone: the lead list filters by a phone typed in any usual form, or its last seven digits.
func dealLeadSearchByPhone(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	want, err := e.leads.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
		Phones: []string{"+7 (916) 123-45-67"}}, Source: leads.SourcePhone, NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	_, err = e.leads.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Олег", LastName: "Иванов",
		Phones: []string{"+7 926 123-45-60"}}, Source: leads.SourcePhone, NeedType: leads.NeedCarPurchase})
	require.NoError(t, err)
	for _, q := range []string{"8 916 123-45-67", "+7 916 123-45-67", "916-123-45-67", "123-45-67", "89161234567"} {
		page, err := e.leads.ListLeads(e.ctx, leads.LeadQuery{Phone: q})
		require.NoError(t, err, q)
		require.Len(t, page.Items, 1, q)
		assert.Equal(t, want.ID, page.Items[0].ID, q)
	}
	page, err := e.leads.ListLeads(e.ctx, leads.LeadQuery{Phone: "8 916 000-00-00"})
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	_, err = e.leads.ListLeads(e.ctx, leads.LeadQuery{Phone: "45-67"})
	require.ErrorIs(t, err, crm.ErrInvalid)
	assert.Equal(t, []string{"phone"}, salesFields(err))
}
