package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leadsEnv is one dealer of a fresh backend with a leads service on a manual clock at Epoch (12:00 in Moscow).
type leadsEnv struct {
	b      Backend
	ctx    context.Context
	dealer crm.Dealer
	clock  *crm.ManualClock
	svc    *leads.Service
	user   crm.User
}

// newLeadsEnv is a dealer added as stack.AddDealer adds one: with its directories.
func newLeadsEnv(t *testing.T, open Open) *leadsEnv {
	t.Helper()
	b := open(t)
	return newLeadsEnvOn(t, b, "Север")
}

func newLeadsEnvOn(t *testing.T, b Backend, name string) *leadsEnv {
	t.Helper()
	e := newBareLeadsEnvOn(t, b, name)
	require.NoError(t, e.svc.SeedDirectories(e.ctx))
	return e
}

// newBareLeadsEnv is a dealer stored without its directories (as one written by an older version).
func newBareLeadsEnv(t *testing.T, open Open) *leadsEnv {
	t.Helper()
	return newBareLeadsEnvOn(t, open(t), "Север")
}

func newBareLeadsEnvOn(t *testing.T, b Backend, name string) *leadsEnv {
	t.Helper()
	ctx, d := NewDealer(t, b, name)
	u, err := crm.NewUser(d.ID, crm.User{Name: "Мария Менеджер", Role: crm.RoleSalesManager}, Epoch)
	require.NoError(t, err)
	require.NoError(t, crm.NewUnit[crm.Stores](b, nil).Update(ctx, func(ctx context.Context, s stores) error { return s.Users().Create(ctx, &u) }))
	clock := crm.NewManualClock(Epoch)
	return &leadsEnv{b: b, ctx: crm.WithActor(ctx, u.ID), dealer: d, clock: clock, svc: leads.NewService(crm.NewUnit[leads.Stores](b, clock), clock), user: u}
}

// msk returns h:m (h may pass 24) of Epoch's day in Moscow, in UTC.
func msk(h, m int) time.Time {
	loc := leads.DefaultConfig().Location
	y, mo, d := Epoch.In(loc).Date()
	return time.Date(y, mo, d, h, m, 0, 0, loc).UTC()
}

var vinSeq atomic.Int64

func (e *leadsEnv) vehicle(t *testing.T) catalog.Vehicle {
	t.Helper()
	v, err := catalog.NewVehicle(e.dealer, catalog.Vehicle{VIN: catalog.VIN(fmt.Sprintf("XTA%014d", vinSeq.Add(1))),
		Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026}, Epoch)
	require.NoError(t, err)
	require.NoError(t, crm.NewUnit[leads.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.Vehicles().Create(ctx, &v) }))
	return v
}

func (e *leadsEnv) getVehicle(t *testing.T, id crm.ID) catalog.Vehicle {
	t.Helper()
	var v catalog.Vehicle
	require.NoError(t, crm.NewUnit[leads.Stores](e.b, nil).View(e.ctx, func(ctx context.Context, s leads.Stores) (err error) {
		v, err = s.Vehicles().Get(ctx, id)
		return err
	}))
	return v
}

var leadPhoneSeq atomic.Int64

func leadInput(first, last string) leads.LeadInput {
	n := leadPhoneSeq.Add(1)
	return leads.LeadInput{Contact: crm.Contact{FirstName: first, LastName: last,
		Phones: []string{fmt.Sprintf("+7 901 %07d", n)}, Emails: []string{fmt.Sprintf("lead%d@example.org", n)}},
		Source: leads.SourceWebsite, NeedType: leads.NeedCarPurchase, Interest: leads.Interest{Make: "Lada", Model: "Vesta"}}
}

func (e *leadsEnv) lead(t *testing.T, first string) leads.Lead {
	t.Helper()
	l, err := e.svc.CreateLead(e.ctx, leadInput(first, "Тестов"))
	require.NoError(t, err)
	return l
}

func (e *leadsEnv) outbox(t *testing.T) []crm.Message { return outbox(t, e.b, e.ctx) }

func (e *leadsEnv) allLeads(t *testing.T) []leads.Lead {
	t.Helper()
	p, err := e.svc.ListLeads(e.ctx, leads.LeadQuery{Limit: 500})
	require.NoError(t, err)
	return p.Items
}

func kindIs(t *testing.T, err error, target error) {
	t.Helper()
	require.Error(t, err)
	assert.True(t, errors.Is(err, target), "want %v, got %v", target, err)
}

// oneOperation asserts that err's message names op once, first, and no other operation (no adapter's store
// method, no domain package prefix).
func oneOperation(t *testing.T, err error, op string) {
	t.Helper()
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, op+": "), "the message starts with %s: %s", op, msg)
	assert.Equal(t, 1, strings.Count(msg, op), "one operation name: %s", msg)
	for _, other := range []string{"memory.", "postgres.", "catalog:", "leads:", "sales:", "catalog.", "sales."} {
		assert.NotContains(t, msg, other, "no other operation name: %s", msg)
	}
}

