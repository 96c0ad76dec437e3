package adaptertest

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"
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

func runAftersalesService(t *testing.T, open Open) {
	t.Run("OneWinnerForTheLastBaySlot", func(t *testing.T) { serviceLastBaySlot(t, open) })
	t.Run("AdvisorDayLimit", func(t *testing.T) { serviceAdvisorDayLimit(t, open) })
	t.Run("OneCarInOneBayAtATime", func(t *testing.T) { serviceOneCarOneBay(t, open) })
	t.Run("AppointmentLifecycleAndParts", func(t *testing.T) { serviceLifecycle(t, open) })
	t.Run("WonSaleAttachesWarrantyAndPlan", func(t *testing.T) { serviceWonSale(t, open) })
	t.Run("WorkshopCalendar", func(t *testing.T) { serviceWorkshop(t, open) })
	t.Run("CarOverview", func(t *testing.T) { serviceCarOverview(t, open) })
	t.Run("CarOverviewWhole", func(t *testing.T) { serviceCarOverviewWhole(t, open) })
	t.Run("MaintenanceDueList", func(t *testing.T) { serviceMaintenanceDueList(t, open) })
	t.Run("AppointmentsPaging", func(t *testing.T) { appointmentsPaging(t, open) })
	t.Run("ExpiringWarrantiesPaging", func(t *testing.T) { expiringWarrantiesPaging(t, open) })
}

// serviceLastBaySlot: 50 bookings race for one bay's slot; exactly one wins, the others are told the bay is taken.
func serviceLastBaySlot(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	start := msk(24+10, 0)
	const n = 50
	cars := make([]aftersales.CustomerVehicle, n)
	for i := range cars {
		cars[i] = e.handCar(1000)
	}
	var wg sync.WaitGroup
	var won, taken atomic.Int64
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cars[i].ID, Bay: "2",
				Start: start, End: start.Add(time.Hour)})
			switch {
			case err == nil:
				won.Add(1)
			case errors.Is(err, aftersales.ErrBayTaken):
				taken.Add(1)
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 1, won.Load())
	assert.EqualValues(t, n-1, taken.Load())
	list, err := e.after.ListAppointments(e.ctx, aftersales.AppointmentFilter{From: msk(24, 0), To: msk(48, 0), Bay: "2"}, crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	assert.Len(t, list.Items, 1)
	_, err = e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cars[0].ID, Bay: "2",
		Start: start.Add(30 * time.Minute), End: start.Add(90 * time.Minute)})
	kindIs(t, err, aftersales.ErrBayTaken)
	assert.Equal(t, aftersales.CodeBayTaken, crm.CodeOf(err))
	_, err = e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cars[0].ID, Bay: "2",
		Start: start.Add(time.Hour), End: start.Add(2 * time.Hour)})
	require.NoError(t, err, "back to back is no overlap")
	slots, err := e.after.ListFreeSlots(e.ctx, msk(24+9, 0), msk(24+12, 0), "2")
	require.NoError(t, err)
	for _, s := range slots {
		assert.False(t, s.Start.Before(start.Add(2*time.Hour)) && s.End.After(start), "slot %v is taken", s.Start)
	}
	assert.Len(t, slots, 2, "09:00, 09:30 free; 10:00–12:00 taken")
}

// serviceAdvisorDayLimit: 50 bookings of one advisor's day in different bays and times race; exactly the day's
// limit of them win.
func serviceAdvisorDayLimit(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	w := aftersales.DefaultWorkshop()
	w.AdvisorDayLimit = 3
	_, err := e.after.SetWorkshop(e.ctx, 0, w)
	require.NoError(t, err)
	advisor := e.newUser("Мастер-приёмщик")
	const n = 50
	cars := make([]aftersales.CustomerVehicle, n) // a car stands in one bay at a time: one car each
	for i := range cars {
		cars[i] = e.handCar(1000)
	}
	var wg sync.WaitGroup
	var won, full atomic.Int64
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := msk(24+9, 0).Add(time.Duration(i/3) * 30 * time.Minute)
			_, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cars[i].ID,
				Bay: []string{"1", "2", "3"}[i%3], AdvisorID: advisor, Start: start, End: start.Add(30 * time.Minute)})
			switch {
			case err == nil:
				won.Add(1)
			case errors.Is(err, aftersales.ErrAdvisorDayFull):
				full.Add(1)
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 3, won.Load())
	assert.EqualValues(t, n-3, full.Load())
	day, err := e.after.ListAppointments(e.ctx, aftersales.AppointmentFilter{From: msk(24, 0), To: msk(48, 0), AdvisorID: advisor}, crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	require.Len(t, day.Items, 3, "the advisor's day plan")
	_, err = e.after.MoveAppointment(e.ctx, day.Items[0].ID, 0, "cancel", aftersales.StepInput{Reason: "перенос"})
	require.NoError(t, err)
	_, err = e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cars[0].ID, Bay: "1", AdvisorID: advisor,
		Start: msk(24+18, 0), End: msk(24+19, 0)})
	require.NoError(t, err, "a cancelled appointment frees the advisor's day")
	next, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: cars[0].ID, Bay: "1", AdvisorID: advisor,
		Start: msk(48+10, 0), End: msk(48+11, 0)})
	require.NoError(t, err, "another day has room")
	_, err = e.after.RescheduleAppointment(e.ctx, next.ID, next.Version, aftersales.AppointmentChange{Start: ptr(msk(24+19, 0))})
	kindIs(t, err, aftersales.ErrAdvisorDayFull)
}

