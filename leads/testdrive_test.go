package leads_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// msk returns h:m (h may pass 24) of 27 November 2026 in Moscow, in UTC.
func msk(h, m int) time.Time {
	loc := leads.DefaultConfig().Location
	return time.Date(2026, 11, 27, h, m, 0, 0, loc).UTC()
}

func drive(start, end time.Time) leads.TestDrive {
	return leads.TestDrive{LeadID: crm.NewID(), VehicleID: crm.NewID(), Start: start, End: end}
}

func TestNewTestDriveSlotRules(t *testing.T) {
	cfg := leads.Config{}
	now := msk(12, 0)
	for _, tc := range []struct {
		name       string
		start, end time.Time
		field      string // "" when valid
	}{
		{"one slot", msk(13, 0), msk(13, 30), ""},
		{"two slots", msk(13, 0), msk(14, 0), ""},
		{"starting now", now, now.Add(30 * time.Minute), ""},
		{"odd minute start", msk(13, 7), msk(13, 37), ""},
		{"first slot of the day", msk(24+9, 0), msk(24+9, 30), ""},
		{"last slot of the day", msk(20, 30), msk(21, 0), ""},
		{"tomorrow", msk(24+10, 0), msk(24+10, 30), ""},
		{"in the past", msk(11, 0), msk(11, 30), "start"},
		{"before opening", msk(8, 30), msk(9, 0), "start"},
		{"ends after closing", msk(20, 45), msk(21, 15), "end"},
		{"starts at closing", msk(21, 0), msk(21, 30), "start"},
		{"end before start", msk(14, 0), msk(13, 30), "end"},
		{"empty", msk(14, 0), msk(14, 0), "end"},
		{"not a multiple of the slot", msk(14, 0), msk(14, 20), "end"},
		{"seconds", msk(14, 0).Add(time.Second), msk(14, 30).Add(time.Second), "start"},
		{"no start", time.Time{}, msk(14, 0), "start"},
		{"within the default horizon", msk(179*24+13, 0), msk(179*24+13, 30), ""},
		{"beyond the default horizon of 180 days", msk(181*24+13, 0), msk(181*24+13, 30), "start"},
		{"a century ahead", msk(36500*24+13, 0), msk(36500*24+13, 30), "start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := leads.NewTestDrive(dealer, drive(tc.start, tc.end), cfg, now)
			if tc.field == "" {
				require.NoError(t, err)
				assert.Equal(t, leads.TestDriveBooked, d.Status)
				assert.Equal(t, time.UTC, d.Start.Location())
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, crm.ErrInvalid))
			assert.True(t, fieldsOf(err)[tc.field], "want %s in %v", tc.field, crm.FieldsOf(err))
		})
	}
	_, err := leads.NewTestDrive(dealer, leads.TestDrive{Start: msk(13, 0), End: msk(13, 30)}, cfg, now)
	assert.True(t, fieldsOf(err)["vehicle_id"] && fieldsOf(err)["lead_id"], "%v", err)
	d := drive(msk(13, 0), msk(13, 30))
	d.LeadID, d.CustomerID = crm.ID{}, crm.NewID()
	_, err = leads.NewTestDrive(dealer, d, cfg, now)
	assert.NoError(t, err, "a customer without a lead is enough")
}

func TestConfig(t *testing.T) {
	c := leads.DefaultConfig()
	assert.Equal(t, 30*time.Minute, c.SlotLength)
	assert.Equal(t, 9*time.Hour, c.WorkdayStart)
	assert.Equal(t, 21*time.Hour, c.WorkdayEnd)
	assert.Equal(t, "Europe/Moscow", c.Location.String())
	assert.NoError(t, leads.Config{}.Validate())
	assert.Error(t, leads.Config{SlotLength: 90 * time.Second}.Validate())
	assert.Error(t, leads.Config{WorkdayStart: 10 * time.Hour, WorkdayEnd: 9 * time.Hour}.Validate())
	assert.Panics(t, func() {
		leads.NewService(crm.NewUnit[leads.Stores](memory.New(), crm.SystemClock{}), crm.SystemClock{}, leads.Config{SlotLength: -time.Minute})
	})

	// A 24-hour dealer in UTC with one-hour slots.
	utc := leads.Config{SlotLength: time.Hour, WorkdayStart: 0, WorkdayEnd: 24 * time.Hour, Location: time.UTC}
	require.NoError(t, utc.Validate())
	now := time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)
	_, err := leads.NewTestDrive(dealer, drive(now, now.Add(time.Hour)), utc, now)
	assert.NoError(t, err)
	_, err = leads.NewTestDrive(dealer, drive(now, now.Add(30*time.Minute)), utc, now)
	assert.True(t, fieldsOf(err)["end"])
}

func TestBookingHorizon(t *testing.T) {
	assert.Equal(t, 180*24*time.Hour, leads.DefaultConfig().BookingHorizon)
	week := leads.Config{BookingHorizon: 7 * 24 * time.Hour}
	now := msk(12, 0)
	_, err := leads.NewTestDrive(dealer, drive(msk(6*24+13, 0), msk(6*24+13, 30)), week, now)
	assert.NoError(t, err)
	_, err = leads.NewTestDrive(dealer, drive(msk(8*24+13, 0), msk(8*24+13, 30)), week, now)
	assert.True(t, fieldsOf(err)["start"], "%v", err)
	assert.Contains(t, crm.FieldsOf(err)[0].Message, "7 days")
	assert.Error(t, leads.Config{BookingHorizon: -time.Hour}.Validate())
}