func hasField(err error, field string) bool {
	for _, f := range crm.FieldsOf(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}

func runLeads(t *testing.T, open Open) {
	t.Run("LeadStoreMethods", func(t *testing.T) { leadStoreMethods(t, open) })
	t.Run("DirectoryStores", func(t *testing.T) { directoryStores(t, open) })
	t.Run("TestDriveStoreMethods", func(t *testing.T) { testDriveStoreMethods(t, open) })
	t.Run("ImportKeyStore", func(t *testing.T) { importKeyStore(t, open) })
	t.Run("Directories", func(t *testing.T) { leadDirectories(t, open) })
	t.Run("DirectoriesNotSeededByUse", func(t *testing.T) { directoriesNotSeededByUse(t, open) })
	t.Run("LeadLifecycle", func(t *testing.T) { leadLifecycle(t, open) })
	t.Run("DuplicateDetection", func(t *testing.T) { duplicateDetection(t, open) })
	t.Run("ListLeads", func(t *testing.T) { listLeads(t, open) })
	t.Run("BookingReservesVehicle", func(t *testing.T) { bookingReservesVehicle(t, open) })
	t.Run("FailedBookingChangesNothing", func(t *testing.T) { failedBookingChangesNothing(t, open) })
	t.Run("EndingDrivesReleases", func(t *testing.T) { endingDrivesReleases(t, open) })
	t.Run("ADFImport", func(t *testing.T) { adfImport(t, open) })
	t.Run("ADFHostileWritesNothing", func(t *testing.T) { adfHostileWritesNothing(t, open) })
	t.Run("DealerIsolation", func(t *testing.T) { leadsDealerIsolation(t, open) })
	t.Run("DisqualifyCancelsDrives", func(t *testing.T) { leadsDisqualifyCancelsDrives(t, open) })
	t.Run("StaleVersion", func(t *testing.T) { leadsStaleVersion(t, open) })
	t.Run("ConcurrentBookingsOneWinner", func(t *testing.T) { concurrentBookings(t, open) })
	t.Run("RecordedDrive", func(t *testing.T) { recordedDrive(t, open) })
	t.Run("ConcurrentImportsOneLead", func(t *testing.T) { concurrentImports(t, open) })
	t.Run("Schedule", func(t *testing.T) { runLeadsSchedule(t, open) })
}

func leadStoreMethods(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	require.NoError(t, e.svc.SeedDirectories(e.ctx))
	price := crm.MustMoney("900000", "RUB")
	in := leads.Lead{Contact: crm.Contact{FirstName: "Иван", MiddleName: "Сергеевич", LastName: "Петров",
		Phones: []string{"+7 900 000-00-00"}, Emails: []string{"Ivan@Example.org"}}, Source: leads.SourceImport,
		NeedType: leads.NeedCarPurchase, Interest: leads.Interest{Make: "Lada", Model: "Vesta", Year: 2026},
		Vehicles:           []leads.VehicleOfInterest{{Interest: "test-drive", Make: "Lada", Model: "Vesta"}},
		TradeIn:            &leads.VehicleOfInterest{Interest: "trade-in", Make: "Kia", Model: "Rio", Odometer: 84000, OdometerUnits: "km", Price: &price, PriceType: "asking"},
		TestDriveRequested: true, Comments: "Тест-драйв в субботу утром",
		External: &leads.ExternalRef{Format: "adf", ID: "1001", Key: "k", RequestDateRaw: "2008-06-25T8:47:50"}}
	l, err := leads.NewLead(e.dealer.ID, in, e.user.ID, Epoch)
	require.NoError(t, err)
	l.DuplicateCustomerIDs = []crm.ID{crm.NewID()}
	unit := crm.NewUnit[leads.Stores](e.b, nil)
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.Leads().Create(ctx, &l) }))
	assert.EqualValues(t, 1, l.Version)

	var got leads.Lead
	get := func() {
		require.NoError(t, unit.View(e.ctx, func(ctx context.Context, s leads.Stores) (err error) {
			got, err = s.Leads().Get(ctx, l.ID)
			return err
		}))
	}
	get()
	assert.Equal(t, l, got, "a lead reads back as saved")

	l.Comments = "Перезвонить"
	require.NoError(t, l.MoveStage(leads.StageInWork, "", e.user.ID, Epoch.Add(time.Hour)))
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.Leads().Update(ctx, &l) }))
	assert.EqualValues(t, 2, l.Version)
	get()
	assert.Equal(t, l, got)

	for _, q := range [][2]string{{"+79000000000", ""}, {"", "ivan@example.org"}, {"+79000000000", "nobody@example.org"}} {
		var found []leads.Lead
		require.NoError(t, unit.View(e.ctx, func(ctx context.Context, s leads.Stores) (err error) {
			found, err = s.Leads().FindByContact(ctx, q[0], q[1])
			return err
		}))
		require.Len(t, found, 1, "%v", q)
		assert.Equal(t, l.ID, found[0].ID)
	}
	require.NoError(t, unit.View(e.ctx, func(ctx context.Context, s leads.Stores) error {
		found, err := s.Leads().FindByContact(ctx, "+70000000000", "")
		assert.Empty(t, found)
		if err != nil {
			return err
		}
		found, err = s.Leads().FindByContact(ctx, "", "")
		assert.Empty(t, found)
		return err
	}))
	err = unit.View(e.ctx, func(ctx context.Context, s leads.Stores) error {
		_, err := s.Leads().Get(ctx, crm.NewID())
		return err
	})
	kindIs(t, err, crm.ErrNotFound)
	missing := l
	missing.ID = crm.NewID()
	err = unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.Leads().Update(ctx, &missing) })
	kindIs(t, err, crm.ErrNotFound)
	dup := l
	err = unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.Leads().Create(ctx, &dup) })
	kindIs(t, err, crm.ErrConflict)

	var page leads.LeadPage
	require.NoError(t, unit.View(e.ctx, func(ctx context.Context, s leads.Stores) (err error) {
		page, err = s.Leads().List(ctx, leads.LeadQuery{Text: "ПЕТРОВ"})
		return err
	}))
	require.Len(t, page.Items, 1)
	assert.Empty(t, page.NextCursor)
	err = unit.View(e.ctx, func(ctx context.Context, s leads.Stores) error {
		_, err := s.Leads().List(ctx, leads.LeadQuery{Cursor: "garbage"})
		return err
	})
	assert.True(t, hasField(err, "cursor"), "%v", err)
}

func directoryStores(t *testing.T, open Open) {
	e := newBareLeadsEnv(t, open)
	unit := crm.NewUnit[leads.Stores](e.b, nil)
	// Empty before seeding.
	require.NoError(t, unit.View(e.ctx, func(ctx context.Context, s leads.Stores) error {
		nts, err := s.NeedTypes().List(ctx)
		assert.Empty(t, nts)
		if err != nil {
			return err
		}
		sts, err := s.LeadStages().List(ctx)
		assert.Empty(t, sts)
		return err
	}))
	n, err := leads.NewNeedType(e.dealer.ID, leads.NeedType{Code: "used_cars", Name: "Автомобили с пробегом", Order: 5}, Epoch)
	require.NoError(t, err)
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.NeedTypes().Create(ctx, &n) }))
	assert.EqualValues(t, 1, n.Version)
	again := n
	again.ID = crm.NewID()
	err = unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error {
		err := s.NeedTypes().Create(ctx, &again)
		kindIs(t, err, crm.ErrConflict)
		// The unit of work stays usable after the conflict.
		_, err = s.NeedTypes().GetByCode(ctx, "used_cars")
		return err
	})
	require.NoError(t, err)
	name := "С пробегом"
	require.NoError(t, n.Apply(leads.NeedTypeChange{Name: &name}, Epoch))
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.NeedTypes().Update(ctx, &n) }))
	assert.EqualValues(t, 2, n.Version)
	var got leads.NeedType
	require.NoError(t, unit.View(e.ctx, func(ctx context.Context, s leads.Stores) (err error) {
		got, err = s.NeedTypes().GetByCode(ctx, "used_cars")
		return err
	}))
	assert.Equal(t, n, got)
	err = unit.View(e.ctx, func(ctx context.Context, s leads.Stores) error {
		_, err := s.NeedTypes().GetByCode(ctx, "nope")
		return err
	})
	kindIs(t, err, crm.ErrNotFound)

	st, err := leads.NewLeadStage(e.dealer.ID, leads.StageInWork, "В работе", Epoch)
	require.NoError(t, err)
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.LeadStages().Create(ctx, &st) }))
	dupStage := st
	dupStage.ID = crm.NewID()
	err = unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.LeadStages().Create(ctx, &dupStage) })
	kindIs(t, err, crm.ErrConflict)
	st.Name = "Работаем"
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.LeadStages().Update(ctx, &st) }))
	var stages []leads.LeadStage
	require.NoError(t, unit.View(e.ctx, func(ctx context.Context, s leads.Stores) (err error) {
		stages, err = s.LeadStages().List(ctx)
		return err
	}))
	require.Len(t, stages, 1)
	assert.Equal(t, st, stages[0])
	err = unit.View(e.ctx, func(ctx context.Context, s leads.Stores) error {
		_, err := s.LeadStages().GetByCode(ctx, leads.StageNew)
		return err
	})
	kindIs(t, err, crm.ErrNotFound)

	// Seeding adds what is missing and keeps what the dealer changed.
	require.NoError(t, e.svc.SeedDirectories(e.ctx))
	require.NoError(t, e.svc.SeedDirectories(e.ctx))
	all, err := e.svc.ListLeadStages(e.ctx)
	require.NoError(t, err)
	require.Len(t, all, 5)
	assert.Equal(t, "Работаем", all[1].Name)
	nts, err := e.svc.ListNeedTypes(e.ctx)
	require.NoError(t, err)
	require.Len(t, nts, 6)
	assert.Equal(t, "used_cars", nts[0].Code, "ordered by order")
}

