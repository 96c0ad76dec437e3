package aftersales_test

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func TestNextMaintenanceBoundaries(t *testing.T) {
	plan := aftersales.MaintenanceInterval{EveryKM: 15000, EveryMonths: 12}
	sold := aftersales.Odometer{At: day(2025, 3, 10), KM: 10}
	for _, tc := range []struct {
		name             string
		readings         []aftersales.Odometer
		today            time.Time
		dueDate          string
		dueKM            int
		due, overdue     bool
		reasonContains   string
		kmPerDayPositive bool
	}{
		{"no readings: the time limit alone", nil, day(2025, 9, 1), "2026-03-10", 15010, false, false, "due by 2026-03-10", false},
		{"due on the same day", nil, day(2026, 3, 10), "2026-03-10", 15010, true, false, "due today", false},
		{"the day after: overdue", nil, day(2026, 3, 11), "2026-03-10", 15010, true, true, "time limit is passed", false},
		{"exactly at N km: due, not overdue", []aftersales.Odometer{{At: day(2025, 9, 1), KM: 15010}}, day(2025, 9, 1),
			"2025-09-01", 15010, true, false, "km limit is reached", true},
		{"one km past: overdue", []aftersales.Odometer{{At: day(2025, 9, 1), KM: 15011}}, day(2025, 9, 1),
			"2025-09-01", 15010, true, true, "km limit is passed", true},
		{"both limits passed", []aftersales.Odometer{{At: day(2026, 4, 1), KM: 20000}}, day(2026, 4, 2),
			"2026-03-10", 15010, true, true, "both limits passed", true},
		{"km expected first from the km per day", []aftersales.Odometer{{At: day(2025, 4, 9), KM: 3010}}, day(2025, 4, 9),
			"2025-08-07", 15010, false, false, "expected by 2025-08-07 at 100.0 km/day", true},
		{"no readings yet, the time limit passed: overdue by date alone", nil, day(2026, 5, 1),
			"2026-03-10", 15010, true, true, "time limit is passed", false},
		{"both limits reached on the same day: due, not overdue", []aftersales.Odometer{{At: day(2026, 3, 10), KM: 15010}},
			day(2026, 3, 10), "2026-03-10", 15010, true, false, "km limit is reached", true},
		{"one km short of N the day before: not due yet", []aftersales.Odometer{{At: day(2025, 9, 1), KM: 15009}}, day(2025, 9, 1),
			"2025-09-02", 15010, false, false, "expected by 2025-09-02", true},
		{"a reading before the start is ignored", []aftersales.Odometer{{At: day(2025, 1, 1), KM: 99999}}, day(2025, 6, 1),
			"2026-03-10", 15010, false, false, "due by", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := aftersales.NextMaintenance(plan, aftersales.MaintenanceBasis{Start: sold, Readings: tc.readings}, tc.today, time.UTC)
			assert.Equal(t, tc.dueDate, got.DueDate.Format(time.DateOnly))
			assert.Equal(t, tc.dueKM, got.DueKM)
			assert.Equal(t, tc.due, got.Due, "due")
			assert.Equal(t, tc.overdue, got.Overdue, "overdue")
			assert.Contains(t, got.Reason, tc.reasonContains)
			assert.Equal(t, tc.kmPerDayPositive, got.KMPerDay > 0)
		})
	}
	t.Run("the dealer's day, not UTC's", func(t *testing.T) {
		msk := time.FixedZone("MSK", 3*3600)
		got := aftersales.NextMaintenance(plan, aftersales.MaintenanceBasis{Start: sold}, time.Date(2026, 3, 9, 22, 30, 0, 0, time.UTC), msk)
		assert.True(t, got.Due, "22:30 UTC on the 9th is the 10th in Moscow")
	})
	t.Run("km only, no readings: no date", func(t *testing.T) {
		got := aftersales.NextMaintenance(aftersales.MaintenanceInterval{EveryKM: 10000}, aftersales.MaintenanceBasis{Start: sold}, day(2030, 1, 1), nil)
		assert.True(t, got.DueDate.IsZero())
		assert.False(t, got.Due)
	})
}

