package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/postgres/pgtest"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRacingBayWritersWaitForTheBaysLock: a booking of a bay whose overlapping booking is still in progress waits
// for the bay's advisory lock, before it writes, so it never waits on the other's entry in the exclusion
// constraint's index (with a third booking doing the same, the deadlock behind the flake of
// TestContract/aftersales/service/OneWinnerForTheLastBaySlot); once the first commits it is refused with
// ErrBayTaken at once. What the second waits for is read from pg_stat_activity (advisory, not transactionid).
func TestRacingBayWritersWaitForTheBaysLock(t *testing.T) {
	t.Parallel()
	db := pgtest.Open(t)
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	st := stack.New(db, clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»", Currency: "RUB"})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	unit := crm.NewUnit[aftersales.Stores](db, clock)
	car := func(vin string) aftersales.CustomerVehicle {
		c, err := crm.NewCustomer(d.ID, crm.Customer{Contact: crm.Contact{FirstName: "Олег", Phones: []string{"+7900" + vin[len(vin)-7:]}}}, clock.Now())
		require.NoError(t, err)
		require.NoError(t, unit.Update(ctx, func(ctx context.Context, s aftersales.Stores) error { return s.Customers().Create(ctx, &c) }))
		cv, err := st.Aftersales.CreateCustomerVehicle(ctx, aftersales.CustomerVehicle{CustomerID: c.ID, VIN: catalog.VIN(vin),
			Make: "Kia", Model: "Rio", Year: 2021, OdometerAtSale: 1000})
		require.NoError(t, err)
		return cv
	}
	first, second := car("Z94CB41AAGR000101"), car("Z94CB41AAGR000102")
	start := time.Date(2026, 11, 28, 7, 0, 0, 0, time.UTC) // 10:00 in Moscow, the default workshop's zone
	booking := func(cv aftersales.CustomerVehicle) aftersales.AppointmentBooking {
		return aftersales.AppointmentBooking{CustomerVehicleID: cv.ID, Bay: "2", Start: start, End: start.Add(time.Hour)}
	}

	written, release, firstDone := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		firstDone <- unit.Update(ctx, func(ctx context.Context, s aftersales.Stores) error {
			a := aftersales.Appointment{Meta: crm.NewMeta(d.ID, clock.Now()), CustomerVehicleID: first.ID, CustomerID: first.CustomerID,
				Bay: "2", Start: start, End: start.Add(time.Hour), Status: aftersales.AppointmentBooked}
			if err := s.Appointments().Create(ctx, &a); err != nil {
				return err
			}
			close(written)
			<-release // the first booking stays in progress, holding the bay
			return nil
		})
	}()
	<-written
	secondDone := make(chan error, 1)
	go func() {
		_, err := st.Aftersales.BookAppointment(ctx, booking(second))
		secondDone <- err
	}()
	var waitsOn string
	for deadline := time.Now().Add(time.Minute); waitsOn == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		require.NoError(t, db.SQLX().GetContext(ctx, &waitsOn, `SELECT coalesce(max(wait_event), '') FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`))
	}
	assert.Equal(t, "advisory", waitsOn, "the second booking waits for the bay's lock, not for the first one's row")
	close(release)
	require.NoError(t, <-firstDone)
	err = <-secondDone
	assert.True(t, errors.Is(err, aftersales.ErrBayTaken), "%v", err)
}

// TestStatusStepTakesNoBayLock: while a booking of a bay is in progress (holding the bay's lock), a status step of
// another appointment of that bay (arrive) that leaves its bay and time as they were completes without waiting,
// and a reschedule of a third one to another time of the bay waits for the lock — read from pg_stat_activity, so
// the test decides by what each statement waits for, not by a timer (outside review N6).
func TestStatusStepTakesNoBayLock(t *testing.T) {
	t.Parallel()
	db := pgtest.Open(t)
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	st := stack.New(db, clock)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север»", Currency: "RUB"})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	unit := crm.NewUnit[aftersales.Stores](db, clock)
	car := func(vin string) aftersales.CustomerVehicle {
		c, err := crm.NewCustomer(d.ID, crm.Customer{Contact: crm.Contact{FirstName: "Олег", Phones: []string{"+7900" + vin[len(vin)-7:]}}}, clock.Now())
		require.NoError(t, err)
		require.NoError(t, unit.Update(ctx, func(ctx context.Context, s aftersales.Stores) error { return s.Customers().Create(ctx, &c) }))
		cv, err := st.Aftersales.CreateCustomerVehicle(ctx, aftersales.CustomerVehicle{CustomerID: c.ID, VIN: catalog.VIN(vin),
			Make: "Kia", Model: "Rio", Year: 2021, OdometerAtSale: 1000})
		require.NoError(t, err)
		return cv
	}
	day := time.Date(2026, 11, 28, 7, 0, 0, 0, time.UTC) // 10:00 in Moscow, the default workshop's zone
	book := func(cv aftersales.CustomerVehicle, at time.Time) aftersales.Appointment {
		a, err := st.Aftersales.BookAppointment(ctx, aftersales.AppointmentBooking{CustomerVehicleID: cv.ID, Bay: "2", Start: at, End: at.Add(time.Hour)})
		require.NoError(t, err)
		return a
	}
	stepped, moved := book(car("Z94CB41AAGR000111"), day), book(car("Z94CB41AAGR000112"), day.Add(time.Hour))
	holder := car("Z94CB41AAGR000113")

	written, release, holderDone := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		holderDone <- unit.Update(ctx, func(ctx context.Context, s aftersales.Stores) error {
			a := aftersales.Appointment{Meta: crm.NewMeta(d.ID, clock.Now()), CustomerVehicleID: holder.ID, CustomerID: holder.CustomerID,
				Bay: "2", Start: day.Add(4 * time.Hour), End: day.Add(5 * time.Hour), Status: aftersales.AppointmentBooked}
			if err := s.Appointments().Create(ctx, &a); err != nil {
				return err
			}
			close(written)
			<-release // the booking stays in progress, holding the bay's lock
			return nil
		})
	}()
	<-written
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	waitsOn := func() string {
		var w string
		require.NoError(t, db.SQLX().GetContext(ctx, &w, `SELECT coalesce(max(wait_event), '') FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`))
		return w
	}
	// Waits for done or for a statement waiting on a lock, whichever comes first.
	finishedOrWaits := func(done chan error) (string, error) {
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			select {
			case err := <-done:
				return "", err
			default:
			}
			if w := waitsOn(); w != "" {
				return w, nil
			}
		}
		t.Fatal("neither finished nor waited within a minute")
		return "", nil
	}

	stepDone := make(chan error, 1)
	go func() {
		_, err := st.Aftersales.MoveAppointment(ctx, stepped.ID, stepped.Version, "arrive", aftersales.StepInput{})
		stepDone <- err
	}()
	waited, err := finishedOrWaits(stepDone)
	require.Empty(t, waited, "a status step waits for nothing the bay's booking holds")
	require.NoError(t, err)

	later := day.Add(2 * time.Hour)
	moveDone := make(chan error, 1)
	go func() {
		_, err := st.Aftersales.RescheduleAppointment(ctx, moved.ID, moved.Version, aftersales.AppointmentChange{Start: &later})
		moveDone <- err
	}()
	waited, err = finishedOrWaits(moveDone)
	require.NoError(t, err)
	assert.Equal(t, "advisory", waited, "a move to another time of the bay waits for the bay's lock")
	close(release)
	require.NoError(t, <-holderDone)
	require.NoError(t, <-moveDone)
}