func testDriveStoreMethods(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	l := e.lead(t, "Олег")
	v := e.vehicle(t)
	unit := crm.NewUnit[leads.Stores](e.b, nil)
	mk := func(start, end time.Time) leads.TestDrive {
		d, err := leads.NewTestDrive(e.dealer.ID, leads.TestDrive{LeadID: l.ID, CustomerID: crm.ID{}, VehicleID: v.ID,
			Start: start, End: end, BookedBy: e.user.ID, Notes: "Права проверить"}, leads.Config{SlotLength: 30 * time.Minute}, Epoch)
		require.NoError(t, err)
		return d
	}
	create := func(d *leads.TestDrive) error {
		return unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.TestDrives().Create(ctx, d) })
	}
	late, early := mk(msk(15, 0), msk(15, 30)), mk(msk(13, 0), msk(14, 0))
	require.NoError(t, create(&late))
	require.NoError(t, create(&early))
	assert.EqualValues(t, 1, late.Version)

	// The store itself refuses an overlapping booked drive (PostgreSQL: the exclusion constraint).
	clash := mk(msk(13, 30), msk(14, 30))
	err := create(&clash)
	kindIs(t, err, leads.ErrTestDriveOverlap)
	assert.True(t, errors.Is(err, crm.ErrConflict))
	backToBack := mk(msk(14, 0), msk(14, 30))
	require.NoError(t, create(&backToBack), "slots are half-open")

	var got leads.TestDrive
	require.NoError(t, unit.View(e.ctx, func(ctx context.Context, s leads.Stores) (err error) {
		got, err = s.TestDrives().Get(ctx, early.ID)
		return err
	}))
	assert.Equal(t, early, got)

	require.NoError(t, early.Cancel("передумал", Epoch))
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.TestDrives().Update(ctx, &early) }))
	assert.EqualValues(t, 2, early.Version)
	retry := mk(msk(13, 30), msk(14, 0))
	require.NoError(t, create(&retry), "a cancelled drive does not block its slot")

	var cal, byLead []leads.TestDrive
	require.NoError(t, unit.View(e.ctx, func(ctx context.Context, s leads.Stores) (err error) {
		if cal, err = s.TestDrives().ListByVehicle(ctx, v.ID); err != nil {
			return err
		}
		byLead, err = s.TestDrives().ListByLead(ctx, l.ID)
		return err
	}))
	ids := func(ds []leads.TestDrive) []crm.ID {
		var out []crm.ID
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	assert.Equal(t, []crm.ID{retry.ID, backToBack.ID, late.ID}, ids(cal), "booked only, by start")
	assert.Equal(t, []crm.ID{early.ID, retry.ID, backToBack.ID, late.ID}, ids(byLead), "all statuses, by start")

	cust := newCustomer(t, e.b, e.ctx, "Клиент")
	forCustomer, err := leads.NewTestDrive(e.dealer.ID, leads.TestDrive{CustomerID: cust.ID, VehicleID: e.vehicle(t).ID,
		Start: msk(16, 0), End: msk(16, 30)}, leads.Config{}, Epoch)
	require.NoError(t, err)
	require.NoError(t, create(&forCustomer))
	var byCustomer []leads.TestDrive
	require.NoError(t, unit.View(e.ctx, func(ctx context.Context, s leads.Stores) (err error) {
		byCustomer, err = s.TestDrives().ListByCustomer(ctx, cust.ID)
		return err
	}))
	assert.Equal(t, []crm.ID{forCustomer.ID}, ids(byCustomer))

	err = unit.View(e.ctx, func(ctx context.Context, s leads.Stores) error {
		_, err := s.TestDrives().Get(ctx, crm.NewID())
		return err
	})
	kindIs(t, err, crm.ErrNotFound)
}

func importKeyStore(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	l := e.lead(t, "Импорт")
	unit := crm.NewUnit[leads.Stores](e.b, e.clock)
	k := leads.ImportKey{Key: "adf:x", LeadID: l.ID, CreatedAt: Epoch}
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.LeadImports().Create(ctx, &k) }))
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error {
		again := leads.ImportKey{Key: "adf:x", LeadID: crm.NewID(), CreatedAt: Epoch}
		kindIs(t, s.LeadImports().Create(ctx, &again), crm.ErrConflict)
		got, err := s.LeadImports().Get(ctx, "adf:x") // the unit stays usable
		assert.Equal(t, l.ID, got.LeadID)
		assert.Equal(t, e.dealer.ID, got.DealerID)
		assert.True(t, got.CreatedAt.Equal(Epoch))
		return err
	}))
	err := unit.View(e.ctx, func(ctx context.Context, s leads.Stores) error {
		_, err := s.LeadImports().Get(ctx, "adf:y")
		return err
	})
	kindIs(t, err, crm.ErrNotFound)
}

// directoriesNotSeededByUse: reading or using a directory never seeds it; a dealer without one gets it from
// SeedDirectories (called when the dealer is added, and by the PostgreSQL migration step).
func directoriesNotSeededByUse(t *testing.T, open Open) {
	e := newBareLeadsEnv(t, open)
	nts, err := e.svc.ListNeedTypes(e.ctx)
	require.NoError(t, err)
	assert.Empty(t, nts)
	stages, err := e.svc.ListLeadStages(e.ctx)
	require.NoError(t, err)
	assert.Empty(t, stages)
	_, err = e.svc.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", Phones: []string{"+79000000000"}},
		Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
	kindIs(t, err, crm.ErrInvalid)
	assert.True(t, hasField(err, "need_type"), "%v", err)
	nts, err = e.svc.ListNeedTypes(e.ctx)
	require.NoError(t, err)
	assert.Empty(t, nts, "a refused lead seeded nothing")

	require.NoError(t, e.svc.SeedDirectories(e.ctx))
	nts, err = e.svc.ListNeedTypes(e.ctx)
	require.NoError(t, err)
	assert.Len(t, nts, len(leads.DefaultNeedTypes()))
	stages, err = e.svc.ListLeadStages(e.ctx)
	require.NoError(t, err)
	assert.Len(t, stages, len(leads.DefaultLeadStages()))
}

func leadDirectories(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	nts, err := e.svc.ListNeedTypes(e.ctx)
	require.NoError(t, err)
	var codes []string
	for _, n := range nts {
		codes = append(codes, n.Code+"="+n.Name+"/"+n.NameEn)
	}
	assert.Equal(t, []string{"car_purchase=Покупка автомобиля/Car purchase", "trade_in=Trade in/Trade-in",
		"spare_parts=Запасные части/Spare parts", "accessories=Аксессуары/Accessories", "service=Сервис/Service"},
		codes, "seeded when the dealer was added, named as the product description names them, with the English name kept")
	require.NoError(t, e.svc.SeedDirectories(e.ctx))
	nts, err = e.svc.ListNeedTypes(e.ctx)
	require.NoError(t, err)
	assert.Len(t, nts, 5, "seeding is idempotent")

	created, err := e.svc.CreateNeedType(e.ctx, leads.NeedType{Code: "insurance", Name: "Страхование", Order: 60})
	require.NoError(t, err)
	assert.True(t, created.Active)
	_, err = e.svc.CreateNeedType(e.ctx, leads.NeedType{Code: "insurance", Name: "Again"})
	kindIs(t, err, crm.ErrConflict)
	_, err = e.svc.CreateNeedType(e.ctx, leads.NeedType{Code: "Bad Code", Name: ""})
	assert.True(t, hasField(err, "code") && hasField(err, "name"), "%v", err)

	off, name := false, "Запчасти"
	upd, err := e.svc.UpdateNeedType(e.ctx, leads.NeedSpareParts, 1, leads.NeedTypeChange{Name: &name, Active: &off})
	require.NoError(t, err)
	assert.Equal(t, "Запчасти", upd.Name)
	assert.False(t, upd.Active)
	_, err = e.svc.UpdateNeedType(e.ctx, leads.NeedSpareParts, 1, leads.NeedTypeChange{Name: &name})
	kindIs(t, err, crm.ErrStaleVersion)
	_, err = e.svc.UpdateNeedType(e.ctx, "nope", 0, leads.NeedTypeChange{Name: &name})
	kindIs(t, err, crm.ErrNotFound)

	in := leadInput("Пётр", "Запчастин")
	in.NeedType = leads.NeedSpareParts
	_, err = e.svc.CreateLead(e.ctx, in)
	assert.True(t, hasField(err, "need_type"), "a deactivated need type: %v", err)
	in.NeedType = "unknown"
	_, err = e.svc.CreateLead(e.ctx, in)
	assert.True(t, hasField(err, "need_type"), "%v", err)
	in.NeedType = "insurance"
	l, err := e.svc.CreateLead(e.ctx, in)
	require.NoError(t, err)
	assert.Equal(t, "insurance", l.NeedType)

	stages, err := e.svc.ListLeadStages(e.ctx)
	require.NoError(t, err)
	var sc []string
	for _, s := range stages {
		sc = append(sc, s.Code)
	}
	assert.Equal(t, []string{"new", "in_work", "qualified", "converted", "disqualified"}, sc)
	assert.True(t, stages[4].RequiresReason)
	renamed, err := e.svc.RenameLeadStage(e.ctx, leads.StageNew, stages[0].Version, "Новый")
	require.NoError(t, err)
	assert.Equal(t, "Новый", renamed.Name)
	_, err = e.svc.RenameLeadStage(e.ctx, "won", 0, "Won")
	kindIs(t, err, crm.ErrNotFound)
}