func serviceLifecycle(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	car := e.handCar(20000)
	filter := e.part("FLT-1", 3)
	var oil catalog.Labour
	oil, err := catalog.NewService(crm.NewUnit[catalog.Stores](e.b, e.clock), e.clock).CreateLabour(e.ctx, catalog.Labour{
		Code: "TO-OIL", Name: "Замена масла", LabourHours: decimal.RequireFromString("1.5"), Price: crm.MustMoney("3000", "RUB")})
	require.NoError(t, err)
	start := msk(24+10, 0)
	a, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "1", Start: start,
		Works: []aftersales.WorkRequest{{LabourID: oil.ID}, {PartID: filter.ID, Quantity: 2}}, Maintenance: true})
	require.NoError(t, err)
	assert.Equal(t, start.Add(90*time.Minute), a.End, "without an end: the works' 1.5 hours, in whole 30-minute slots")
	assert.Equal(t, []string{"3000.00 RUB", "7000.00 RUB"}, []string{a.Works[0].Total.String(), a.Works[1].Total.String()})
	_, err = e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "9", Start: msk(24+6, 0),
		Works: []aftersales.WorkRequest{{LabourID: crm.NewID()}}})
	for _, f := range []string{"bay", "start", "works[0].labour_id"} {
		assert.True(t, hasField(err, f), "%s in %v", f, err)
	}
	_, err = e.after.MoveAppointment(e.ctx, a.ID, 0, "complete", aftersales.StepInput{})
	kindIs(t, err, aftersales.ErrAppointmentStatus)
	assert.Equal(t, aftersales.CodeAppointmentStatus, crm.CodeOf(err))
	a, err = e.after.MoveAppointment(e.ctx, a.ID, a.Version, "arrive", aftersales.StepInput{KM: 21000})
	require.NoError(t, err)
	_, err = e.after.MoveAppointment(e.ctx, a.ID, a.Version, "no-show", aftersales.StepInput{})
	kindIs(t, err, aftersales.ErrAppointmentStatus)
	e.clock.Set(start)
	a, err = e.after.MoveAppointment(e.ctx, a.ID, a.Version, "start", aftersales.StepInput{})
	require.NoError(t, err)
	p := e.getPart(filter.ID)
	assert.Equal(t, []int{3, 2}, []int{p.Quantity, p.Reserved}, "reserved at start")
	_, err = catalog.NewService(crm.NewUnit[catalog.Stores](e.b, e.clock), e.clock).AdjustPartStock(e.ctx, filter.ID, 0, -2)
	kindIs(t, err, catalog.ErrInsufficientStock)
	e.clock.Advance(2 * time.Hour)
	a, err = e.after.MoveAppointment(e.ctx, a.ID, a.Version, "complete", aftersales.StepInput{KM: 21005})
	require.NoError(t, err)
	assert.Equal(t, aftersales.AppointmentDone, a.Status)
	p = e.getPart(filter.ID)
	assert.Equal(t, []int{1, 0}, []int{p.Quantity, p.Reserved}, "taken at done")
	cv, err := e.after.GetCustomerVehicle(e.ctx, car.ID)
	require.NoError(t, err)
	assert.Equal(t, 21005, cv.Odometer)
	assert.Equal(t, 21005, cv.LastMaintenanceKM, "a maintenance visit restarts the clock")
	assert.True(t, cv.LastMaintenanceAt.Equal(e.clock.Now()))

	// cancelling work in progress releases its parts
	b, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "3", Start: msk(48+10, 0),
		Works: []aftersales.WorkRequest{{PartID: filter.ID}}})
	require.NoError(t, err)
	b, err = e.after.MoveAppointment(e.ctx, b.ID, 0, "start", aftersales.StepInput{})
	require.NoError(t, err)
	assert.Equal(t, 1, e.getPart(filter.ID).Reserved)
	c, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: e.handCar(1000).ID, Bay: "2", Start: msk(48+10, 0),
		Works: []aftersales.WorkRequest{{PartID: filter.ID}}})
	require.NoError(t, err)
	_, err = e.after.MoveAppointment(e.ctx, c.ID, 0, "start", aftersales.StepInput{})
	kindIs(t, err, catalog.ErrInsufficientStock)
	_, err = e.after.MoveAppointment(e.ctx, b.ID, 0, "cancel", aftersales.StepInput{Reason: "клиент уехал"})
	require.NoError(t, err)
	assert.Equal(t, 0, e.getPart(filter.ID).Reserved)

	// warranty work that no warranty covers is refused
	_, err = e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "1", Start: msk(48+15, 0),
		WarrantySystem: "engine"})
	kindIs(t, err, aftersales.ErrNotCovered)
	_, err = e.after.AddWarranty(e.ctx, car.ID, aftersales.Warranty{Kind: aftersales.WarrantyDealer, Start: Epoch, End: Epoch.AddDate(0, 0, 2),
		KmLimit: 30000, Systems: []string{"engine"}})
	require.NoError(t, err)
	ok, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "1", Start: msk(24+15, 0),
		WarrantySystem: "engine"})
	require.NoError(t, err)
	assert.NotEqual(t, crm.ID{}, ok.WarrantyID)
	_, err = e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "1", Start: msk(72+15, 0),
		WarrantySystem: "engine"})
	kindIs(t, err, aftersales.ErrNotCovered)
	assert.Contains(t, crm.MessageOf(err), "ended on")
}

