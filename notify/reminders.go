package notify

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// reminderSpace is the namespace of reminder message IDs.
var reminderSpace = uuid.MustParse("6f1d2a4e-8c1b-4d4e-9a55-0b7c1e2d3f41")

// ReminderID is the outbox message ID of the reminder of booking id (a test drive or a service appointment)
// starting at start: the same booking at the same time always gets the same ID, so the outbox's primary key
// holds "never twice" on every adapter, also for reminder runs racing on several processes; a booking moved to
// another time gets a reminder of its own for the new time.
func ReminderID(kind Kind, id crm.ID, start time.Time) crm.ID {
	return uuid.NewSHA1(reminderSpace, []byte(string(kind)+"|"+id.String()+"|"+start.UTC().Format(time.RFC3339)))
}

// QueueReminders queues, for the context's dealer, a reminder of every booked test drive and booked service
// appointment that starts within the dealer's reminder lead time (Mailbox.ReminderLead, default 24 h) from now
// and has not been reminded of: at most one per booking and start time, whatever runs at once (the message ID is
// ReminderID and the outbox refuses a second one). Cancelled, completed or no-show bookings get none; a booking
// moved after its reminder was queued is not reminded of its old time (Deliver checks it again before sending).
// It returns how many reminders it queued. Each reminder is queued in a unit of work of its own.
func (s *Service) QueueReminders(ctx context.Context) (int, error) {
	const op = "notify.Service.QueueReminders"
	var due []crm.Message
	now := crm.StorageTime(s.clock.Now())
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		due = due[:0] // fn may run more than once
		box, err := mailboxIn(ctx, st)
		if err != nil {
			return err
		}
		until := now.Add(box.ReminderLead)
		drives, err := st.TestDrives().ListBetween(ctx, now, until)
		if err != nil {
			return err
		}
		loc := testDriveLocation(ctx, st)
		for _, d := range drives {
			if d.Status != leads.TestDriveBooked || !d.Start.After(now) || d.Start.After(until) {
				continue
			}
			v, err := st.Vehicles().Get(ctx, d.VehicleID)
			if err != nil && !errors.Is(err, crm.ErrNotFound) {
				return err
			}
			due = append(due, drivReminder(d, v.Name(), loc, now))
		}
		apps, err := st.Appointments().ListBetween(ctx, now, until)
		if err != nil {
			return err
		}
		wloc := workshopLocation(ctx, st)
		for _, a := range apps {
			if a.Status != aftersales.AppointmentBooked || !a.Start.After(now) || a.Start.After(until) {
				continue
			}
			car := ""
			if cv, err := st.CustomerVehicles().Get(ctx, a.CustomerVehicleID); err == nil {
				car = carName(cv)
			}
			due = append(due, appointmentReminder(a, car, wloc, now))
		}
		return nil
	})
	if err != nil {
		return 0, crm.Wrap(op, err)
	}
	queued := 0
	for i := range due {
		m := due[i]
		err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error { return st.Outbox().Enqueue(ctx, &m) })
		switch {
		case err == nil:
			queued++
		case crm.KindOf(err) == crm.KindConflict: // reminded already
		default:
			return queued, crm.Wrap(op, err)
		}
	}
	return queued, nil
}

func carName(cv aftersales.CustomerVehicle) string {
	name := cv.Make + " " + cv.Model
	if cv.Year > 0 {
		name += " " + strconv.Itoa(cv.Year)
	}
	return name
}

func drivReminder(d leads.TestDrive, vehicle string, loc *time.Location, now time.Time) crm.Message {
	data := map[string]string{"test_drive_id": d.ID.String(), "vehicle_id": d.VehicleID.String(), "vehicle": vehicle,
		"start": d.Start.UTC().Format(time.RFC3339), "start_local": d.Start.In(loc).Format(time.RFC3339), "time_zone": loc.String()}
	if d.LeadID != (crm.ID{}) {
		data["lead_id"] = d.LeadID.String()
	}
	if d.CustomerID != (crm.ID{}) {
		data["customer_id"] = d.CustomerID.String()
	}
	return crm.Message{ID: ReminderID(KindTestDriveReminder, d.ID, d.Start), DealerID: d.DealerID,
		Topic: string(KindTestDriveReminder), Subject: "Напоминание о тест-драйве / Test drive reminder",
		Body: vehicle + " " + d.Start.In(loc).Format("02.01.2006 15:04"), Data: data, CreatedAt: now}
}

func appointmentReminder(a aftersales.Appointment, car string, loc *time.Location, now time.Time) crm.Message {
	data := map[string]string{"appointment_id": a.ID.String(), "customer_vehicle_id": a.CustomerVehicleID.String(),
		"vehicle": car, "start": a.Start.UTC().Format(time.RFC3339), "start_local": a.Start.In(loc).Format(time.RFC3339),
		"time_zone": loc.String()}
	if a.CustomerID != (crm.ID{}) {
		data["customer_id"] = a.CustomerID.String()
	}
	return crm.Message{ID: ReminderID(KindServiceReminder, a.ID, a.Start), DealerID: a.DealerID,
		Topic: string(KindServiceReminder), Subject: "Напоминание о записи на сервис / Service reminder",
		Body: car + " " + a.Start.In(loc).Format("02.01.2006 15:04"), Data: data, CreatedAt: now}
}

// testDriveLocation is the dealer's test-drive time zone (its schedule's, else the default).
func testDriveLocation(ctx context.Context, st Stores) *time.Location {
	if sc, err := st.Schedules().Get(ctx); err == nil {
		if loc, err := time.LoadLocation(sc.TimeZone); err == nil && sc.TimeZone != "" {
			return loc
		}
	}
	return leads.DefaultConfig().Location
}

// workshopLocation is the dealer's workshop time zone (its calendar's, else the default).
func workshopLocation(ctx context.Context, st Stores) *time.Location {
	w, err := st.Workshops().Get(ctx)
	if err != nil {
		w = aftersales.DefaultWorkshop()
	}
	if loc, err := w.Location(); err == nil {
		return loc
	}
	return leads.DefaultConfig().Location
}

// bookingUnchanged refuses, with ErrBookingChanged, a reminder whose booking is no longer booked at the start
// it was queued for.
func bookingUnchanged(ctx context.Context, st Stores, m crm.Message) error {
	start, err := time.Parse(time.RFC3339, m.Data["start"])
	if err != nil {
		return nil
	}
	switch Kind(m.Topic) {
	case KindTestDriveReminder:
		id, ok := dataID(m, "test_drive_id")
		if !ok {
			return nil
		}
		d, err := st.TestDrives().Get(ctx, id)
		if errors.Is(err, crm.ErrNotFound) || (err == nil && (d.Status != leads.TestDriveBooked || !d.Start.Equal(start))) {
			return ErrBookingChanged
		}
		return err
	case KindServiceReminder:
		id, ok := dataID(m, "appointment_id")
		if !ok {
			return nil
		}
		a, err := st.Appointments().Get(ctx, id)
		if errors.Is(err, crm.ErrNotFound) || (err == nil && (a.Status != aftersales.AppointmentBooked || !a.Start.Equal(start))) {
			return ErrBookingChanged
		}
		return err
	}
	return nil
}