func leadLifecycle(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	in := leadInput("  Анна ", "Каренина")
	in.Contact.Phones = []string{"8 (916) 555-44-33"}
	in.Contact.Emails = []string{" Anna@Example.ORG "}
	l, err := e.svc.CreateLead(e.ctx, in)
	require.NoError(t, err)
	assert.Equal(t, []string{"+79165554433"}, l.Contact.Phones)
	assert.Equal(t, []string{"anna@example.org"}, l.Contact.Emails)
	assert.Equal(t, leads.StageNew, l.Stage)
	assert.Equal(t, e.user.ID, l.History[0].By)

	got, err := e.svc.GetLead(e.ctx, l.ID)
	require.NoError(t, err)
	assert.Equal(t, l, got)
	_, err = e.svc.GetLead(e.ctx, crm.NewID())
	kindIs(t, err, crm.ErrNotFound)

	step := func(to, reason string) leads.Lead {
		t.Helper()
		e.clock.Advance(time.Minute)
		next, err := e.svc.MoveLeadStage(e.ctx, l.ID, l.Version, to, reason)
		require.NoError(t, err, "%s → %s", l.Stage, to)
		assert.Equal(t, l.Version+1, next.Version)
		l = next
		return next
	}
	step(leads.StageInWork, "")
	step(leads.StageQualified, "")
	step(leads.StageInWork, "нужно уточнить бюджет")
	_, err = e.svc.MoveLeadStage(e.ctx, l.ID, l.Version, leads.StageDisqualified, "")
	assert.True(t, hasField(err, "reason"), "%v", err)
	_, err = e.svc.MoveLeadStage(e.ctx, l.ID, l.Version, leads.StageConverted, "")
	kindIs(t, err, leads.ErrStageTransition)
	_, err = e.svc.MoveLeadStage(e.ctx, l.ID, l.Version, leads.StageNew, "")
	kindIs(t, err, leads.ErrStageTransition)
	_, err = e.svc.MoveLeadStage(e.ctx, l.ID, l.Version-1, leads.StageQualified, "")
	kindIs(t, err, crm.ErrStaleVersion)
	step(leads.StageDisqualified, "купил у конкурента")
	assert.Equal(t, "купил у конкурента", l.StageReason)
	step(leads.StageInWork, "")

	got, err = e.svc.GetLead(e.ctx, l.ID)
	require.NoError(t, err)
	var path []string
	for _, h := range got.History {
		path = append(path, h.From+">"+h.To)
		assert.Equal(t, e.user.ID, h.By)
	}
	assert.Equal(t, []string{">new", "new>in_work", "in_work>qualified", "qualified>in_work", "in_work>disqualified", "disqualified>in_work"}, path)
	assert.Equal(t, "купил у конкурента", got.History[4].Reason)
	assert.True(t, got.History[5].At.Equal(Epoch.Add(5*time.Minute)))

	// Owner.
	owner, err := crm.NewUser(e.dealer.ID, crm.User{Name: "Олег Владелец", Role: crm.RoleSalesManager}, Epoch)
	require.NoError(t, err)
	require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s stores) error { return s.Users().Create(ctx, &owner) }))
	l, err = e.svc.AssignLeadOwner(e.ctx, l.ID, l.Version, owner.ID)
	require.NoError(t, err)
	assert.Equal(t, owner.ID, l.OwnerID)
	_, err = e.svc.AssignLeadOwner(e.ctx, l.ID, 0, crm.NewID())
	assert.True(t, hasField(err, "owner_id"), "%v", err)

	// Edit.
	edit := in
	edit.Comments = "Хочет белую"
	edit.Source = leads.SourcePhone
	edit.Interest = leads.Interest{Make: "Haval", Model: "Jolion"}
	l, err = e.svc.UpdateLead(e.ctx, l.ID, l.Version, edit)
	require.NoError(t, err)
	assert.Equal(t, "Хочет белую", l.Comments)
	assert.Equal(t, leads.SourcePhone, l.Source)
	assert.Equal(t, owner.ID, l.OwnerID, "an edit without an owner keeps the owner")
	assert.Equal(t, leads.StageInWork, l.Stage)
	_, err = e.svc.UpdateLead(e.ctx, l.ID, l.Version-1, edit)
	kindIs(t, err, crm.ErrStaleVersion)
	edit.CustomerID = crm.NewID()
	_, err = e.svc.UpdateLead(e.ctx, l.ID, 0, edit)
	assert.True(t, hasField(err, "customer_id"), "%v", err)

	// Interest in a concrete vehicle fills the make and model from the card.
	v := e.vehicle(t)
	edit.CustomerID = crm.ID{}
	edit.Interest = leads.Interest{VehicleID: v.ID}
	l, err = e.svc.UpdateLead(e.ctx, l.ID, 0, edit)
	require.NoError(t, err)
	assert.Equal(t, leads.Interest{Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026, Condition: "new", VehicleID: v.ID}, l.Interest)
	edit.Interest = leads.Interest{VehicleID: crm.NewID()}
	_, err = e.svc.UpdateLead(e.ctx, l.ID, 0, edit)
	assert.True(t, hasField(err, "interest.vehicle_id"), "%v", err)

	// Converting (done by sales in its own unit of work) closes the lead.
	c := newCustomer(t, e.b, e.ctx, "Анна")
	require.NoError(t, crm.NewUnit[leads.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s leads.Stores) error {
		cur, err := s.Leads().Get(ctx, l.ID)
		if err != nil {
			return err
		}
		if err := cur.Convert(crm.NewID(), c.ID, e.user.ID, e.clock.Now()); err != nil {
			return err
		}
		return s.Leads().Update(ctx, &cur)
	}))
	_, err = e.svc.MoveLeadStage(e.ctx, l.ID, 0, leads.StageInWork, "")
	kindIs(t, err, leads.ErrStageTransition)
	_, err = e.svc.AssignLeadOwner(e.ctx, l.ID, 0, owner.ID)
	kindIs(t, err, leads.ErrLeadClosed)
}

func duplicateDetection(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	cust := newCustomer(t, e.b, e.ctx, "Семён")
	phone := cust.Phones[0]

	in := leadInput("Семён", "Тестов")
	in.Contact.Phones = []string{phone}
	first, err := e.svc.CreateLead(e.ctx, in)
	require.NoError(t, err)
	assert.Equal(t, []crm.ID{cust.ID}, first.DuplicateCustomerIDs)
	assert.Empty(t, first.DuplicateLeadIDs)
	assert.Equal(t, cust.ID, first.CustomerID, "the one matching customer is linked")

	second := leadInput("Сеня", "Другой")
	second.Contact.Emails = []string{strings.ToUpper(in.Contact.Emails[0])}
	s2, err := e.svc.CreateLead(e.ctx, second)
	require.NoError(t, err)
	assert.Equal(t, []crm.ID{first.ID}, s2.DuplicateLeadIDs, "same e-mail, normalised")
	assert.Empty(t, s2.DuplicateCustomerIDs)
	assert.Equal(t, crm.ID{}, s2.CustomerID)
	got, err := e.svc.GetLead(e.ctx, s2.ID)
	require.NoError(t, err)
	assert.Equal(t, s2.DuplicateLeadIDs, got.DuplicateLeadIDs, "the caller sees them later too")

	// A closed lead is not a duplicate.
	_, err = e.svc.MoveLeadStage(e.ctx, first.ID, 0, leads.StageDisqualified, "дубль")
	require.NoError(t, err)
	third := leadInput("Семён", "Третий")
	third.Contact.Phones = []string{phone}
	third.Contact.Emails = append(third.Contact.Emails, in.Contact.Emails[0])
	s3, err := e.svc.CreateLead(e.ctx, third)
	require.NoError(t, err)
	assert.Equal(t, []crm.ID{s2.ID}, s3.DuplicateLeadIDs)
	assert.Equal(t, []crm.ID{cust.ID}, s3.DuplicateCustomerIDs)

	// Two customers match: both are reported, none is linked.
	twin := mustCustomer(t, "Близнец")
	twin.Phones = []string{phone}
	require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s stores) error { return s.Customers().Create(ctx, &twin) }))
	fourth := leadInput("Семён", "Четвёртый")
	fourth.Contact.Phones = []string{phone}
	s4, err := e.svc.CreateLead(e.ctx, fourth)
	require.NoError(t, err)
	assert.ElementsMatch(t, []crm.ID{cust.ID, twin.ID}, s4.DuplicateCustomerIDs)
	assert.Equal(t, crm.ID{}, s4.CustomerID)
	// A customer given explicitly is kept.
	fifth := fourth
	fifth.CustomerID = twin.ID
	s5, err := e.svc.CreateLead(e.ctx, fifth)
	require.NoError(t, err)
	assert.Equal(t, twin.ID, s5.CustomerID)
}

