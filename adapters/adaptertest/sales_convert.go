package adaptertest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// testSalesConvertRefusedByItsWrites: converting a lead writes the customer made from its contact, the car's
// hold, the sale and the lead together (one statement on PostgreSQL); when the sale's write is refused (an
// external ID another sale has), none of the others is left — no customer, the car as it was, the lead open and
// unchanged — and the conversion goes through once the request is right.
func testSalesConvertRefusedByItsWrites(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	_, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: e.customer("Другой").ID, ExternalID: "DMS-1"})
	require.NoError(t, err)
	lead := e.lead("Пётр", "Vesta", v.ID)
	require.Zero(t, lead.CustomerID, "the conversion makes the customer")
	people := func() int {
		all, err := customerService(e).ListCustomers(e.ctx, crm.ID{}, 100)
		require.NoError(t, err)
		return len(all)
	}
	before, car := people(), e.getVehicle(v.ID)

	_, err = e.svc.ConvertLead(e.ctx, lead.ID, lead.Version, sales.ConvertInput{VehicleID: v.ID, ExternalID: "DMS-1"})
	require.ErrorIs(t, err, crm.ErrConflict)
	assert.Equal(t, before, people(), "no customer made")
	assert.Equal(t, car, e.getVehicle(v.ID), "the car as it was")
	got, err := e.leads.GetLead(e.ctx, lead.ID)
	require.NoError(t, err)
	assert.Equal(t, lead, got, "the lead unchanged")

	sale, err := e.svc.ConvertLead(e.ctx, lead.ID, lead.Version, sales.ConvertInput{VehicleID: v.ID, ExternalID: "DMS-2"})
	require.NoError(t, err)
	assert.Equal(t, before+1, people())
	got, err = e.leads.GetLead(e.ctx, lead.ID)
	require.NoError(t, err)
	assert.Equal(t, sale.ID, got.SaleID)
	assert.Equal(t, sale.CustomerID, got.CustomerID)
	assert.Equal(t, lead.Version+1, got.Version)
	held := e.getVehicle(v.ID)
	assert.Equal(t, car.Version+1, held.Version)
	assert.Equal(t, 1, salesHolds(held)[catalog.ForSale], "the sale holds the car")
}