func TestWarrantyCoverageBoundaries(t *testing.T) {
	now := day(2026, 1, 1)
	w, err := aftersales.NewWarranty(crm.NewID(), aftersales.Warranty{CustomerVehicleID: crm.NewID(), Kind: aftersales.WarrantyManufacturer,
		Start: day(2026, 1, 1), End: day(2029, 1, 1), KmLimit: 100000, Systems: []string{"engine", "transmission"}}, now)
	assert.NoError(t, err)
	ws := []aftersales.Warranty{w}
	for _, tc := range []struct {
		name    string
		system  string
		on      time.Time
		km      int
		covered bool
		reason  string
	}{
		{"first day", "engine", day(2026, 1, 1), 0, true, "covered"},
		{"last covered day", "Engine", day(2028, 12, 31), 99999, true, "until 2028-12-31"},
		{"the end date is not covered", "engine", day(2029, 1, 1), 10, false, "ended on 2029-01-01"},
		{"at the km limit", "engine", day(2027, 1, 1), 100000, false, "ends at 100000 km"},
		{"before the start", "engine", day(2025, 12, 31), 0, false, "starts on 2026-01-01"},
		{"a system not covered", "brakes", day(2027, 1, 1), 10, false, `no warranty of the car covers "brakes"`},
		{"the day after the end: expired", "engine", day(2029, 1, 2), 10, false, "ended on 2029-01-01"},
		{"one km below the limit", "engine", day(2027, 1, 1), 99999, true, "covered"},
		{"one km above the limit", "engine", day(2027, 1, 1), 100001, false, "ends at 100000 km"},
		{"both limits passed", "engine", day(2029, 6, 1), 150000, false, "ended on 2029-01-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := aftersales.CoverageOf(ws, tc.system, tc.on, tc.km)
			assert.Equal(t, tc.covered, c.Covered)
			assert.Contains(t, c.Reason, tc.reason)
			if tc.covered {
				assert.Equal(t, w.ID, c.WarrantyID)
			}
		})
	}
	assert.Equal(t, aftersales.WarrantyExpired, w.StatusOn(day(2029, 1, 1)))
	assert.Equal(t, aftersales.WarrantyActive, w.StatusOn(day(2028, 12, 31)))
	assert.NoError(t, w.MakeVoid("пробег скручен", now))
	c := aftersales.CoverageOf([]aftersales.Warranty{w}, "engine", day(2027, 1, 1), 10)
	assert.False(t, c.Covered)
	assert.Contains(t, c.Reason, "void: пробег скручен")
	assert.ErrorIs(t, w.MakeVoid("again", now), aftersales.ErrWarrantyStatus)
	assert.Equal(t, "the car has no warranty", aftersales.CoverageOf(nil, "engine", now, 0).Reason)
	ext, err := aftersales.NewWarranty(crm.NewID(), aftersales.Warranty{CustomerVehicleID: w.CustomerVehicleID, Kind: aftersales.WarrantyExtended,
		Start: day(2026, 1, 1), End: day(2031, 1, 1), Systems: []string{"engine"}}, now)
	assert.NoError(t, err)
	c = aftersales.CoverageOf([]aftersales.Warranty{w, ext}, "engine", day(2030, 1, 1), 250000)
	assert.True(t, c.Covered, "the void one does not, the extended one without a km limit does: %s", c.Reason)
	assert.Equal(t, ext.ID, c.WarrantyID)
	c = aftersales.CoverageOf([]aftersales.Warranty{w, ext}, "transmission", day(2027, 1, 1), 10)
	assert.False(t, c.Covered)
	assert.Contains(t, c.Reason, "void", "the reason names the void warranty listing the system")
	_, err = aftersales.NewWarranty(crm.NewID(), aftersales.Warranty{Kind: "lifetime", Start: now, End: now, KmLimit: -1, Systems: []string{" "}}, now)
	for _, f := range []string{"customer_vehicle_id", "kind", "end", "km_limit", "systems[0]"} {
		found := false
		for _, fe := range crm.FieldsOf(err) {
			found = found || fe.Field == f
		}
		assert.True(t, found, "%s in %v", f, err)
	}
}

// Just after a maintenance visit there is no reading since it: the car's daily mileage comes from its history, so
// the km limit still dates the next visit (at 48 km/day, 15,000 km come well before 12 months).
func TestNextMaintenanceAfterAVisitKeepsTheCarsPace(t *testing.T) {
	plan := aftersales.MaintenanceInterval{EveryKM: 15000, EveryMonths: 12}
	visit := day(2026, 11, 30)
	b := aftersales.MaintenanceBasis{Start: aftersales.Odometer{At: visit, KM: 99700}, Readings: []aftersales.Odometer{
		{At: day(2023, 11, 30), KM: 47080}, {At: day(2026, 11, 29), KM: 99600}}}
	due := aftersales.NextMaintenance(plan, b, visit, nil)
	assert.InDelta(t, 48, due.KMPerDay, 1)
	assert.True(t, due.DueDate.Before(day(2027, 11, 30)), "by km, not by time: %v", due.DueDate)
	assert.Equal(t, due.DateByKM, due.DueDate)
	assert.False(t, due.Due)

	// Seen after the expected date, the reason says the km limit is expected passed, not "due today".
	late := aftersales.NextMaintenance(plan, b, due.DateByKM.AddDate(0, 0, 9), nil)
	assert.True(t, late.Overdue)
	assert.Contains(t, late.Reason, "expected passed")
}