func listLeads(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	owner := e.user.ID
	var all []leads.Lead
	for i := 0; i < 7; i++ {
		in := leadInput(fmt.Sprintf("Клиент%d", i), "Списков")
		if i%2 == 0 {
			in.Source = leads.SourcePhone
			in.OwnerID = owner
		}
		if i == 3 {
			in.NeedType = leads.NeedService
			in.Comments = "Нужна ЗАМЕНА масла"
		}
		if i != 5 { // two leads share a creation time: the ID breaks the tie
			e.clock.Advance(time.Second)
		}
		l, err := e.svc.CreateLead(e.ctx, in)
		require.NoError(t, err)
		all = append(all, l)
	}
	_, err := e.svc.MoveLeadStage(e.ctx, all[1].ID, 0, leads.StageInWork, "")
	require.NoError(t, err)

	// Pages of 3, newest first, nothing lost or repeated.
	var seen []crm.ID
	q := leads.LeadQuery{Limit: 3}
	pages := 0
	for {
		p, err := e.svc.ListLeads(e.ctx, q)
		require.NoError(t, err)
		pages++
		for _, l := range p.Items {
			seen = append(seen, l.ID)
		}
		if p.NextCursor == "" {
			break
		}
		q.Cursor = p.NextCursor
		require.Less(t, pages, 10)
	}
	assert.Equal(t, 3, pages)
	require.Len(t, seen, 7)
	byID := map[crm.ID]leads.Lead{}
	for _, l := range all {
		byID[l.ID] = l
	}
	for i := 1; i < len(seen); i++ {
		a, b := byID[seen[i-1]], byID[seen[i]]
		assert.True(t, a.CreatedAt.After(b.CreatedAt) || (a.CreatedAt.Equal(b.CreatedAt) && a.ID.String() > b.ID.String()), "order at %d", i)
	}
	assert.ElementsMatch(t, seen, func() []crm.ID {
		var ids []crm.ID
		for _, l := range all {
			ids = append(ids, l.ID)
		}
		return ids
	}())

	count := func(q leads.LeadQuery) int {
		t.Helper()
		p, err := e.svc.ListLeads(e.ctx, q)
		require.NoError(t, err)
		return len(p.Items)
	}
	assert.Equal(t, 1, count(leads.LeadQuery{Stage: leads.StageInWork}))
	assert.Equal(t, 6, count(leads.LeadQuery{Stage: leads.StageNew}))
	assert.Equal(t, 4, count(leads.LeadQuery{Source: leads.SourcePhone}))
	assert.Equal(t, 1, count(leads.LeadQuery{NeedType: leads.NeedService}))
	assert.Equal(t, 4, count(leads.LeadQuery{OwnerID: owner}))
	assert.Equal(t, 1, count(leads.LeadQuery{Text: "замена"}), "case-insensitive Cyrillic")
	assert.Equal(t, 1, count(leads.LeadQuery{Text: "клиент3"}))
	assert.Equal(t, 7, count(leads.LeadQuery{Text: "Списков"}))
	assert.Equal(t, 0, count(leads.LeadQuery{Text: "100%_"}), "wildcards are literal")
	assert.Equal(t, 2, count(leads.LeadQuery{Source: leads.SourcePhone, Text: "клиент", Stage: leads.StageNew, Limit: 2}))
	for _, bad := range []leads.LeadQuery{{Stage: "won"}, {Source: "fax"}, {Limit: -1}, {Cursor: "x"}} {
		_, err := e.svc.ListLeads(e.ctx, bad)
		kindIs(t, err, crm.ErrInvalid)
	}
}

func bookingReservesVehicle(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	l := e.lead(t, "Иван")
	v := e.vehicle(t)
	start := msk(24+10, 0) // tomorrow 10:00 in Moscow
	d, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: start, Notes: "Права B"})
	require.NoError(t, err)
	assert.Equal(t, leads.TestDriveBooked, d.Status)
	assert.True(t, d.End.Equal(start.Add(30*time.Minute)), "one slot by default")
	assert.Equal(t, e.user.ID, d.BookedBy)
	assert.EqualValues(t, 1, d.Version)

	got := e.getVehicle(t, v.ID)
	assert.Equal(t, catalog.StatusReserved, got.Status)
	require.Len(t, got.Reservations, 1)
	r := got.Reservations[0]
	assert.Equal(t, catalog.ForTestDrive, r.Purpose)
	assert.Equal(t, d.ID, r.RefID)
	assert.Equal(t, l.ID, r.Holder.LeadID)
	assert.True(t, r.From.Equal(d.Start))
	assert.True(t, r.Until.Equal(d.End.Add(leads.DefaultConfig().HoldGrace)), "held for the slot and the grace after it")
	assert.Equal(t, v.Version+1, got.Version)

	msgs := e.outbox(t)
	require.Len(t, msgs, 1)
	m := msgs[0]
	assert.Equal(t, "test_drive.booked", m.Topic)
	assert.Equal(t, l.Contact.Emails[0], m.Recipient)
	assert.Contains(t, m.Subject, "28.11.2026")
	assert.Contains(t, m.Subject, "10:00")
	assert.Contains(t, m.Body, "Lada Vesta Comfort 2026")
	assert.Contains(t, m.Body, "10:00")
	assert.Contains(t, m.Body, "Север")
	assert.Equal(t, d.ID.String(), m.Data["test_drive_id"])
	assert.Equal(t, "Lada Vesta Comfort 2026", m.Data["vehicle"])
	assert.Equal(t, start.Format(time.RFC3339), m.Data["start"])
	assert.Nil(t, m.SentAt)

	cal, err := e.svc.ListVehicleTestDrives(e.ctx, v.ID)
	require.NoError(t, err)
	require.Len(t, cal, 1)
	assert.Equal(t, d, cal[0])
	byLead, err := e.svc.ListLeadTestDrives(e.ctx, l.ID)
	require.NoError(t, err)
	assert.Len(t, byLead, 1)
	fetched, err := e.svc.GetTestDrive(e.ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, d, fetched)

	// "Right now": the next whole minute, for two slots.
	e.clock.Advance(30 * time.Second)
	now, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Now: true, Duration: time.Hour})
	require.NoError(t, err)
	assert.True(t, now.Start.Equal(Epoch.Add(time.Minute)), "%v", now.Start)
	assert.True(t, now.End.Equal(Epoch.Add(61*time.Minute)))
	assert.Len(t, e.getVehicle(t, v.ID).Reservations, 2, "the same lead holds it twice")

	// Directly for a customer, without a lead.
	c := newCustomer(t, e.b, e.ctx, "Пётр")
	v2 := e.vehicle(t)
	cd, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{CustomerID: c.ID, VehicleID: v2.ID, Start: msk(24+11, 0)})
	require.NoError(t, err)
	assert.Equal(t, c.ID, e.getVehicle(t, v2.ID).Reservations[0].Holder.CustomerID)
	msgs = e.outbox(t)
	require.Len(t, msgs, 3)
	for _, m := range msgs {
		if m.Data["test_drive_id"] == cd.ID.String() {
			assert.Equal(t, c.Phones[0], m.Recipient, "the customer has only a phone")
			assert.Equal(t, c.ID.String(), m.Data["customer_id"])
		}
	}
	byCustomer, err := e.svc.ListCustomerTestDrives(e.ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, []leads.TestDrive{cd}, byCustomer)
}

