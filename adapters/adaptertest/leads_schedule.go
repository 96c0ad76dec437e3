package adaptertest

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runLeadsSchedule(t *testing.T, open Open) {
	t.Run("ScheduleStore", func(t *testing.T) { scheduleStore(t, open) })
	t.Run("BookingFollowsTheDealersSchedule", func(t *testing.T) { bookingFollowsSchedule(t, open) })
	t.Run("TestDriveCalendar", func(t *testing.T) { testDriveCalendar(t, open) })
	t.Run("TestDriveCalendarPaging", func(t *testing.T) { testDrivesPaging(t, open) })
	t.Run("FreeSlotsAgreeWithBooking", func(t *testing.T) { freeSlotsAgreeWithBooking(t, open) })
}

func scheduleStore(t *testing.T, open Open) {
	b := open(t)
	ctxA, a := NewDealer(t, b, "A")
	ctxB, _ := NewDealer(t, b, "B")
	get := func(ctx context.Context) (sc leads.Schedule, err error) {
		err = crm.NewUnit[leads.Stores](b, nil).View(ctx, func(ctx context.Context, s leads.Stores) (err error) {
			sc, err = s.Schedules().Get(ctx)
			return err
		})
		return sc, err
	}
	clock := crm.NewManualClock(Epoch) // the store stamps the unit's time
	save := func(ctx context.Context, sc *leads.Schedule) error {
		return crm.NewUnit[leads.Stores](b, clock).Update(ctx, func(ctx context.Context, s leads.Stores) error { return s.Schedules().Save(ctx, sc) })
	}
	_, err := get(ctxA)
	kindIs(t, err, crm.ErrNotFound)

	sc := leads.Schedule{Meta: crm.NewMeta(a.ID, Epoch), SlotLength: 45 * time.Minute, WorkdayStart: 10 * time.Hour,
		WorkdayEnd: 19*time.Hour + 30*time.Minute, TimeZone: "Asia/Yekaterinburg"}
	require.NoError(t, save(ctxA, &sc))
	assert.EqualValues(t, 1, sc.Version)
	got, err := get(ctxA)
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
	assert.Equal(t, 45*time.Minute, got.SlotLength)
	assert.Equal(t, 10*time.Hour, got.WorkdayStart)
	assert.Equal(t, 19*time.Hour+30*time.Minute, got.WorkdayEnd)
	assert.Equal(t, "Asia/Yekaterinburg", got.TimeZone)
	assert.True(t, got.CreatedAt.Equal(Epoch))

	_, err = get(ctxB)
	kindIs(t, err, crm.ErrNotFound)

	again := leads.Schedule{Meta: crm.NewMeta(a.ID, Epoch), SlotLength: time.Hour, WorkdayStart: 8 * time.Hour,
		WorkdayEnd: 20 * time.Hour, TimeZone: "UTC"}
	kindIs(t, save(ctxA, &again), crm.ErrConflict)

	stale := got
	got.SlotLength = time.Hour
	clock.Set(Epoch.Add(time.Hour))
	require.NoError(t, save(ctxA, &got))
	assert.EqualValues(t, 2, got.Version)
	kindIs(t, save(ctxA, &stale), crm.ErrStaleVersion)
	final, err := get(ctxA)
	require.NoError(t, err)
	assert.Equal(t, time.Hour, final.SlotLength)
	assert.True(t, final.UpdatedAt.Equal(Epoch.Add(time.Hour)))
}

func bookingFollowsSchedule(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	def, err := e.svc.GetTestDriveSchedule(e.ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 0, def.Version, "the defaults before any is stored")
	assert.Equal(t, e.svc.Config().SlotLength, def.SlotLength)

	_, err = e.svc.SetTestDriveSchedule(e.ctx, 0, leads.Schedule{SlotLength: 0, WorkdayStart: 20 * time.Hour,
		WorkdayEnd: 10 * time.Hour, TimeZone: "Mars/Olympus"})
	require.Error(t, err)
	for _, f := range []string{"slot_length", "time_zone"} {
		assert.True(t, hasField(err, f), "%s in %v", f, err)
	}
	sc, err := e.svc.SetTestDriveSchedule(e.ctx, 0, leads.Schedule{SlotLength: time.Hour, WorkdayStart: 10 * time.Hour,
		WorkdayEnd: 18 * time.Hour, TimeZone: "Asia/Yekaterinburg"})
	require.NoError(t, err)
	assert.EqualValues(t, 1, sc.Version)
	_, err = e.svc.SetTestDriveSchedule(e.ctx, 7, sc)
	kindIs(t, err, crm.ErrStaleVersion)

	ekb, err := time.LoadLocation("Asia/Yekaterinburg")
	require.NoError(t, err)
	day := Epoch.In(ekb).AddDate(0, 0, 1)
	at := func(h int) time.Time { return time.Date(day.Year(), day.Month(), day.Day(), h, 0, 0, 0, ekb) }
	v := e.vehicle(t)
	l := e.lead(t, "Пётр")
	_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: at(9)})
	assert.True(t, hasField(err, "start"), "09:00 in Yekaterinburg is before opening: %v", err)
	_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: at(10), Duration: 30 * time.Minute})
	assert.True(t, hasField(err, "end"), "half an hour is not a multiple of the dealer's hour: %v", err)
	d, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: at(17)})
	require.NoError(t, err)
	assert.Equal(t, time.Hour, d.End.Sub(d.Start), "one slot is the dealer's hour")

	other := newLeadsEnvOn(t, e.b, "Юг")
	def, err = other.svc.GetTestDriveSchedule(other.ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 0, def.Version, "another dealer keeps the defaults")
}

