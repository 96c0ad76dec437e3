package adaptertest

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The lists of a period (the workshop calendar, the test-drive calendar, the warranties about to end) are paged
// by keyset in the store, forwards: RunPaging over each, with records the filter leaves out, records outside the
// period and another dealer's records beside the listed ones. RunPaging wants a record inserted later first in
// the list, so each Insert goes an hour (or a day) earlier than the one before, except every third, which shares
// its predecessor's time: the ID orders those.

// periodStep returns the nth record's offset back from the period's end: one step per record, none for every
// third (a tie).
func periodStep(n int) int {
	k := 0
	for i := 1; i <= n; i++ {
		if i%3 != 1 {
			k++
		}
	}
	return k
}

// appointmentsPaging: GET /service-appointments, a day's plan filtered by bay and status.
func appointmentsPaging(t *testing.T, open Open) {
	b := open(t)
	e := salesEnvOf(t, b, "Календарь")
	other := salesEnvOf(t, b, "Чужой календарь")
	unit := crm.NewUnit[aftersales.Stores](b, e.clock)
	car, otherCar := e.handCar(1000), other.handCar(1000)
	from, to := Epoch.AddDate(0, 0, 1), Epoch.AddDate(0, 0, 8)
	add := func(e *salesEnv, car aftersales.CustomerVehicle, bay string, status aftersales.AppointmentStatus, start time.Time) {
		t.Helper()
		a := aftersales.Appointment{Meta: crm.NewMeta(e.dealer.ID, Epoch), CustomerVehicleID: car.ID, CustomerID: car.CustomerID,
			Bay: bay, Start: start, End: start.Add(time.Hour), Status: status}
		require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s aftersales.Stores) error { return s.Appointments().Create(ctx, &a) }))
	}
	// Cancelled appointments hold no bay, so they may share their times.
	cancelled := aftersales.AppointmentCancelled
	add(e, car, "1", cancelled, from.Add(-time.Hour))                                 // ends at from: out
	add(e, car, "1", cancelled, to)                                                   // starts at to: out
	add(e, car, "1", cancelled, from.Add(-aftersales.MaxAppointmentLength-time.Hour)) // long before: out
	f := aftersales.AppointmentFilter{From: from, To: to, Bay: "1", Status: cancelled}
	RunPaging(t, Paging[aftersales.Appointment]{
		Page: func(pr crm.PageRequest) (crm.Page[aftersales.Appointment], error) {
			return e.after.ListAppointments(e.ctx, f, pr)
		},
		Insert: func(n int) {
			start := to.Add(-time.Duration(periodStep(n)+1) * time.Hour)
			add(e, car, "1", cancelled, start)
			add(e, car, "2", cancelled, start)                                                        // another bay
			add(e, car, "1", aftersales.AppointmentBooked, start.Add(-time.Duration(n+50)*time.Hour)) // another status
			add(other, otherCar, "1", cancelled, start)                                               // another dealer's
		},
		ID: func(a aftersales.Appointment) crm.ID { return a.ID },
	})
	add(e, car, "1", cancelled, from.Add(-30*time.Minute)) // overlaps from: listed first
	whole, err := e.after.ListAppointments(e.ctx, f, crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	require.Len(t, whole.Items, 13)
	assert.True(t, whole.Items[0].Start.Equal(from.Add(-30*time.Minute)), "the appointment overlapping from comes first")
	for _, a := range whole.Items {
		assert.True(t, f.Matches(&a), "%v %s %s", a.Start, a.Bay, a.Status)
	}
	all, err := unitList(unit, e.ctx, from, to)
	require.NoError(t, err)
	assert.Len(t, all, 1+12*3, "ListBetween: every status and bay overlapping the period, not another dealer's")
}

func unitList(unit crm.UnitOfWork[aftersales.Stores], ctx context.Context, from, to time.Time) (out []aftersales.Appointment, err error) {
	err = unit.View(ctx, func(ctx context.Context, s aftersales.Stores) error {
		out, err = s.Appointments().ListBetween(ctx, from, to)
		return err
	})
	return out, err
}