// snapshot is what a failed booking must leave unchanged.
type snapshot struct {
	vehicle catalog.Vehicle
	drives  []leads.TestDrive
	outbox  int
}

func (e *leadsEnv) snapshot(t *testing.T, v crm.ID, l crm.ID) snapshot {
	t.Helper()
	ds, err := e.svc.ListLeadTestDrives(e.ctx, l)
	require.NoError(t, err)
	return snapshot{e.getVehicle(t, v), ds, len(e.outbox(t))}
}

func failedBookingChangesNothing(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	l := e.lead(t, "Иван")
	v := e.vehicle(t)
	first, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(13, 0), Duration: time.Hour})
	require.NoError(t, err)
	before := e.snapshot(t, v.ID, l.ID)

	book := func(b leads.TestDriveBooking) error {
		_, err := e.svc.BookTestDrive(e.ctx, b)
		assert.Equal(t, before, e.snapshot(t, v.ID, l.ID), "a failed booking changes nothing")
		return err
	}
	err = book(leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(13, 30)})
	kindIs(t, err, leads.ErrTestDriveOverlap)
	assert.True(t, errors.Is(err, crm.ErrConflict))
	assert.Contains(t, err.Error(), first.ID.String(), "the error names the booking in the way")
	assert.Contains(t, err.Error(), "13:00")
	assert.Equal(t, crm.CodeTestDriveOverlap, crm.CodeOf(err))
	oneOperation(t, err, "leads.Service.BookTestDrive")

	other := e.lead(t, "Чужой")
	err = book(leads.TestDriveBooking{LeadID: other.ID, VehicleID: v.ID, Start: msk(13, 30)})
	kindIs(t, err, leads.ErrTestDriveOverlap)
	assert.Equal(t, crm.CodeTestDriveOverlap, crm.CodeOf(err))
	oneOperation(t, err, "leads.Service.BookTestDrive")

	err = book(leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(11, 0)})
	assert.True(t, hasField(err, "start"), "in the past: %v", err)
	err = book(leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(20, 30), Duration: time.Hour})
	assert.True(t, hasField(err, "end"), "after closing: %v", err)
	err = book(leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(15, 0), Duration: 45 * time.Minute})
	assert.True(t, hasField(err, "end"), "not whole slots: %v", err)
	err = book(leads.TestDriveBooking{LeadID: l.ID, Start: msk(15, 0)})
	assert.True(t, hasField(err, "vehicle_id"), "%v", err)
	err = book(leads.TestDriveBooking{VehicleID: v.ID, Start: msk(15, 0)})
	assert.True(t, hasField(err, "lead_id"), "%v", err)
	err = book(leads.TestDriveBooking{LeadID: l.ID, VehicleID: crm.NewID(), Start: msk(15, 0)})
	assert.True(t, hasField(err, "vehicle_id"), "a vehicle the dealer does not have: %v", err)
	err = book(leads.TestDriveBooking{LeadID: crm.NewID(), VehicleID: v.ID, Start: msk(15, 0)})
	kindIs(t, err, crm.ErrNotFound)

	// A vehicle that cannot be reserved.
	sold := e.vehicle(t)
	require.NoError(t, crm.NewUnit[leads.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s leads.Stores) error {
		if err := sold.Sell(catalog.Holder{CustomerID: crm.NewID()}, crm.NewID(), Epoch); err != nil {
			return err
		}
		return s.Vehicles().Update(ctx, &sold)
	}))
	_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: sold.ID, Start: msk(15, 0)})
	kindIs(t, err, catalog.ErrVehicleSold)

	// A closed lead cannot book.
	closed := e.lead(t, "Закрытый")
	_, err = e.svc.MoveLeadStage(e.ctx, closed.ID, 0, leads.StageDisqualified, "спам")
	require.NoError(t, err)
	free := e.vehicle(t)
	_, err = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: closed.ID, VehicleID: free.ID, Start: msk(15, 0)})
	kindIs(t, err, leads.ErrLeadClosed)
	assert.Equal(t, catalog.StatusInStock, e.getVehicle(t, free.ID).Status)
	assert.Equal(t, before.outbox, len(e.outbox(t)))
}

func endingDrivesReleases(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	l := e.lead(t, "Иван")
	v := e.vehicle(t)
	a, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(13, 0)})
	require.NoError(t, err)
	b, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(13, 30)})
	require.NoError(t, err, "back to back")

	_, err = e.svc.CancelTestDrive(e.ctx, a.ID, a.Version, "")
	assert.True(t, hasField(err, "reason"), "%v", err)
	_, err = e.svc.CancelTestDrive(e.ctx, a.ID, a.Version+1, "x")
	kindIs(t, err, crm.ErrStaleVersion)
	a, err = e.svc.CancelTestDrive(e.ctx, a.ID, a.Version, "перенёс")
	require.NoError(t, err)
	assert.Equal(t, leads.TestDriveCancelled, a.Status)
	var cancelled []crm.Message
	for _, m := range e.outbox(t) {
		if m.Topic == leads.TopicTestDriveCancelled {
			cancelled = append(cancelled, m)
		}
	}
	require.Len(t, cancelled, 1, "the driver is told, once")
	assert.Equal(t, l.Recipient(), cancelled[0].Recipient)
	assert.Contains(t, cancelled[0].Body, "отменён")
	assert.Equal(t, a.ID.String(), cancelled[0].Data["test_drive_id"])
	assert.Equal(t, "перенёс", cancelled[0].Data["reason"])
	got := e.getVehicle(t, v.ID)
	assert.Equal(t, catalog.StatusReserved, got.Status, "the other booked drive still holds it")
	require.Len(t, got.Reservations, 1)
	assert.Equal(t, b.ID, got.Reservations[0].RefID)
	_, err = e.svc.CancelTestDrive(e.ctx, a.ID, 0, "again")
	kindIs(t, err, leads.ErrTestDriveClosed)

	_, err = e.svc.CompleteTestDrive(e.ctx, b.ID, 0, leads.TestDriveOutcome{MileageOut: 100, MileageIn: 112})
	kindIs(t, err, crm.ErrConflict) // not started yet
	e.clock.Set(msk(14, 0))
	b, err = e.svc.CompleteTestDrive(e.ctx, b.ID, b.Version, leads.TestDriveOutcome{MileageOut: 100, MileageIn: 112,
		Feedback: "Понравилась подвеска", Rating: 5, License: leads.DriverLicense{Number: "77 01 123456", Categories: "B"}})
	require.NoError(t, err)
	assert.Equal(t, leads.TestDriveCompleted, b.Status)
	stored, err := e.svc.GetTestDrive(e.ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, b, stored)
	assert.Equal(t, 112, stored.MileageIn)
	assert.Equal(t, "77 01 123456", stored.License.Number)
	got = e.getVehicle(t, v.ID)
	assert.Equal(t, catalog.StatusInStock, got.Status, "nothing holds it any more")
	assert.Empty(t, got.Reservations)

	// No-show releases too, but a sale's hold stays.
	c, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(15, 0)})
	require.NoError(t, err)
	saleID := crm.NewID()
	require.NoError(t, crm.NewUnit[leads.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s leads.Stores) error {
		cur, err := s.Vehicles().Get(ctx, v.ID)
		if err != nil {
			return err
		}
		if err := cur.Reserve(catalog.Reservation{Purpose: catalog.ForSale, RefID: saleID, Holder: catalog.Holder{LeadID: l.ID, SaleID: saleID}}, e.clock.Now()); err != nil {
			return err
		}
		return s.Vehicles().Update(ctx, &cur)
	}))
	_, err = e.svc.MarkTestDriveNoShow(e.ctx, c.ID, 0)
	kindIs(t, err, crm.ErrConflict)
	e.clock.Set(msk(15, 10))
	c, err = e.svc.MarkTestDriveNoShow(e.ctx, c.ID, c.Version)
	require.NoError(t, err)
	assert.Equal(t, leads.TestDriveNoShow, c.Status)
	got = e.getVehicle(t, v.ID)
	assert.Equal(t, catalog.StatusReserved, got.Status, "the sale still holds it")
	require.Len(t, got.Reservations, 1)
	assert.Equal(t, saleID, got.Reservations[0].RefID)
	cal, err := e.svc.ListVehicleTestDrives(e.ctx, v.ID)
	require.NoError(t, err)
	assert.Empty(t, cal)
}

