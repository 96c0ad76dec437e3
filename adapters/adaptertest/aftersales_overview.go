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

// serviceCarOverview: one view of a car sold here — its won sale, its visits with their states and works, its
// warranties with their status today, its maintenance (next due date and km, the last visit) and its readings;
// a car bought elsewhere has no sale; another dealer's car is not found.
func serviceCarOverview(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	cat := catalog.NewService(crm.NewUnit[catalog.Stores](e.b, e.clock), e.clock)
	mk, err := cat.CreateMake(e.ctx, catalog.Make{Name: "Lada"})
	require.NoError(t, err)
	md, err := cat.CreateModel(e.ctx, catalog.Model{MakeID: mk.ID, Name: "Vesta"})
	require.NoError(t, err)
	_, err = cat.CreateMaintenancePlan(e.ctx, catalog.MaintenancePlan{ModelID: md.ID, Name: "ТО Vesta", IntervalKm: 15000,
		IntervalMonths: 12, Visits: []catalog.MaintenanceVisit{{Name: "ТО-1", Works: []catalog.MaintenanceWork{{Name: "Масло"}}}}})
	require.NoError(t, err)
	_, err = cat.CreateWarrantyTerms(e.ctx, catalog.WarrantyTerms{ModelID: md.ID, Months: 36, KmLimit: 100000,
		CoveredSystems: []string{"engine", "transmission"}})
	require.NoError(t, err)
	v := e.vehicle("Vesta", "1500000")
	buyer := e.customer("Покупатель")
	sale := e.open(buyer.ID, v.ID)
	won, cv, err := e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{Insurer: "РЕСО", PolicyNumber: "ХХХ 1"})
	require.NoError(t, err)
	extra, err := e.after.AddWarranty(e.ctx, cv.ID, aftersales.Warranty{Kind: aftersales.WarrantyDealer, Start: Epoch,
		End: Epoch.AddDate(0, 0, 10), Systems: []string{"brakes"}})
	require.NoError(t, err)

	// A maintenance visit, done; a second visit booked.
	e.clock.Advance(30 * 24 * time.Hour)
	visit, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cv.ID, Bay: "1",
		Start: msk(24*31+10, 0), End: msk(24*31+11, 0), Maintenance: true})
	require.NoError(t, err)
	for _, step := range []struct {
		name string
		km   int
	}{{"arrive", 1490}, {"start", 0}, {"complete", 1500}} {
		e.clock.Advance(10 * time.Minute)
		visit, err = e.after.MoveAppointment(e.ctx, visit.ID, 0, step.name, aftersales.StepInput{KM: step.km})
		require.NoError(t, err, step.name)
	}
	next, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cv.ID, Bay: "2",
		Start: msk(24*40+10, 0), End: msk(24*40+11, 0)})
	require.NoError(t, err)
	e.clock.Advance(20 * 24 * time.Hour) // the dealer warranty (10 days) has expired

	o, err := e.after.GetCarOverview(e.ctx, cv.ID)
	require.NoError(t, err)
	assert.Equal(t, cv.ID, o.Car.ID)
	assert.Equal(t, 1500, o.Car.Odometer)
	require.Len(t, o.Sales, 1)
	assert.Equal(t, won.ID, o.Sales[0].SaleID)
	assert.Equal(t, buyer.ID, o.Sales[0].CustomerID)
	assert.Equal(t, v.ID, o.Sales[0].VehicleID)
	assert.True(t, o.Sales[0].WonAt.Equal(won.WonAt), "%v %v", o.Sales[0].WonAt, won.WonAt)
	assert.Equal(t, won.Amount.String(), o.Sales[0].Amount.String())
	require.Len(t, o.Visits, 2)
	assert.Equal(t, []aftersales.AppointmentStatus{aftersales.AppointmentDone, aftersales.AppointmentBooked},
		[]aftersales.AppointmentStatus{o.Visits[0].Status, o.Visits[1].Status})
	assert.Equal(t, next.ID, o.Visits[1].ID)
	assert.Equal(t, visit.ID, o.LastVisit.ID, "the last completed visit")
	require.Len(t, o.Warranties, 2)
	assert.Equal(t, aftersales.WarrantyManufacturer, o.Warranties[0].Warranty.Kind)
	assert.Equal(t, aftersales.WarrantyActive, o.Warranties[0].Status)
	assert.Equal(t, extra.ID, o.Warranties[1].Warranty.ID)
	assert.Equal(t, aftersales.WarrantyExpired, o.Warranties[1].Status)
	assert.Equal(t, 1500+15000, o.Maintenance.Due.DueKM, "the completed maintenance visit restarted the clock")
	assert.Equal(t, aftersales.Date(o.Car.LastMaintenanceAt).AddDate(1, 0, 0), o.Maintenance.Due.DueDate)
	assert.False(t, o.Maintenance.Due.Overdue)
	var kms []int
	for _, r := range o.Readings {
		kms = append(kms, r.KM)
	}
	assert.Equal(t, []int{1490, 1500}, kms, "read on arrival and at completion")
	assert.Equal(t, aftersales.Date(e.clock.Now().In(msk(0, 0).Location())), o.Today)

	hand := e.handCar(5000)
	o, err = e.after.GetCarOverview(e.ctx, hand.ID)
	require.NoError(t, err)
	assert.Empty(t, o.Sales, "a car bought elsewhere")
	assert.Empty(t, o.Visits)
	assert.Empty(t, o.Warranties)
	assert.Len(t, o.Readings, 1)
	assert.True(t, o.Maintenance.Plan.Interval.IsZero(), "no plan for a Kia the directory does not know")

	other := salesEnvOf(t, e.b, "Юг")
	_, err = other.after.GetCarOverview(other.ctx, cv.ID)
	kindIs(t, err, crm.ErrNotFound)
}
