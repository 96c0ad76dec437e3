package adaptertest

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dealDemoCarDrivenByThree: three leads test-drive one car on one day in different slots; the car shows as
// reserved with the three holds listed, each for its slot plus the grace; an overlapping slot is still refused.
func dealDemoCarDrivenByThree(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	grace := leads.DefaultConfig().HoldGrace
	var drives []leads.TestDrive
	for i, first := range []string{"Анна", "Борис", "Вера"} {
		l := e.lead(first, "Vesta", crm.ID{})
		drives = append(drives, e.testDrive(l, v.ID, msk(24+10+2*i, 0))) // tomorrow 10:00, 12:00, 14:00
	}
	got := e.getVehicle(v.ID)
	assert.Equal(t, catalog.StatusReserved, got.Status)
	require.Len(t, got.Reservations, 3, "every drive holds the car for its own slot")
	for i, r := range got.Reservations {
		assert.Equal(t, catalog.ForTestDrive, r.Purpose)
		assert.Equal(t, drives[i].ID, r.RefID)
		assert.True(t, r.From.Equal(drives[i].Start), "the hold names the slot's start")
		assert.True(t, r.Until.Equal(drives[i].End.Add(grace)), "until the grace after the end")
	}
	late := e.lead("Глеб", "Vesta", crm.ID{})
	_, err := e.leads.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: late.ID, VehicleID: v.ID, Start: msk(24+12, 0)})
	kindIs(t, err, leads.ErrTestDriveOverlap)
	kindIs(t, err, crm.ErrConflict)
	cal, err := e.leads.ListVehicleTestDrives(e.ctx, v.ID)
	require.NoError(t, err)
	assert.Len(t, cal, 3)
}

// dealSaleOnCarWithOthersDrives: a sale is opened on a car another prospect test-drives tomorrow; winning it
// cancels that drive and the buyer's own pending one, each with a notice to its driver.
func dealSaleOnCarWithOthersDrives(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	other := e.lead("Ольга", "Vesta", crm.ID{})
	othersDrive := e.testDrive(other, v.ID, msk(24+11, 0))
	buyerLead := e.lead("Пётр", "Vesta", v.ID)
	buyersDrive := e.testDrive(buyerLead, v.ID, msk(24+15, 0))

	sale, err := e.svc.ConvertLead(e.ctx, buyerLead.ID, 0, sales.ConvertInput{VehicleID: v.ID})
	require.NoError(t, err, "another prospect's drive tomorrow does not stop a sale")
	held := e.getVehicle(v.ID)
	assert.Equal(t, catalog.StatusReserved, held.Status)
	assert.Len(t, held.Reservations, 3, "two drives and the sale hold the car")

	third := e.lead("Семён", "Vesta", crm.ID{})
	_, err = e.leads.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: third.ID, VehicleID: v.ID, Start: msk(24+17, 0)})
	kindIs(t, err, catalog.ErrVehicleReserved)

	before := len(e.outboxTopics(sales.TopicSaleWon, leads.TopicTestDriveCancelled))
	won, _, err := e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{})
	require.NoError(t, err)
	assert.Equal(t, sales.StatusWon, won.Status)
	for _, d := range []leads.TestDrive{othersDrive, buyersDrive} {
		got, err := e.leads.GetTestDrive(e.ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, leads.TestDriveCancelled, got.Status)
		assert.Equal(t, leads.CancelReasonVehicleSold, got.CancelReason)
	}
	var notified []string
	for _, m := range e.outboxTopics(leads.TopicTestDriveCancelled) {
		notified = append(notified, m.Recipient+" "+m.Data["test_drive_id"])
		assert.NotEmpty(t, m.Data["start_local"], "the local start, whence the template's date and time")
	}
	assert.ElementsMatch(t, []string{other.Contact.Emails[0] + " " + othersDrive.ID.String(),
		buyerLead.Contact.Emails[0] + " " + buyersDrive.ID.String()}, notified, "each driver is told")
	assert.Len(t, e.outboxTopics(sales.TopicSaleWon, leads.TopicTestDriveCancelled), before+3)
	sold := e.getVehicle(v.ID)
	assert.Equal(t, catalog.StatusSold, sold.Status)
	assert.Empty(t, sold.Reservations)
}

// dealLateDriveKeepsHold: a drive running late keeps the car until it is completed, or until the grace after its
// end runs out.
func dealLateDriveKeepsHold(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	l := e.lead("Анна", "Vesta", crm.ID{})
	d := e.testDrive(l, v.ID, msk(13, 0)) // today 13:00–13:30; the clock is at 12:00
	grace := leads.DefaultConfig().HoldGrace

	e.clock.Set(d.End.Add(grace / 2)) // late: the slot is over, the grace is not
	got := e.getVehicle(v.ID)
	assert.Len(t, got.ActiveReservations(e.clock.Now()), 1, "a late drive keeps its hold")
	e.clock.Set(d.End.Add(grace))
	assert.Empty(t, got.ActiveReservations(e.clock.Now()), "the hold ends with the grace")

	// Completed while still within the grace: the hold goes at once.
	d2 := e.testDrive(l, v.ID, msk(24+13, 0))
	e.clock.Set(d2.End.Add(time.Minute))
	during := e.getVehicle(v.ID)
	require.Len(t, during.ActiveReservations(e.clock.Now()), 1)
	_, err := e.leads.CompleteTestDrive(e.ctx, d2.ID, d2.Version, leads.TestDriveOutcome{MileageOut: 15, MileageIn: 27})
	require.NoError(t, err)
	after := e.getVehicle(v.ID)
	assert.Empty(t, after.Reservations)
	assert.Equal(t, catalog.StatusInStock, after.Status)
}

// outboxTopics returns the queued messages with one of topics.
func (e *salesEnv) outboxTopics(topics ...string) []crm.Message {
	e.t.Helper()
	var out []crm.Message
	for _, m := range outbox(e.t, e.b, e.ctx) {
		for _, t := range topics {
			if m.Topic == t {
				out = append(out, m)
			}
		}
	}
	return out
}

// dealBookedNoticeNamesTheDealer: the notice of a booked drive names the dealer's name and address (what the
// booking reads of the dealer: the PostgreSQL adapter's joined read keeps only those of its document).
func dealBookedNoticeNamesTheDealer(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	addr := crm.Address{Country: "Россия", City: "Москва", Street: "Дмитровское шоссе, д. 98", PostalCode: "127411"}
	require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s crm.Stores) error {
		d, err := s.Dealers().Get(ctx, e.dealer.ID)
		if err != nil {
			return err
		}
		d.Address = addr
		return s.Dealers().Update(ctx, &d)
	}))
	l := e.lead("Анна", "Vesta", crm.ID{})
	e.testDrive(l, e.vehicle("Vesta", "1500000").ID, msk(24+10, 0))
	booked := e.outboxTopics(leads.TopicTestDriveBooked)
	require.Len(t, booked, 1)
	assert.Contains(t, booked[0].Body, e.dealer.Name+", "+addr.String())
}
