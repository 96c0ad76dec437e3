package adaptertest

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// catalogHoldsForReserve: GetForReserve reads the car with its sale holds only (what Reserve and Sell look at);
// a hold added to it and saved joins the others, which stay; the card (Get) lists every hold in the order made;
// selling it so drops them all (issue 16 items 5 and 6: a booking does not read the car's other drives' holds).
func catalogHoldsForReserve(t *testing.T, b Backend) {
	e := newCatalogEnv(t, b, "Север")
	v := e.create(t, card(testVIN(1), "Lada", "Vesta", 2026, "1500000"))
	buyer := catalog.Holder{CustomerID: crm.NewID()}
	var refs []crm.ID
	reserve := func(r catalog.Reservation) {
		t.Helper()
		e.clock.Set(e.clock.Now().Add(time.Minute)) // each hold made at its own time
		r.RefID = crm.NewID()
		_, err := e.svc.ReserveVehicle(e.ctx, v.ID, 0, r)
		require.NoError(t, err)
		refs = append(refs, r.RefID)
	}
	slot := Epoch.Add(24 * time.Hour)
	reserve(catalog.Reservation{Purpose: catalog.ForTestDrive, Holder: catalog.Holder{LeadID: crm.NewID()}, From: slot, Until: slot.Add(time.Hour)})
	reserve(catalog.Reservation{Purpose: catalog.ForSale, Holder: buyer})
	reserve(catalog.Reservation{Purpose: catalog.ForTestDrive, Holder: buyer, From: slot.Add(2 * time.Hour), Until: slot.Add(3 * time.Hour)})

	unit := crm.NewUnit[catalog.Stores](b, e.clock)
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s catalog.Stores) error {
		got, err := s.Vehicles().GetForReserve(ctx, v.ID)
		if err != nil {
			return err
		}
		assert.True(t, got.SaleHoldsOnly)
		require.Len(t, got.Reservations, 1, "only the sale's hold")
		assert.Equal(t, refs[1], got.Reservations[0].RefID)
		// Another drive of the buyer's, added to what was read.
		e.clock.Set(e.clock.Now().Add(time.Minute))
		drive := catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: crm.NewID(), Holder: buyer,
			From: slot.Add(4 * time.Hour), Until: slot.Add(5 * time.Hour)}
		require.NoError(t, got.Reserve(drive, e.clock.Now()))
		refs = append(refs, drive.RefID)
		got.UpdatedAt = e.clock.Now()
		return s.Vehicles().Update(ctx, &got)
	}))
	held := e.get(t, v.ID)
	assert.False(t, held.SaleHoldsOnly)
	assert.Equal(t, catalog.StatusReserved, held.Status)
	var got []crm.ID
	for _, r := range held.Reservations {
		got = append(got, r.RefID)
	}
	assert.Equal(t, refs, got, "every hold, in the order made: the ones not read were kept")
	assert.True(t, held.Reservations[3].From.Equal(slot.Add(4*time.Hour)))

	// Sold through the same read: no hold is left.
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s catalog.Stores) error {
		got, err := s.Vehicles().GetForReserve(ctx, v.ID)
		if err != nil {
			return err
		}
		if err := got.Sell(buyer, refs[1], e.clock.Now()); err != nil {
			return err
		}
		return s.Vehicles().Update(ctx, &got)
	}))
	sold := e.get(t, v.ID)
	assert.Equal(t, catalog.StatusSold, sold.Status)
	assert.Empty(t, sold.Reservations)
}