const adfSample = `<?xml version="1.0" encoding="UTF-8"?>
<?adf version="1.0"?>
<adf>
  <prospect status="new">
    <id sequence="1001" source="dealer-site">1001</id>
    <requestdate>2026-11-26T10:15:00+03:00</requestdate>
    <vehicle interest="test-drive" status="new">
      <year>2026</year><make>Lada</make><model>Vesta</model><trim>Comfort</trim>
    </vehicle>
    <vehicle interest="trade-in" status="used">
      <year>2018</year><make>Kia</make><model>Rio</model>
      <odometer units="km">84000</odometer><price type="asking" currency="RUB">900000</price>
    </vehicle>
    <customer>
      <contact><name part="first">Иван</name><name part="last">Петров</name>
        <email>ivan@example.org</email><phone type="cellphone">+7 900 000-00-00</phone></contact>
      <timeframe><earliestdate>2026-11-28</earliestdate></timeframe>
      <comments>Тест-драйв в субботу утром</comments>
    </customer>
    <vendor><vendorname>Дилерский центр Север</vendorname></vendor>
    <provider><name part="full">Dealer website</name><service>Web form</service></provider>
  </prospect>
</adf>`

func adfProspect(id, name, email string) string {
	return `<prospect><id source="portal" sequence="1">` + id + `</id><vehicle interest="buy"><make>Haval</make><model>Jolion</model></vehicle>` +
		`<customer><contact><name part="full">` + name + `</name><email>` + email + `</email></contact></customer></prospect>`
}

func adfImport(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	existing := mustCustomer(t, "Иван")
	existing.Emails = []string{"ivan@example.org"}
	require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s stores) error { return s.Customers().Create(ctx, &existing) }))

	res, err := e.svc.ImportADF(e.ctx, strings.NewReader(adfSample))
	require.NoError(t, err)
	assert.Equal(t, 1, res.Created)
	assert.Equal(t, 0, res.Duplicates)
	require.Len(t, res.Items, 1)
	item := res.Items[0]
	assert.Equal(t, leads.ImportCreated, item.Status)
	l, err := e.svc.GetLead(e.ctx, item.LeadID)
	require.NoError(t, err)
	assert.Equal(t, leads.SourceImport, l.Source)
	assert.Equal(t, leads.NeedCarPurchase, l.NeedType)
	assert.True(t, l.TestDriveRequested)
	assert.Equal(t, "Vesta", l.Interest.Model)
	require.NotNil(t, l.TradeIn)
	assert.Equal(t, "Rio", l.TradeIn.Model)
	assert.Equal(t, 84000, l.TradeIn.Odometer)
	require.NotNil(t, l.TradeIn.Price)
	assert.Equal(t, "900000.00 RUB", l.TradeIn.Price.String())
	assert.Len(t, l.Vehicles, 2)
	assert.Equal(t, "Иван Петров", l.Contact.FullName())
	assert.Equal(t, []string{"+79000000000"}, l.Contact.Phones)
	assert.Equal(t, "Тест-драйв в субботу утром", l.Comments)
	assert.Equal(t, leads.StageNew, l.Stage)
	assert.Zero(t, l.CustomerID, "another name (Иван Тестов) on the e-mail: a duplicate to confirm, not linked")
	assert.Equal(t, []crm.ID{existing.ID}, l.DuplicateCustomerIDs)
	require.NotNil(t, l.External)
	assert.Equal(t, "1001", l.External.ID)
	assert.Equal(t, "dealer-site", l.External.Source)
	assert.Equal(t, "Dealer website (Web form)", l.External.Provider)
	assert.True(t, l.External.RequestDate.Equal(time.Date(2026, 11, 26, 7, 15, 0, 0, time.UTC)))

	again, err := e.svc.ImportADF(e.ctx, strings.NewReader(adfSample))
	require.NoError(t, err)
	assert.Equal(t, 0, again.Created)
	assert.Equal(t, 1, again.Duplicates)
	assert.Equal(t, leads.ImportDuplicate, again.Items[0].Status)
	assert.Equal(t, l.ID, again.Items[0].LeadID)
	assert.Len(t, e.allLeads(t), 1, "importing twice creates once")

	// A document mixing a known prospect, a new one and the new one repeated.
	doc := `<adf>` + adfProspect("1001", "Иван Петров", "ivan@example.org") + adfProspect("2002", "Ольга Новикова", "olga@example.org") +
		adfProspect("2002", "Ольга Новикова", "olga@example.org") + `</adf>`
	// "1001" from source "portal" is not the sample's "1001" from "dealer-site".
	mixed, err := e.svc.ImportADF(e.ctx, strings.NewReader(doc))
	require.NoError(t, err)
	var statuses []leads.ImportStatus
	for _, it := range mixed.Items {
		statuses = append(statuses, it.Status)
	}
	assert.Equal(t, []leads.ImportStatus{leads.ImportCreated, leads.ImportCreated, leads.ImportDuplicate}, statuses)
	assert.Equal(t, mixed.Items[1].LeadID, mixed.Items[2].LeadID)
	assert.Equal(t, 2, mixed.Created)
	portal, err := e.svc.GetLead(e.ctx, mixed.Items[0].LeadID)
	require.NoError(t, err)
	assert.Equal(t, []crm.ID{l.ID}, portal.DuplicateLeadIDs, "the same person again is flagged")
	assert.Len(t, e.allLeads(t), 3)

	// A VIN of the dealer's stock makes the interest that vehicle.
	v := e.vehicle(t)
	withVIN := `<adf><prospect><id source="portal">3003</id><vehicle interest="buy"><vin>` + strings.ToLower(string(v.VIN)) +
		`</vin><make>Lada</make></vehicle><customer><contact><name>Вера</name><phone>+7 902 000-00-01</phone></contact></customer></prospect></adf>`
	res, err = e.svc.ImportADF(e.ctx, strings.NewReader(withVIN))
	require.NoError(t, err)
	linked, err := e.svc.GetLead(e.ctx, res.Items[0].LeadID)
	require.NoError(t, err)
	assert.Equal(t, v.ID, linked.Interest.VehicleID)
	assert.Equal(t, string(v.VIN), linked.Vehicles[0].VIN)
}

