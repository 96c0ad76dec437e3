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

// catalogExpireAmongManyHolds: a car held for many drives, some of them over, keeps the others in their order,
// stays reserved, and is written once; a car held for a sale and a drive that is over keeps the sale's hold; a car
// of another dealer whose hold is over is not touched.
func catalogExpireAmongManyHolds(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "Много")
	other := newCatalogEnv(t, b, "Чужие")
	busy := e.create(t, card(testVIN(710), "Lada", "Vesta", 2026, "1500000"))
	sold := e.create(t, card(testVIN(711), "Lada", "Granta", 2026, "900000"))
	theirs := other.create(t, card(testVIN(712), "Lada", "Niva", 2026, "1100000"))
	hold := func(e *catalogEnv, v catalog.Vehicle, purpose catalog.Purpose, until time.Time) crm.ID {
		ref := crm.NewID()
		_, err := e.svc.ReserveVehicle(e.ctx, v.ID, 0, catalog.Reservation{Purpose: purpose, RefID: ref,
			Holder: catalog.Holder{LeadID: crm.NewID(), SaleID: ref}, Until: until})
		require.NoError(t, err)
		return ref
	}
	var kept []crm.ID
	for i := range 12 {
		until := Epoch.Add(time.Duration(i+1) * time.Hour) // every third ends within the hour after the next
		if i%3 != 0 {
			until = Epoch.Add(48 * time.Hour)
		}
		ref := hold(e, busy, catalog.ForTestDrive, until)
		if i%3 != 0 {
			kept = append(kept, ref)
		}
		e.clock.Advance(time.Minute) // the holds' order is the order they were made in
	}
	hold(e, sold, catalog.ForTestDrive, Epoch.Add(time.Hour)) // another prospect's drive, then the sale
	sale := hold(e, sold, catalog.ForSale, time.Time{})
	hold(other, theirs, catalog.ForTestDrive, Epoch.Add(time.Hour))
	version := e.get(t, busy.ID).Version

	e.clock.Set(Epoch.Add(24 * time.Hour))
	n, err := e.svc.ExpireReservations(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n, "the busy car and the sold one")
	got := e.get(t, busy.ID)
	assert.Equal(t, catalog.StatusReserved, got.Status)
	assert.Equal(t, version+1, got.Version, "written once")
	var refs []crm.ID
	for _, r := range got.Reservations {
		refs = append(refs, r.RefID)
	}
	assert.Equal(t, kept, refs, "the holds still running, in the order they were made")
	s := e.get(t, sold.ID)
	assert.Equal(t, catalog.StatusReserved, s.Status)
	require.Len(t, s.Reservations, 1)
	assert.Equal(t, sale, s.Reservations[0].RefID, "the sale's hold stays")
	assert.Len(t, other.get(t, theirs.ID).Reservations, 1, "another dealer's car is not touched")

	e.clock.Set(Epoch.Add(72 * time.Hour))
	n, err = e.svc.ExpireReservations(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	got = e.get(t, busy.ID)
	assert.Equal(t, catalog.StatusInStock, got.Status, "every hold over: back in stock")
	assert.Empty(t, got.Reservations)
}

// catalogExpireAnExclusiveHold: a hold for a sale given an end (a car kept for a customer until Friday) ends as a
// drive's does, though it is kept with the vehicle's record, not among the shared holds; one whose end has not come
// stays.
func catalogExpireAnExclusiveHold(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "Бронь")
	ended := e.create(t, card(testVIN(720), "Lada", "Vesta", 2026, "1500000"))
	later := e.create(t, card(testVIN(721), "Lada", "Granta", 2026, "900000"))
	for _, c := range []struct {
		v     catalog.Vehicle
		until time.Time
	}{{ended, Epoch.Add(time.Hour)}, {later, Epoch.Add(48 * time.Hour)}} {
		_, err := e.svc.ReserveVehicle(e.ctx, c.v.ID, 0, catalog.Reservation{Purpose: catalog.ForSale, RefID: crm.NewID(),
			Holder: catalog.Holder{CustomerID: crm.NewID()}, Until: c.until})
		require.NoError(t, err)
	}

	e.clock.Advance(2 * time.Hour)
	n, err := e.svc.ExpireReservations(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, catalog.StatusInStock, e.get(t, ended.ID).Status)
	assert.Empty(t, e.get(t, ended.ID).Reservations)
	assert.Equal(t, catalog.StatusReserved, e.get(t, later.ID).Status)
	assert.Len(t, e.get(t, later.ID).Reservations, 1)

	n, err = e.svc.ExpireReservations(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, n, "a second run changes nothing")
}
