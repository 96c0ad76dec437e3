package adaptertest

import (
	"context"
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dealVehicleExternalID: a vehicle keeps the embedder's ID, unique per dealer (a conflict with the duplicate code
// when taken, on create and on update), and is found by it; another dealer may use the same ID.
func dealVehicleExternalID(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	svc := catalog.NewService(crm.NewUnit[catalog.Stores](e.b, nil), e.clock)
	v, err := svc.CreateVehicle(e.ctx, catalog.Vehicle{VIN: "XTAGFL110TY018001", Make: "Lada", Model: "Vesta", Year: 2026,
		ExternalID: " DMS-1001 "})
	require.NoError(t, err)
	assert.Equal(t, "DMS-1001", v.ExternalID)

	_, err = svc.CreateVehicle(e.ctx, catalog.Vehicle{VIN: "XTAGFL110TY018002", Make: "Lada", Model: "Niva", Year: 2026,
		ExternalID: "DMS-1001"})
	require.ErrorIs(t, err, crm.ErrConflict)
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err))
	takenExternalID(t, err)
	other, err := svc.CreateVehicle(e.ctx, catalog.Vehicle{VIN: "XTAGFL110TY018003", Make: "Lada", Model: "Granta", Year: 2026})
	require.NoError(t, err)
	other.ExternalID = "DMS-1001"
	_, err = svc.UpdateVehicle(e.ctx, other.ID, other.Version, other)
	require.ErrorIs(t, err, crm.ErrConflict, "taken on update too")
	takenExternalID(t, err)

	page, err := svc.SearchVehicles(e.ctx, catalog.VehicleQuery{ExternalID: "DMS-1001"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, v.ID, page.Items[0].ID)

	// Freed by an update, the ID can be taken by another card.
	v.ExternalID = "DMS-2002"
	_, err = svc.UpdateVehicle(e.ctx, v.ID, v.Version, v)
	require.NoError(t, err)
	other.ExternalID = "DMS-1001"
	_, err = svc.UpdateVehicle(e.ctx, other.ID, other.Version, other)
	require.NoError(t, err)

	south := salesEnvOf(t, e.b, "Юг")
	_, err = catalog.NewService(crm.NewUnit[catalog.Stores](e.b, nil), e.clock).CreateVehicle(south.ctx, catalog.Vehicle{VIN: "XTAGFL110TY018001",
		Make: "Lada", Model: "Vesta", Year: 2026, ExternalID: "DMS-1001"})
	require.NoError(t, err, "unique per dealer, not across dealers")
}

// dealExternalIDs: customers, leads and sales keep the embedder's ID, unique per dealer (a duplicate conflict),
// and are found by it.
func dealExternalIDs(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	// Customers (through the kernel store: the HTTP layer and the customer service use it).
	c := mustCustomer(t, "Внешний")
	c.ExternalID = "CRM-7"
	e.update(func(ctx context.Context, s sales.Stores) error { return s.Customers().Create(ctx, &c) })
	dup := mustCustomer(t, "Двойник")
	dup.ExternalID = "CRM-7"
	err := crm.NewUnit[sales.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Customers().Create(ctx, &dup) })
	require.ErrorIs(t, err, crm.ErrConflict)
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err))
	takenExternalID(t, err)
	e.view(func(ctx context.Context, s sales.Stores) error {
		got, err := s.Customers().GetByExternalID(ctx, "CRM-7")
		assert.Equal(t, c.ID, got.ID)
		return err
	})

	// Leads.
	in := leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", LastName: "Внешний", Phones: []string{"+7 916 180-00-01"}},
		Source: leads.SourceWebsite, NeedType: leads.NeedCarPurchase, ExternalID: "WEB-42"}
	l, err := e.leads.CreateLead(e.ctx, in)
	require.NoError(t, err)
	in.Contact.Phones = []string{"+7 916 180-00-02"}
	_, err = e.leads.CreateLead(e.ctx, in)
	require.ErrorIs(t, err, crm.ErrConflict)
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err))
	takenExternalID(t, err)
	got, err := e.leads.GetLeadByExternalID(e.ctx, "WEB-42")
	require.NoError(t, err)
	assert.Equal(t, l.ID, got.ID)
	_, err = e.leads.GetLeadByExternalID(e.ctx, "WEB-43")
	require.ErrorIs(t, err, crm.ErrNotFound)

	// Sales: on open, on conversion and on edit.
	s1, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: c.ID, ExternalID: "DMS-S-1"})
	require.NoError(t, err)
	_, err = e.svc.ConvertLead(e.ctx, l.ID, 0, sales.ConvertInput{ExternalID: "DMS-S-1"})
	require.ErrorIs(t, err, crm.ErrConflict)
	takenExternalID(t, err)
	s2, err := e.svc.ConvertLead(e.ctx, l.ID, 0, sales.ConvertInput{ExternalID: "DMS-S-2"})
	require.NoError(t, err)
	taken := "DMS-S-1"
	_, err = e.svc.EditSale(e.ctx, s2.ID, s2.Version, sales.Edit{Changes: sales.Changes{ExternalID: &taken}})
	require.ErrorIs(t, err, crm.ErrConflict)
	takenExternalID(t, err)
	found, err := e.svc.GetSaleByExternalID(e.ctx, "DMS-S-1")
	require.NoError(t, err)
	assert.Equal(t, s1.ID, found.ID)
}

// takenExternalID asserts the error every adapter returns for an external ID another record of the dealer has:
// crm.DuplicateField naming external_id, in the same words (the HTTP API's 409 lists it in errors[]).
func takenExternalID(t *testing.T, err error) {
	t.Helper()
	assert.Equal(t, crm.CodeDuplicate, crm.CodeOf(err))
	assert.Equal(t, []crm.FieldError{{Field: "external_id", Message: crm.DuplicateMessage}}, crm.FieldsOf(err))
	assert.Contains(t, err.Error(), crm.DuplicateSummary+": external_id "+crm.DuplicateMessage)
}
