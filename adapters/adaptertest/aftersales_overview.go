package adaptertest

import (
	"fmt"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
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

// serviceCarOverviewWhole: every part of the overview compared — a car sold here, with visits of several statuses and their works, warranties of every
// kind in their order, readings in order, and a plan the directory gives at read time (none was attached at the
// sales): its generation's plan over the model's, the make and model found whatever their case and spaces; a car
// of a year no generation with a plan covers follows the model's own plan.
func serviceCarOverviewWhole(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	cat := catalog.NewService(crm.NewUnit[catalog.Stores](e.b, e.clock), e.clock)
	mk, err := cat.CreateMake(e.ctx, catalog.Make{Name: "Lada"})
	require.NoError(t, err)
	_, err = cat.CreateMake(e.ctx, catalog.Make{Name: "Kia"})
	require.NoError(t, err)
	md, err := cat.CreateModel(e.ctx, catalog.Model{MakeID: mk.ID, Name: "Largus"})
	require.NoError(t, err)
	_, err = cat.CreateModel(e.ctx, catalog.Model{MakeID: mk.ID, Name: "Niva"})
	require.NoError(t, err)

	// Sold before the directory had a plan: none attached. (A VIN has one won sale at a time: a dealer's cars have
	// distinct VINs and a car is won once.)
	v := e.vehicle("Largus", "1300000")
	first := e.customer("Первый")
	second := e.customer("Второй")
	sale := e.open(second.ID, v.ID)
	won, cv, err := e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{Insurer: "Согаз", PolicyNumber: "ХХХ 2"})
	require.NoError(t, err)
	require.True(t, cv.Plan.Interval.IsZero(), "no plan attached")

	// The directory's plans, after the sales: the model's own and generation II's.
	_, err = cat.CreateGeneration(e.ctx, catalog.Generation{ModelID: md.ID, Name: "I", YearFrom: 2012, YearTo: 2020})
	require.NoError(t, err)
	gen2, err := cat.CreateGeneration(e.ctx, catalog.Generation{ModelID: md.ID, Name: "II", YearFrom: 2021})
	require.NoError(t, err)
	own, err := cat.CreateMaintenancePlan(e.ctx, catalog.MaintenancePlan{ModelID: md.ID, Name: "ТО Largus", IntervalKm: 15000,
		IntervalMonths: 12, Visits: []catalog.MaintenanceVisit{{Name: "ТО-1", Works: []catalog.MaintenanceWork{{Name: "Масло"}}}}})
	require.NoError(t, err)
	genPlan, err := cat.CreateMaintenancePlan(e.ctx, catalog.MaintenancePlan{GenerationID: gen2.ID, Name: "ТО Largus II",
		IntervalKm: 10000, IntervalMonths: 6, Visits: []catalog.MaintenanceVisit{{Name: "ТО-1", Works: []catalog.MaintenanceWork{{Name: "Масло"}}}}})
	require.NoError(t, err)

	// Warranties added out of their order; visits: one done with works, one cancelled, one booked.
	ext, err := e.after.AddWarranty(e.ctx, cv.ID, aftersales.Warranty{Kind: aftersales.WarrantyExtended, Start: Epoch.AddDate(0, 0, 5),
		End: Epoch.AddDate(3, 0, 0), KmLimit: 150000, Systems: []string{"engine"}, Provider: "Ингосстрах"})
	require.NoError(t, err)
	dealerW, err := e.after.AddWarranty(e.ctx, cv.ID, aftersales.Warranty{Kind: aftersales.WarrantyDealer, Start: Epoch,
		End: Epoch.AddDate(0, 0, 10), Systems: []string{"brakes"}})
	require.NoError(t, err)
	maker, err := e.after.AddWarranty(e.ctx, cv.ID, aftersales.Warranty{Kind: aftersales.WarrantyManufacturer, Start: Epoch,
		End: Epoch.AddDate(3, 0, 0), KmLimit: 100000, Systems: []string{"engine", "transmission"}})
	require.NoError(t, err)
	oil, err := cat.CreateLabour(e.ctx, catalog.Labour{Code: "TO-OIL-W", Name: "Замена масла",
		LabourHours: decimal.RequireFromString("1"), Price: crm.MustMoney("2500", "RUB")})
	require.NoError(t, err)
	done, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cv.ID, Bay: "1",
		Start: msk(24*3+10, 0), Works: []aftersales.WorkRequest{{LabourID: oil.ID}}, Maintenance: true, Notes: "первое ТО"})
	require.NoError(t, err)
	cancelled, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cv.ID, Bay: "2",
		Start: msk(24*2+10, 0), End: msk(24*2+11, 0)})
	require.NoError(t, err)
	cancelled, err = e.after.MoveAppointment(e.ctx, cancelled.ID, 0, "cancel", aftersales.StepInput{Reason: "клиент занят"})
	require.NoError(t, err)
	booked, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cv.ID, Bay: "3",
		Start: msk(24*20+10, 0), End: msk(24*20+11, 0)})
	require.NoError(t, err)
	e.clock.Advance(3 * 24 * time.Hour)
	for _, step := range []struct {
		name string
		km   int
	}{{"arrive", 2990}, {"start", 0}, {"complete", 3000}} {
		e.clock.Advance(10 * time.Minute)
		done, err = e.after.MoveAppointment(e.ctx, done.ID, 0, step.name, aftersales.StepInput{KM: step.km})
		require.NoError(t, err, step.name)
	}
	e.clock.Advance(time.Hour) // a reading taken later than the visit's (readings of one time go by ID)
	car, err := e.after.GetCustomerVehicle(e.ctx, cv.ID)
	require.NoError(t, err)
	car, _, err = e.after.RecordMileage(e.ctx, cv.ID, car.Version, aftersales.MileageReading{KM: 3500})
	require.NoError(t, err)
	rs, err := e.after.ListMileageReadings(e.ctx, cv.ID)
	require.NoError(t, err)
	ws, err := e.after.ListWarranties(e.ctx, cv.ID)
	require.NoError(t, err)

	o, err := e.after.GetCarOverview(e.ctx, cv.ID)
	require.NoError(t, err)
	assert.Equal(t, car.ID, o.Car.ID)
	assert.Equal(t, car.Version, o.Car.Version)
	assert.Equal(t, second.ID, o.Car.CustomerID)
	assert.Equal(t, 3500, o.Car.Odometer)
	require.Len(t, o.Sales, 1)
	assert.Equal(t, won.ID, o.Sales[0].SaleID)
	assert.Equal(t, second.ID, o.Sales[0].CustomerID)
	assert.Equal(t, v.ID, o.Sales[0].VehicleID)
	assert.True(t, o.Sales[0].WonAt.Equal(won.WonAt), "%v %v", o.Sales[0].WonAt, won.WonAt)
	assert.Equal(t, won.Amount.String(), o.Sales[0].Amount.String())
	assert.Equal(t, string(won.PaymentMethod), o.Sales[0].PaymentMethod)
	assert.Equal(t, won.OwnerID, o.Sales[0].OwnerID)

	require.Len(t, o.Visits, 3)
	assert.Equal(t, []crm.ID{cancelled.ID, done.ID, booked.ID}, []crm.ID{o.Visits[0].ID, o.Visits[1].ID, o.Visits[2].ID}, "by start")
	assert.Equal(t, []aftersales.AppointmentStatus{aftersales.AppointmentCancelled, aftersales.AppointmentDone,
		aftersales.AppointmentBooked}, []aftersales.AppointmentStatus{o.Visits[0].Status, o.Visits[1].Status, o.Visits[2].Status})
	assert.Equal(t, "клиент занят", o.Visits[0].CancelReason)
	require.Len(t, o.Visits[1].Works, 1)
	assert.Equal(t, oil.ID, o.Visits[1].Works[0].LabourID)
	assert.Equal(t, "2500.00 RUB", o.Visits[1].Works[0].Total.String())
	assert.Equal(t, "первое ТО", o.Visits[1].Notes)
	assert.Equal(t, 3000, o.Visits[1].KM)
	assert.Equal(t, done.ID, o.LastVisit.ID)
	assert.Equal(t, done.Version, o.LastVisit.Version)

	require.Len(t, o.Warranties, 3)
	assert.Equal(t, []crm.ID{maker.ID, dealerW.ID, ext.ID}, []crm.ID{o.Warranties[0].Warranty.ID, o.Warranties[1].Warranty.ID,
		o.Warranties[2].Warranty.ID}, "manufacturer first, then by start")
	for i, w := range ws {
		assert.Equal(t, w.ID, o.Warranties[i].Warranty.ID)
		assert.Equal(t, w.Version, o.Warranties[i].Warranty.Version)
		assert.Equal(t, w.Systems, o.Warranties[i].Warranty.Systems)
		assert.Equal(t, w.Provider, o.Warranties[i].Warranty.Provider)
		assert.Equal(t, w.StatusOn(o.Today), o.Warranties[i].Status)
	}

	require.Len(t, o.Readings, len(rs))
	for i, r := range rs {
		assert.Equal(t, r.ID, o.Readings[i].ID)
		assert.Equal(t, r.KM, o.Readings[i].KM)
		assert.Equal(t, r.Source, o.Readings[i].Source)
	}
	assert.Equal(t, 3500, o.Readings[len(o.Readings)-1].KM)

	assert.Equal(t, genPlan.ID, o.Maintenance.Plan.PlanID, "generation II's plan over the model's")
	assert.Equal(t, aftersales.MaintenanceInterval{EveryKM: 10000, EveryMonths: 6}, o.Maintenance.Plan.Interval)
	assert.Equal(t, 3000+10000, o.Maintenance.Due.DueKM, "from the completed maintenance visit")
	assert.Equal(t, aftersales.Date(o.Car.LastMaintenanceAt).AddDate(0, 6, 0), o.Maintenance.Due.DueDate)
	assert.Equal(t, cv.ID, o.Maintenance.CustomerVehicle.ID)
	m, err := e.after.GetCarMaintenance(e.ctx, cv.ID)
	require.NoError(t, err)
	assert.Equal(t, m.Plan, o.Maintenance.Plan, "as GetCarMaintenance")
	assert.Equal(t, m.Due, o.Maintenance.Due, "as GetCarMaintenance")

	// A car recorded by hand, its make and model written otherwise, of a year generation I covers (no plan of
	// its own): the model's plan.
	old, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: first.ID,
		VIN: "XTAKS0Y5LC0000077", Make: " LADA ", Model: "largus", Year: 2015, OdometerAtSale: 90000,
		InServiceSince: Epoch.AddDate(-1, 0, 0)})
	require.NoError(t, err)
	o, err = e.after.GetCarOverview(e.ctx, old.ID)
	require.NoError(t, err)
	assert.Equal(t, own.ID, o.Maintenance.Plan.PlanID, "the model's own plan")
	assert.Equal(t, aftersales.MaintenanceInterval{EveryKM: 15000, EveryMonths: 12}, o.Maintenance.Plan.Interval)
	assert.Equal(t, 90000+15000, o.Maintenance.Due.DueKM)
	assert.Empty(t, o.Sales)
	assert.Empty(t, o.Visits)
	assert.Empty(t, o.Warranties)
	require.Len(t, o.Readings, 1)
	assert.Equal(t, 90000, o.Readings[0].KM)

	// A model the make does not have, and a make the directory does not know: no plan.
	for _, c := range []struct{ make, model string }{{"Lada", "Granta"}, {"Лада", "Largus"}} {
		hand, err := e.after.CreateCustomerVehicle(e.ctx, aftersales.CustomerVehicle{CustomerID: first.ID,
			VIN: catalog.VIN(fmt.Sprintf("XTAKS0Y5LC%07d", serviceVINSeq.Add(1))), Make: c.make, Model: c.model, Year: 2022})
		require.NoError(t, err)
		o, err = e.after.GetCarOverview(e.ctx, hand.ID)
		require.NoError(t, err)
		assert.True(t, o.Maintenance.Plan.Interval.IsZero(), "%s %s: no plan", c.make, c.model)
	}
}
