package adaptertest

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordedDrive: a drive that took place yesterday is recorded completed with its outcome; it holds no slot and
// reserves nothing; a drive that has not ended, or without a driver, is refused and writes nothing. A drive of 30
// hours is recorded too (outside review N5: RecordTestDrive refused drives longer than 25 hours so that the
// calendar could bound its read) and the calendar of a period overlapping only its end lists it — the page and
// the store's list —, a period after it does not.
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
	drives, err := e.svc.ListLeadTestDrives(e.ctx, l.ID)
	require.NoError(t, err)
	assert.Len(t, drives, 1)

	long, err := e.svc.RecordTestDrive(e.ctx, leads.TestDriveRecord{LeadID: l.ID, VehicleID: v.ID, Start: msk(-20, 0), End: msk(10, 0)})
	require.NoError(t, err, "a drive of 30 hours")
	end := msk(10, 0)
	for _, f := range []leads.TestDriveFilter{{From: end.Add(-time.Hour), To: end.Add(time.Hour)}, {From: end.Add(-time.Minute), To: end.Add(time.Hour), VehicleID: v.ID}} {
		page, err := e.svc.ListTestDrives(e.ctx, f, crm.PageRequest{Limit: 10})
		require.NoError(t, err)
		require.Len(t, page.Items, 1, "the calendar of %s–%s, 29 hours after the drive's start", f.From, f.To)
		assert.Equal(t, long.ID, page.Items[0].ID)
	}
	require.NoError(t, crm.NewUnit[leads.Stores](e.b, e.clock).View(e.ctx, func(ctx context.Context, s leads.Stores) error {
		all, err := s.TestDrives().ListBetween(ctx, end.Add(-time.Hour), end.Add(time.Hour))
		require.Len(t, all, 1, "the store's list of a period overlapping the drive's end")
		return err
	}))
	page, err := e.svc.ListTestDrives(e.ctx, leads.TestDriveFilter{From: end, To: end.Add(time.Hour)}, crm.PageRequest{Limit: 10})
	require.NoError(t, err)
	assert.Empty(t, page.Items, "a period from the drive's end")
}