func TestStartNow(t *testing.T) {
	assert.Equal(t, msk(12, 1), leads.StartNow(msk(12, 0).Add(time.Second)))
	assert.Equal(t, msk(12, 0), leads.StartNow(msk(12, 0)))
}

func TestTestDriveLifecycle(t *testing.T) {
	now := msk(12, 0)
	book := func(t *testing.T) leads.TestDrive {
		d, err := leads.NewTestDrive(dealer, drive(msk(13, 0), msk(13, 30)), leads.Config{}, now)
		require.NoError(t, err)
		return d
	}
	t.Run("complete", func(t *testing.T) {
		d := book(t)
		err := d.Complete(leads.TestDriveOutcome{MileageOut: 10, MileageIn: 25}, msk(12, 30))
		assert.True(t, errors.Is(err, crm.ErrConflict), "not started yet: %v", err)
		err = d.Complete(leads.TestDriveOutcome{MileageOut: 10, MileageIn: 5, Rating: 6}, msk(13, 30))
		assert.Equal(t, map[string]bool{"mileage_in": true, "rating": true}, fieldsOf(err))
		require.NoError(t, d.Complete(leads.TestDriveOutcome{MileageOut: 10, MileageIn: 25, Rating: 5, Feedback: " Понравилось "}, msk(13, 30)))
		assert.Equal(t, leads.TestDriveCompleted, d.Status)
		assert.Equal(t, "Понравилось", d.Feedback)
		assert.Equal(t, msk(13, 30), d.ClosedAt)
		assert.True(t, errors.Is(d.Cancel("late", now), leads.ErrTestDriveClosed))
		assert.False(t, d.CloseForSale(now))
	})
	t.Run("cancel", func(t *testing.T) {
		d := book(t)
		assert.True(t, fieldsOf(d.Cancel(" ", now))["reason"])
		require.NoError(t, d.Cancel("заболел", now))
		assert.Equal(t, leads.TestDriveCancelled, d.Status)
		assert.Equal(t, "заболел", d.CancelReason)
		assert.True(t, errors.Is(d.NoShow(msk(14, 0)), leads.ErrTestDriveClosed))
	})
	t.Run("no show", func(t *testing.T) {
		d := book(t)
		assert.True(t, errors.Is(d.NoShow(msk(12, 59)), crm.ErrConflict))
		require.NoError(t, d.NoShow(msk(13, 15)))
		assert.Equal(t, leads.TestDriveNoShow, d.Status)
	})
	t.Run("close for sale", func(t *testing.T) {
		d := book(t)
		assert.True(t, d.CloseForSale(now))
		assert.Equal(t, leads.TestDriveCancelled, d.Status)
		assert.Equal(t, "vehicle sold", d.CancelReason)
		assert.False(t, d.CloseForSale(now), "only once")
		started := book(t)
		assert.False(t, started.CloseForSale(msk(13, 0)), "a drive in progress is left alone")
		assert.Equal(t, leads.TestDriveBooked, started.Status)
	})
	t.Run("overlaps half-open", func(t *testing.T) {
		d := book(t)
		assert.True(t, d.Overlaps(msk(13, 15), msk(13, 45)))
		assert.True(t, d.Overlaps(msk(12, 0), msk(14, 0)))
		assert.False(t, d.Overlaps(msk(13, 30), msk(14, 0)), "back to back")
		assert.False(t, d.Overlaps(msk(12, 30), msk(13, 0)), "back to back")
	})
}

// Working hours are wall-clock times of the dealer's zone: on a day when the clocks change, 09:00–21:00 is still
// 09:00–21:00 local, not nine hours after midnight.
func TestWorkingHoursOnDaylightSavingDays(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	cfg := leads.Config{Location: berlin, BookingHorizon: 365 * 24 * time.Hour} // both clock changes of 2026 ahead
	at := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, berlin).UTC()
	}
	now := at(2026, 3, 1, 0, 0)
	for _, tc := range []struct {
		name       string
		start, end time.Time
		field      string
	}{
		{"spring forward: first slot", at(2026, 3, 29, 9, 0), at(2026, 3, 29, 9, 30), ""},
		{"spring forward: last slot", at(2026, 3, 29, 20, 30), at(2026, 3, 29, 21, 0), ""},
		{"spring forward: after closing", at(2026, 3, 29, 21, 0), at(2026, 3, 29, 21, 30), "start"},
		{"fall back: before opening", at(2026, 10, 25, 8, 30), at(2026, 10, 25, 9, 0), "start"},
		{"fall back: first slot", at(2026, 10, 25, 9, 0), at(2026, 10, 25, 9, 30), ""},
		{"fall back: last slot", at(2026, 10, 25, 20, 30), at(2026, 10, 25, 21, 0), ""},
		{"fall back: ends after closing", at(2026, 10, 25, 20, 30), at(2026, 10, 25, 21, 30), "end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := leads.NewTestDrive(dealer, drive(tc.start, tc.end), cfg, now)
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, fieldsOf(err)[tc.field], "want %s in %v", tc.field, crm.FieldsOf(err))
		})
	}
}