// expiringWarrantiesPaging: GET /warranties/expiring, by end, void ones left out.
func expiringWarrantiesPaging(t *testing.T, open Open) {
	b := open(t)
	e := salesEnvOf(t, b, "Гарантии")
	other := salesEnvOf(t, b, "Чужие гарантии")
	unit := crm.NewUnit[aftersales.Stores](b, e.clock)
	car, otherCar := e.handCar(1000), other.handCar(1000)
	today := time.Date(Epoch.Year(), Epoch.Month(), Epoch.Day(), 0, 0, 0, 0, time.UTC)
	add := func(e *salesEnv, car aftersales.CustomerVehicle, end time.Time, void bool) {
		t.Helper()
		w := aftersales.Warranty{Meta: crm.NewMeta(e.dealer.ID, Epoch), CustomerVehicleID: car.ID, Kind: aftersales.WarrantyDealer,
			Start: today.AddDate(-1, 0, 0), End: end, Systems: []string{"engine"}, Provider: "Дилер", Void: void}
		if void {
			w.VoidReason = "пробег скручен"
		}
		require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s aftersales.Stores) error { return s.Warranties().Create(ctx, &w) }))
	}
	const days = 60
	add(e, car, today, false)                       // ended today: out
	add(e, car, today.AddDate(0, 0, days+1), false) // past the horizon: out
	RunPaging(t, Paging[aftersales.Warranty]{
		Page: func(pr crm.PageRequest) (crm.Page[aftersales.Warranty], error) {
			return e.after.ListExpiringWarranties(e.ctx, days, pr)
		},
		Insert: func(n int) {
			end := today.AddDate(0, 0, days-periodStep(n))
			add(e, car, end, false)
			add(e, car, end, true)           // void
			add(other, otherCar, end, false) // another dealer's
		},
		ID: func(w aftersales.Warranty) crm.ID { return w.ID },
	})
}

// testDrivesPaging: GET /test-drives, the dealer's calendar filtered by status.
func testDrivesPaging(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	other := newLeadsEnvOn(t, e.b, "Юг")
	unit := crm.NewUnit[leads.Stores](e.b, nil)
	l, v := e.lead(t, "Анна"), e.vehicle(t)
	ol, ov := other.lead(t, "Олег"), other.vehicle(t)
	from, to := Epoch.AddDate(0, 0, 1), Epoch.AddDate(0, 0, 8)
	add := func(e *leadsEnv, lead leads.Lead, car crm.ID, status leads.TestDriveStatus, start time.Time) {
		t.Helper()
		d := leads.TestDrive{Meta: crm.NewMeta(e.dealer.ID, Epoch), LeadID: lead.ID, VehicleID: car, Start: start,
			End: start.Add(time.Hour), Status: status, BookedBy: e.user.ID}
		if status == leads.TestDriveCancelled {
			d.CancelReason, d.ClosedAt = "передумал", Epoch
		}
		require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.TestDrives().Create(ctx, &d) }))
	}
	cancelled := leads.TestDriveCancelled
	add(e, l, v.ID, cancelled, to)                                        // starts at to: out
	add(e, l, v.ID, cancelled, from.Add(-leads.MaxDriveLength-time.Hour)) // long before: out
	f := leads.TestDriveFilter{From: from, To: to, Status: cancelled}
	RunPaging(t, Paging[leads.TestDrive]{
		Page: func(pr crm.PageRequest) (crm.Page[leads.TestDrive], error) { return e.svc.ListTestDrives(e.ctx, f, pr) },
		Insert: func(n int) {
			start := to.Add(-time.Duration(periodStep(n)+1) * time.Hour)
			add(e, l, v.ID, cancelled, start)
			add(e, l, v.ID, leads.TestDriveBooked, start.Add(-time.Duration(n+50)*time.Hour)) // another status
			add(other, ol, ov.ID, cancelled, start)                                           // another dealer's
		},
		ID: func(d leads.TestDrive) crm.ID { return d.ID },
	})
}