func adfHostileWritesNothing(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	for name, doc := range map[string]string{
		"entities":         `<?xml version="1.0"?><!DOCTYPE adf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><adf>&b;</adf>`,
		"too deep":         `<adf>` + strings.Repeat("<prospect>", 40) + strings.Repeat("</prospect>", 40) + `</adf>`,
		"too big":          `<adf>` + adfProspect("1", "A B", "a@example.org") + strings.Repeat(" ", leads.MaxADFSize) + `</adf>`,
		"too many":         `<adf>` + strings.Repeat(adfProspect("1", "A B", "a@example.org"), leads.MaxADFProspects+1) + `</adf>`,
		"broken":           `<adf>` + adfProspect("1", "A B", "a@example.org") + `<prospect>`,
		"one bad prospect": `<adf>` + adfProspect("1", "A B", "a@example.org") + adfProspect("2", "", "b@example.org") + `</adf>`,
	} {
		t.Run(name, func(t *testing.T) {
			res, err := e.svc.ImportADF(e.ctx, strings.NewReader(doc))
			kindIs(t, err, crm.ErrInvalid)
			assert.Empty(t, res.Items)
			assert.Empty(t, e.allLeads(t), "nothing written")
			if name == "one bad prospect" {
				assert.True(t, hasField(err, "prospect[1].contact.name"), "%v", crm.FieldsOf(err))
			} else {
				assert.True(t, hasField(err, "document"), "%v", crm.FieldsOf(err))
			}
		})
	}
	// The good prospect of the refused document was not claimed: it imports now.
	res, err := e.svc.ImportADF(e.ctx, strings.NewReader(`<adf>`+adfProspect("1", "A B", "a@example.org")+`</adf>`))
	require.NoError(t, err)
	assert.Equal(t, 1, res.Created)
}

func leadsDealerIsolation(t *testing.T, open Open) {
	b := open(t)
	a := newLeadsEnvOn(t, b, "A")
	o := newLeadsEnvOn(t, b, "B")
	l := a.lead(t, "Свой")
	v := a.vehicle(t)
	d, err := a.svc.BookTestDrive(a.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(13, 0)})
	require.NoError(t, err)

	_, err = o.svc.GetLead(o.ctx, l.ID)
	kindIs(t, err, crm.ErrNotFound)
	_, err = o.svc.GetTestDrive(o.ctx, d.ID)
	kindIs(t, err, crm.ErrNotFound)
	_, err = o.svc.MoveLeadStage(o.ctx, l.ID, 0, leads.StageInWork, "")
	kindIs(t, err, crm.ErrNotFound)
	_, err = o.svc.CancelTestDrive(o.ctx, d.ID, 0, "чужой")
	kindIs(t, err, crm.ErrNotFound)
	assert.Empty(t, o.allLeads(t))
	cal, err := o.svc.ListVehicleTestDrives(o.ctx, v.ID)
	require.NoError(t, err)
	assert.Empty(t, cal)
	ol := o.lead(t, "Чужой")
	// Another dealer's car named in the booking is no vehicle at all for this dealer: invalid vehicle_id, exactly
	// as for an ID that names nothing.
	_, err = o.svc.BookTestDrive(o.ctx, leads.TestDriveBooking{LeadID: ol.ID, VehicleID: v.ID, Start: msk(15, 0)})
	kindIs(t, err, crm.ErrInvalid)
	assert.Equal(t, "vehicle_id", crm.FieldsOf(err)[0].Field)
	_, err = o.svc.BookTestDrive(o.ctx, leads.TestDriveBooking{LeadID: ol.ID, VehicleID: crm.NewID(), Start: msk(15, 0)})
	kindIs(t, err, crm.ErrInvalid)
	_, err = o.svc.BookTestDrive(o.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(15, 0)})
	kindIs(t, err, crm.ErrNotFound)
	require.NoError(t, crm.NewUnit[leads.Stores](b, nil).View(o.ctx, func(ctx context.Context, s leads.Stores) error {
		found, err := s.Leads().FindByContact(ctx, l.Contact.Phones[0], l.Contact.Emails[0])
		assert.Empty(t, found)
		return err
	}))
	// A lead of B with A's lead's phone is not a duplicate of it.
	in := leadInput("Двойник", "Б")
	in.Contact.Phones = l.Contact.Phones
	twin, err := o.svc.CreateLead(o.ctx, in)
	require.NoError(t, err)
	assert.Empty(t, twin.DuplicateLeadIDs)
	// Import keys and directories are per dealer.
	for _, e := range []*leadsEnv{a, o} {
		res, err := e.svc.ImportADF(e.ctx, strings.NewReader(adfSample))
		require.NoError(t, err)
		assert.Equal(t, 1, res.Created)
	}
	off := false
	_, err = a.svc.UpdateNeedType(a.ctx, leads.NeedService, 0, leads.NeedTypeChange{Active: &off})
	require.NoError(t, err)
	nts, err := o.svc.ListNeedTypes(o.ctx)
	require.NoError(t, err)
	for _, n := range nts {
		assert.True(t, n.Active, n.Code)
	}
	assert.Len(t, o.outbox(t), 0)
	assert.Len(t, a.outbox(t), 1)
	// No dealer in the context reaches nothing.
	_, err = a.svc.GetLead(context.Background(), l.ID)
	kindIs(t, err, crm.ErrForbidden)
}

func leadsStaleVersion(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	unit := crm.NewUnit[leads.Stores](e.b, nil)
	l := e.lead(t, "Версия")
	stale := l
	l.Comments = "first"
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.Leads().Update(ctx, &l) }))
	stale.Comments = "second"
	err := unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.Leads().Update(ctx, &stale) })
	kindIs(t, err, crm.ErrStaleVersion)
	got, err := e.svc.GetLead(e.ctx, l.ID)
	require.NoError(t, err)
	assert.Equal(t, "first", got.Comments)
	assert.EqualValues(t, 2, got.Version)

	v := e.vehicle(t)
	d, err := e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: msk(13, 0)})
	require.NoError(t, err)
	staleDrive := d
	d.Notes = "first"
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.TestDrives().Update(ctx, &d) }))
	err = unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.TestDrives().Update(ctx, &staleDrive) })
	kindIs(t, err, crm.ErrStaleVersion)

	nts, err := e.svc.ListNeedTypes(e.ctx)
	require.NoError(t, err)
	n1, n2 := nts[0], nts[0]
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.NeedTypes().Update(ctx, &n1) }))
	err = unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.NeedTypes().Update(ctx, &n2) })
	kindIs(t, err, crm.ErrStaleVersion)

	sts, err := e.svc.ListLeadStages(e.ctx)
	require.NoError(t, err)
	s1, s2 := sts[0], sts[0]
	require.NoError(t, unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.LeadStages().Update(ctx, &s1) }))
	err = unit.Update(e.ctx, func(ctx context.Context, s leads.Stores) error { return s.LeadStages().Update(ctx, &s2) })
	kindIs(t, err, crm.ErrStaleVersion)
}

func concurrentBookings(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	l := e.lead(t, "Гонщик")
	v := e.vehicle(t)
	const n = 50
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			// Every slot overlaps every other: [13:00, 14:00) or [13:30, 14:30).
			_, errs[i] = e.svc.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID,
				Start: msk(13, 30*(i%2)), Duration: time.Hour})
		}(i)
	}
	close(start)
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		assert.True(t, errors.Is(err, leads.ErrTestDriveOverlap), "a loser gets the overlap conflict: %v", err)
	}
	assert.Equal(t, 1, wins)
	cal, err := e.svc.ListVehicleTestDrives(e.ctx, v.ID)
	require.NoError(t, err)
	require.Len(t, cal, 1)
	got := e.getVehicle(t, v.ID)
	require.Len(t, got.Reservations, 1)
	assert.Equal(t, cal[0].ID, got.Reservations[0].RefID)
	assert.Len(t, e.outbox(t), 1, "one notice")
}

func concurrentImports(t *testing.T, open Open) {
	e := newLeadsEnv(t, open)
	require.NoError(t, e.svc.SeedDirectories(e.ctx))
	const n = 20
	var wg sync.WaitGroup
	results := make([]leads.ImportResult, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i], errs[i] = e.svc.ImportADF(e.ctx, strings.NewReader(adfSample))
		}(i)
	}
	wg.Wait()
	created := 0
	for i := range results {
		require.NoError(t, errs[i])
		created += results[i].Created
	}
	assert.Equal(t, 1, created)
	assert.Len(t, e.allLeads(t), 1)
}
