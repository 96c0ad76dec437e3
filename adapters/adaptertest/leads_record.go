package adaptertest

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordedDrive: a drive that took place yesterday is recorded completed with its outcome; it holds no slot and
// reserves nothing; a drive that has not ended, or without a driver, is refused and writes nothing.
func recordedDrive(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	l := e.lead(t, "Павел")
	v := e.vehicle(t)
	start := msk(-24+11, 0) // yesterday 11:00 in Moscow
	d, err := e.svc.RecordTestDrive(e.ctx, leads.TestDriveRecord{LeadID: l.ID, VehicleID: v.ID, Start: start, End: start.Add(time.Hour),
		Outcome: leads.TestDriveOutcome{MileageOut: 120, MileageIn: 134, Rating: 5, Feedback: "Понравилось"}})
	require.NoError(t, err)
	assert.Equal(t, leads.TestDriveCompleted, d.Status)
	assert.Equal(t, 134, d.MileageIn)
	got, err := e.svc.GetTestDrive(e.ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, leads.TestDriveCompleted, got.Status)
	assert.True(t, got.Start.Equal(start))
	car := e.getVehicle(t, v.ID)
	assert.Equal(t, catalog.StatusInStock, car.Status, "nothing reserved")
	assert.Empty(t, car.Reservations)

	_, err = e.svc.RecordTestDrive(e.ctx, leads.TestDriveRecord{VehicleID: v.ID, Start: msk(10, 0), End: msk(48, 0)})
	assert.ElementsMatch(t, []string{"lead_id", "end"}, salesFields(err))
	_, err = e.svc.RecordTestDrive(e.ctx, leads.TestDriveRecord{LeadID: l.ID, VehicleID: v.ID, Start: msk(10, 0), End: msk(48, 0)})
	assert.Equal(t, []string{"end"}, salesFields(err), "a drive still to come is booked")
	_, err = e.svc.RecordTestDrive(e.ctx, leads.TestDriveRecord{LeadID: l.ID, VehicleID: v.ID, Start: msk(-48, 0), End: msk(-22, 0)})
	assert.Equal(t, []string{"end"}, salesFields(err), "a drive lasts at most a day (the calendar reads it by its start)")
	drives, err := e.svc.ListLeadTestDrives(e.ctx, l.ID)
	require.NoError(t, err)
	assert.Len(t, drives, 1)
}