func testDriveCalendar(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	v1, v2 := e.vehicle(t), e.vehicle(t)
	l := e.lead(t, "Анна")
	book := func(v catalog.Vehicle, h int) leads.TestDrive {
		d, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(h, 0)})
		require.NoError(t, err)
		return d
	}
	a, b, c := book(v1, 13), book(v2, 14), book(v1, 24+10)
	_, err := e.svc.CancelTestDrive(e.ctx, b.ID, 0, "передумал")
	require.NoError(t, err)
	other := newLeadsEnvOn(t, e.b, "Юг")
	ov := other.vehicle(t)
	_, err = other.svc.BookTestDrive(other.ctx, leads.TestDriveBooking{LeadID: other.lead(t, "Олег").ID, VehicleID: ov.ID, Start: msk(13, 0)})
	require.NoError(t, err)

	ids := func(ds []leads.TestDrive) []crm.ID {
		var out []crm.ID
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	all, err := e.svc.ListTestDrives(e.ctx, leads.TestDriveFilter{From: msk(0, 0), To: msk(48, 0)}, crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	assert.Equal(t, []crm.ID{a.ID, b.ID, c.ID}, ids(all.Items), "every car, any status, by start; not another dealer's")
	today, err := e.svc.ListTestDrives(e.ctx, leads.TestDriveFilter{From: msk(13, 15), To: msk(24, 0)}, crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	assert.Equal(t, []crm.ID{a.ID, b.ID}, ids(today.Items), "a drive overlapping from is in")
	byCar, err := e.svc.ListTestDrives(e.ctx, leads.TestDriveFilter{From: msk(0, 0), To: msk(48, 0), VehicleID: v1.ID}, crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	assert.Equal(t, []crm.ID{a.ID, c.ID}, ids(byCar.Items))
	cancelled, err := e.svc.ListTestDrives(e.ctx, leads.TestDriveFilter{From: msk(0, 0), To: msk(48, 0), Status: leads.TestDriveCancelled}, crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	assert.Equal(t, []crm.ID{b.ID}, ids(cancelled.Items))

	_, err = e.svc.ListTestDrives(e.ctx, leads.TestDriveFilter{From: msk(10, 0), To: msk(9, 0), Status: "lost"}, crm.PageRequest{Limit: crm.MaxPageLimit})
	assert.True(t, hasField(err, "to") && hasField(err, "status"), "%v", err)
	_, err = e.svc.ListTestDrives(e.ctx, leads.TestDriveFilter{From: msk(0, 0), To: msk(0, 0).Add(leads.MaxCalendarSpan + time.Hour)}, crm.PageRequest{Limit: crm.MaxPageLimit})
	assert.True(t, hasField(err, "to"), "%v", err)
}

// freeSlotsAgreeWithBooking is a property test: after random bookings (some cancelled), on random schedules,
// every schedule slot in the period is free exactly when booking it succeeds, and no booked drive overlaps a free
// slot.
func freeSlotsAgreeWithBooking(t *testing.T, open Open) {
	for _, seed := range []uint64{1, 2, 3} {
		rng := rand.New(rand.NewPCG(seed, 15))
		e := newLeadsEnv(t, open)
		slot := time.Duration(30+30*rng.IntN(2)) * time.Minute
		_, err := e.svc.SetTestDriveSchedule(e.ctx, 0, leads.Schedule{SlotLength: slot,
			WorkdayStart: time.Duration(8+rng.IntN(3)) * time.Hour, WorkdayEnd: time.Duration(17+rng.IntN(4)) * time.Hour,
			TimeZone: "Europe/Moscow"})
		require.NoError(t, err)
		cfgSched, err := e.svc.GetTestDriveSchedule(e.ctx)
		require.NoError(t, err)

		vehicles := []catalog.Vehicle{e.vehicle(t), e.vehicle(t), e.vehicle(t)}
		holders := []leads.Lead{e.lead(t, "Первый"), e.lead(t, "Второй")}
		from, to := Epoch.Add(-3*time.Hour), Epoch.Add(52*time.Hour)
		var booked []leads.TestDrive
		for range 25 {
			v := vehicles[rng.IntN(len(vehicles)-1)] // the last car stays untouched
			start := from.Add(time.Duration(rng.IntN(int(to.Sub(from)/time.Minute)/15)) * 15 * time.Minute)
			d, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: holders[rng.IntN(len(holders))].ID,
				VehicleID: v.ID, Start: start, Duration: time.Duration(1+rng.IntN(2)) * slot})
			if err != nil {
				continue
			}
			if rng.IntN(4) == 0 {
				_, err := e.svc.CancelTestDrive(e.ctx, d.ID, 0, "отмена")
				require.NoError(t, err)
				continue
			}
			booked = append(booked, d)
		}
		require.NotEmpty(t, booked, "seed %d booked nothing", seed)

		stranger := e.lead(t, "Посторонний")
		checked, free := 0, 0
		for _, v := range vehicles {
			slots, err := e.svc.ListFreeSlots(e.ctx, v.ID, from, to)
			require.NoError(t, err)
			isFree := map[time.Time]bool{}
			for _, s := range slots {
				isFree[s.Start] = true
				assert.Equal(t, slot, s.End.Sub(s.Start))
				for _, d := range booked {
					if d.VehicleID == v.ID {
						assert.False(t, d.Overlaps(s.Start, s.End), "seed %d: booked drive %s–%s is inside free slot %s", seed, d.Start, d.End, s.Start)
					}
				}
			}
			for _, s := range scheduleGrid(t, cfgSched, from, to) {
				d, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: stranger.ID, VehicleID: v.ID, Start: s})
				checked++
				if isFree[s] {
					free++
					if assert.NoError(t, err, "seed %d: free slot %s of vehicle %s does not book", seed, s, v.ID) {
						_, err := e.svc.CancelTestDrive(e.ctx, d.ID, 0, "проверка")
						require.NoError(t, err)
					}
				} else {
					assert.Error(t, err, "seed %d: slot %s of vehicle %s books but is not listed free", seed, s, v.ID)
					if err == nil {
						_, _ = e.svc.CancelTestDrive(e.ctx, d.ID, 0, "проверка")
					}
				}
			}
		}
		assert.Positive(t, free, "seed %d: some slot is free", seed)
		assert.Less(t, free, checked, "seed %d: some slot is taken", seed)
	}

	// a sold car has no free slot; another dealer's car is not found
	e := newLeadsEnv(t, open)
	v := e.vehicle(t)
	require.NoError(t, crm.NewUnit[leads.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s leads.Stores) error {
		cur, err := s.Vehicles().Get(ctx, v.ID)
		if err != nil {
			return err
		}
		cur.Status = catalog.StatusSold
		return s.Vehicles().Update(ctx, &cur)
	}))
	slots, err := e.svc.ListFreeSlots(e.ctx, v.ID, Epoch, Epoch.Add(24*time.Hour))
	require.NoError(t, err)
	assert.Empty(t, slots)
	other := newLeadsEnvOn(t, e.b, "Юг")
	_, err = other.svc.ListFreeSlots(other.ctx, v.ID, Epoch, Epoch.Add(24*time.Hour))
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
}

// scheduleGrid lists the starts of the schedule's slots within [from, to), computed here independently of the
// service: on each local day from opening, one slot length apart.
func scheduleGrid(t *testing.T, sc leads.Schedule, from, to time.Time) []time.Time {
	loc, err := time.LoadLocation(sc.TimeZone)
	require.NoError(t, err)
	var out []time.Time
	for day := from.In(loc).Add(-24 * time.Hour); day.Before(to); day = day.Add(24 * time.Hour) {
		y, m, d := day.Date()
		open := time.Date(y, m, d, 0, 0, 0, 0, loc).Add(sc.WorkdayStart)
		closing := time.Date(y, m, d, 0, 0, 0, 0, loc).Add(sc.WorkdayEnd)
		for s := open; !s.Add(sc.SlotLength).After(closing); s = s.Add(sc.SlotLength) {
			if !s.Before(from) && !s.Add(sc.SlotLength).After(to) {
				out = append(out, s.UTC())
			}
		}
	}
	return out
}