func serviceWonSale(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	cat := catalog.NewService(crm.NewUnit[catalog.Stores](e.b, e.clock), e.clock)
	mk, err := cat.CreateMake(e.ctx, catalog.Make{Name: "Lada"})
	require.NoError(t, err)
	md, err := cat.CreateModel(e.ctx, catalog.Model{MakeID: mk.ID, Name: "Vesta"})
	require.NoError(t, err)
	plan, err := cat.CreateMaintenancePlan(e.ctx, catalog.MaintenancePlan{ModelID: md.ID, Name: "ТО Vesta", IntervalKm: 15000,
		IntervalMonths: 12, Visits: []catalog.MaintenanceVisit{{Name: "ТО-1", Works: []catalog.MaintenanceWork{{Name: "Масло"}}}}})
	require.NoError(t, err)
	terms, err := cat.CreateWarrantyTerms(e.ctx, catalog.WarrantyTerms{ModelID: md.ID, Months: 36, KmLimit: 100000,
		CoveredSystems: []string{"engine", "transmission"}})
	require.NoError(t, err)
	v := e.vehicle("Vesta", "1500000")
	sale := e.open(e.customer("Покупатель").ID, v.ID)
	_, cv, err := e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{})
	require.NoError(t, err)
	assert.Equal(t, plan.ID, cv.Plan.PlanID)
	assert.Equal(t, aftersales.MaintenanceInterval{EveryKM: 15000, EveryMonths: 12}, cv.Plan.Interval)
	ws, err := e.after.ListWarranties(e.ctx, cv.ID)
	require.NoError(t, err)
	require.Len(t, ws, 1, "the manufacturer warranty is created with the sale")
	assert.Equal(t, aftersales.WarrantyManufacturer, ws[0].Kind)
	assert.Equal(t, terms.ID, ws[0].TermsID)
	assert.Equal(t, aftersales.Date(Epoch).AddDate(3, 0, 0), ws[0].End)
	c, err := e.after.CheckCoverage(e.ctx, cv.ID, "engine", Epoch.AddDate(3, 0, -1), 99999)
	require.NoError(t, err)
	assert.True(t, c.Covered, c.Reason)
	c, err = e.after.CheckCoverage(e.ctx, cv.ID, "engine", Epoch.AddDate(3, 0, 0), 10)
	require.NoError(t, err)
	assert.False(t, c.Covered)
	exp, err := e.after.ListExpiringWarranties(e.ctx, 366*3, crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	assert.Len(t, exp.Items, 1)
	exp, err = e.after.ListExpiringWarranties(e.ctx, 30, crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	assert.Empty(t, exp.Items)
	m, err := e.after.GetCarMaintenance(e.ctx, cv.ID)
	require.NoError(t, err)
	assert.Equal(t, aftersales.Date(Epoch).AddDate(1, 0, 0), m.Due.DueDate)
	assert.Equal(t, v.Mileage+15000, m.Due.DueKM)
	due, err := e.after.ListMaintenanceDue(e.ctx, 400)
	require.NoError(t, err)
	assert.Len(t, due, 1)
	due, err = e.after.ListMaintenanceDue(e.ctx, 30)
	require.NoError(t, err)
	assert.Empty(t, due)
	w, err := e.after.VoidWarranty(e.ctx, ws[0].ID, ws[0].Version, "тюнинг двигателя")
	require.NoError(t, err)
	assert.True(t, w.Void)
	_, err = e.after.VoidWarranty(e.ctx, ws[0].ID, 0, "ещё раз")
	kindIs(t, err, aftersales.ErrWarrantyStatus)
}

func serviceWorkshop(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	def, err := e.after.GetWorkshop(e.ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 0, def.Version)
	assert.Equal(t, []string{"1", "2", "3"}, []string{def.Bays[0].Code, def.Bays[1].Code, def.Bays[2].Code})
	_, err = e.after.SetWorkshop(e.ctx, 0, aftersales.Workshop{SlotLength: 0, WorkdayStart: 20 * time.Hour, WorkdayEnd: 8 * time.Hour,
		TimeZone: "Mars/Base", Bays: []aftersales.Bay{{Code: "A"}, {Code: "a"}}})
	for _, f := range []string{"slot_length", "workday_end", "time_zone", "bays[1].code", "advisor_day_limit"} {
		assert.True(t, hasField(err, f), "%s in %v", f, err)
	}
	w, err := e.after.SetWorkshop(e.ctx, 0, aftersales.Workshop{SlotLength: time.Hour, WorkdayStart: 8 * time.Hour,
		WorkdayEnd: 17 * time.Hour, TimeZone: "Asia/Yekaterinburg", Bays: []aftersales.Bay{{Code: "L1", Name: "Подъёмник"}}, AdvisorDayLimit: 5})
	require.NoError(t, err)
	assert.EqualValues(t, 1, w.Version)
	got, err := e.after.GetWorkshop(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []aftersales.Bay{{Code: "L1", Name: "Подъёмник"}}, got.Bays)
	assert.Equal(t, "Asia/Yekaterinburg", got.TimeZone)
	_, err = e.after.SetWorkshop(e.ctx, 7, got)
	kindIs(t, err, crm.ErrStaleVersion)
	other := salesEnvOf(t, e.b, "Юг")
	od, err := other.after.GetWorkshop(other.ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 0, od.Version, "stored per dealer")
}

// serviceOneCarOneBay: a car stands in one bay at a time — 20 bookings of one car in three bays at one time race,
// exactly one wins and the others are told the car is booked; a cancelled visit frees the car, back to back is
// no overlap, and a reschedule onto the car's other visit is refused too.
func serviceOneCarOneBay(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	car := e.handCar(1000)
	start := msk(24+11, 0)
	const n = 20
	var wg sync.WaitGroup
	var won, booked atomic.Int64
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID,
				Bay: []string{"1", "2", "3"}[i%3], Start: start, End: start.Add(time.Hour)})
			switch {
			case err == nil:
				won.Add(1)
			case errors.Is(err, aftersales.ErrCarBooked), errors.Is(err, aftersales.ErrBayTaken):
				booked.Add(1)
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, 1, won.Load())
	assert.EqualValues(t, n-1, booked.Load())
	list, err := e.after.ListAppointments(e.ctx, aftersales.AppointmentFilter{From: msk(24, 0), To: msk(48, 0)}, crm.PageRequest{Limit: crm.MaxPageLimit})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	first := list.Items[0]
	other := []string{"1", "2", "3"}[(slices.Index([]string{"1", "2", "3"}, first.Bay)+1)%3]

	_, err = e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: other,
		Start: start.Add(30 * time.Minute), End: start.Add(90 * time.Minute)})
	kindIs(t, err, aftersales.ErrCarBooked)
	assert.Equal(t, aftersales.CodeCarBooked, crm.CodeOf(err))
	later, err := e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: other,
		Start: start.Add(time.Hour), End: start.Add(2 * time.Hour)})
	require.NoError(t, err, "back to back is no overlap")
	from, to := start.Add(30*time.Minute), start.Add(90*time.Minute)
	_, err = e.after.RescheduleAppointment(e.ctx, later.ID, later.Version, aftersales.AppointmentChange{Start: &from, End: &to})
	kindIs(t, err, aftersales.ErrCarBooked)

	_, err = e.after.MoveAppointment(e.ctx, first.ID, first.Version, "cancel", aftersales.StepInput{Reason: "перенос"})
	require.NoError(t, err)
	_, err = e.after.BookAppointment(e.ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: other,
		Start: start, End: start.Add(time.Hour)})
	require.NoError(t, err, "a cancelled visit frees the car")
}
