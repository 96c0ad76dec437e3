package adaptertest

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serviceMaintenanceDueList: the due list, read in a few statements for all cars at once, answers for each car
// exactly what GetCarMaintenance answers for it alone — cars sold here (plan attached), cars bought elsewhere
// (the directory's plan), cars without a plan left out — ordered by due date, then by car.
func serviceMaintenanceDueList(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	cat := catalog.NewService(crm.NewUnit[catalog.Stores](e.b, e.clock), e.clock)
	mk, err := cat.CreateMake(e.ctx, catalog.Make{Name: "Lada"})
	require.NoError(t, err)
	md, err := cat.CreateModel(e.ctx, catalog.Model{MakeID: mk.ID, Name: "Vesta"})
	require.NoError(t, err)
	_, err = cat.CreateMaintenancePlan(e.ctx, catalog.MaintenancePlan{ModelID: md.ID, Name: "ТО Vesta", IntervalKm: 15000,
		IntervalMonths: 12, Visits: []catalog.MaintenanceVisit{{Name: "ТО-1", Works: []catalog.MaintenanceWork{{Name: "Масло"}}}}})
	require.NoError(t, err)

	var cars []crm.ID
	for range 3 { // sold here: the plan is attached at the sale
		v := e.vehicle("Vesta", "1500000")
		sale := e.open(e.customer("Покупатель").ID, v.ID)
		_, cv, err := e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{})
		require.NoError(t, err)
		cars = append(cars, cv.ID)
	}
	for i, since := range []int{-13, -11, -6, -2} { // bought elsewhere, months ago: the directory's plan applies
		cv, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: e.customer("Владелец").ID,
			VIN: catalog.VIN("XTAGFK440LY00000" + string(rune('1'+i))), Make: "LADA", Model: "vesta", Year: 2022,
			OdometerAtSale: 1000 * i, InServiceSince: Epoch.AddDate(0, since, 0)})
		require.NoError(t, err)
		cars = append(cars, cv.ID)
	}
	cars = append(cars, e.handCar(3000).ID) // a Kia the directory does not know: no plan
	e.clock.Advance(40 * 24 * time.Hour)
	for i, km := range []int{16000, 0, 9000, 0, 14000, 0, 30000, 20000} { // readings: the km limit reached for some
		if km == 0 {
			continue
		}
		_, _, err := e.after.RecordMileage(e.ctx, cars[i], 0, aftersales.MileageReading{KM: km})
		require.NoError(t, err)
	}

	for _, days := range []int{0, 30, 200, 400} {
		got, err := e.after.ListMaintenanceDue(e.ctx, days)
		require.NoError(t, err)
		var want []aftersales.CarMaintenance
		today := aftersales.Date(e.clock.Now().In(msk(0, 0).Location()))
		for _, id := range cars {
			m, err := e.after.GetCarMaintenance(e.ctx, id)
			require.NoError(t, err)
			if !m.Plan.Interval.IsZero() && (m.Due.Due || (!m.Due.DueDate.IsZero() && !m.Due.DueDate.After(today.AddDate(0, 0, days)))) {
				want = append(want, m)
			}
		}
		require.Len(t, got, len(want), "within %d days", days)
		for i := range got {
			if i > 0 {
				assert.False(t, got[i].Due.DueDate.Before(got[i-1].Due.DueDate), "by due date")
			}
		}
		byID := map[crm.ID]aftersales.MaintenanceDue{}
		for _, m := range want {
			byID[m.CustomerVehicle.ID] = m.Due
		}
		for _, m := range got {
			assert.Equal(t, byID[m.CustomerVehicle.ID], m.Due, "car %s within %d days", m.CustomerVehicle.ID, days)
		}
	}
	all, err := e.after.ListMaintenanceDue(e.ctx, 3660)
	require.NoError(t, err)
	assert.Len(t, all, len(cars)-1, "every car with a plan, the Kia without one left out")
	_, err = e.after.ListMaintenanceDue(e.ctx, -1)
	assert.True(t, hasField(err, "within_days"), "%v", err)
}
