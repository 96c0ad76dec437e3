package adaptertest

import (
	"testing"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leadsDisqualifyCancelsDrives: a disqualified lead's booked drives are cancelled and their cars freed.
func leadsDisqualifyCancelsDrives(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	l := e.lead(t, "Отказ")
	v1, v2 := e.vehicle(t), e.vehicle(t)
	d1, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v1.ID, Start: msk(13, 0)})
	require.NoError(t, err)
	d2, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v2.ID, Start: msk(15, 0)})
	require.NoError(t, err)
	other := e.lead(t, "Другой")
	_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: other.ID, VehicleID: v1.ID, Start: msk(13, 0)})
	require.ErrorIs(t, err, leads.ErrTestDriveOverlap, "v1's 13:00 slot is held for the first lead")
	cur, err := e.svc.GetLead(e.ctx, l.ID)
	require.NoError(t, err)

	_, err = e.svc.MoveLeadStage(e.ctx, l.ID, cur.Version, leads.StageDisqualified, "нет бюджета")
	require.NoError(t, err)
	for _, d := range []leads.TestDrive{d1, d2} {
		got, err := e.svc.GetTestDrive(e.ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, leads.TestDriveCancelled, got.Status)
		assert.Equal(t, leads.CancelReasonLeadDisqualified, got.CancelReason)
	}
	for _, v := range []catalog.Vehicle{v1, v2} {
		got := e.getVehicle(t, v.ID)
		assert.Equal(t, catalog.StatusInStock, got.Status, "the car is free again")
		assert.Empty(t, got.Reservations)
	}
	// The freed slot can now be booked by someone else.
	_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: other.ID, VehicleID: v1.ID, Start: msk(13, 0)})
	require.NoError(t, err)
}
