package adaptertest

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// catalogExpireReservations: holds whose time ran out are ended in storage, so the reserved view is true again.
func catalogExpireReservations(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "Срок")
	short := e.create(t, card(testVIN(700), "Lada", "Vesta", 2026, "1500000"))
	long := e.create(t, card(testVIN(701), "Lada", "Granta", 2026, "900000"))
	both := e.create(t, card(testVIN(702), "Lada", "Niva", 2026, "1100000"))
	hold := func(v catalog.Vehicle, until time.Time) {
		_, err := e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: crm.NewID(),
			Holder: catalog.Holder{LeadID: crm.NewID()}, Until: until})
		require.NoError(t, err)
	}
	hold(short, Epoch.Add(time.Hour))
	hold(long, Epoch.Add(48*time.Hour))
	lead := crm.NewID()
	for _, until := range []time.Time{Epoch.Add(time.Hour), Epoch.Add(48 * time.Hour)} {
		_, err := e.svc.ReserveVehicle(e.ctx, both.ID, 0, catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: crm.NewID(),
			Holder: catalog.Holder{LeadID: lead}, Until: until})
		require.NoError(t, err)
	}

	n, err := e.svc.ExpireReservations(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, n, "nothing has ended yet")

	e.clock.Advance(2 * time.Hour)
	n, err = e.svc.ExpireReservations(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, catalog.StatusInStock, e.get(t, short.ID).Status)
	assert.Empty(t, e.get(t, short.ID).Reservations)
	assert.Equal(t, catalog.StatusReserved, e.get(t, long.ID).Status)
	kept := e.get(t, both.ID)
	assert.Equal(t, catalog.StatusReserved, kept.Status)
	assert.Len(t, kept.Reservations, 1, "the later hold stays")
	page, err := e.svc.ListReservedVehicles(e.ctx, catalog.VehicleQuery{})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)

	n, err = e.svc.ExpireReservations(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, n, "a second run changes nothing")
}
