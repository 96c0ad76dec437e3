package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runSales(t *testing.T, open Open) {
	t.Run("StageStore", func(t *testing.T) { testSalesStageStore(t, open) })
	t.Run("SeedStages", func(t *testing.T) { testSalesSeedStages(t, open) })
	t.Run("StageDirectory", func(t *testing.T) { testSalesStageDirectory(t, open) })
	t.Run("SaleStore", func(t *testing.T) { testSaleStore(t, open) })
	t.Run("SaleList", func(t *testing.T) { testSaleList(t, open) })
	t.Run("OrderStore", func(t *testing.T) { testOrderStore(t, open) })
	t.Run("CustomerVehicleStore", func(t *testing.T) { testCustomerVehicleStore(t, open) })
	t.Run("CustomerVehicleList", func(t *testing.T) { testCustomerVehicleList(t, open) })
	t.Run("LeadToWonSale", func(t *testing.T) { testSalesLeadToWonSale(t, open) })
	t.Run("FailingWinChangesNothing", func(t *testing.T) { testSalesFailingWin(t, open) })
	t.Run("Contract", func(t *testing.T) { testSalesContract(t, open) })
	t.Run("Win", func(t *testing.T) { runSalesWin(t, open) })
	t.Run("ConvertRefusedByItsWrites", func(t *testing.T) { testSalesConvertRefusedByItsWrites(t, open) })
	t.Run("EditIsAtomic", func(t *testing.T) { testSalesEditIsAtomic(t, open) })
	t.Run("EmptyEditWritesNothing", func(t *testing.T) { testSalesEmptyEditWritesNothing(t, open) })
	t.Run("LoseReleasesTheVehicle", func(t *testing.T) { testSalesLose(t, open) })
	t.Run("ReopenLostSale", func(t *testing.T) { testSalesReopen(t, open) })
	t.Run("OrderVehicleLine", func(t *testing.T) { testSalesOrderVehicleLine(t, open) })
	t.Run("StaleVersionIsRefused", func(t *testing.T) { testSalesStaleVersion(t, open) })
	t.Run("DealerIsolation", func(t *testing.T) { testSalesDealerIsolation(t, open) })
	t.Run("ForeignReferencesAreRefused", func(t *testing.T) { testSalesForeignReferences(t, open) })
	for _, n := range []int{2, 20, 50} {
		t.Run(fmt.Sprintf("ConcurrentWins/%d", n), func(t *testing.T) { testSalesConcurrentWins(t, open, n) })
	}
}

// salesEnv is one dealer with seeded stages and the sales and aftersales services over a fresh backend.
type salesEnv struct {
	t      *testing.T
	b      Backend
	ctx    context.Context
	dealer crm.Dealer
	user   crm.ID
	clock  *crm.ManualClock
	svc    *sales.Service
	after  *aftersales.Service
	leads  *leads.Service
	stages sales.Pipeline
}

func newSalesEnv(t *testing.T, open Open) *salesEnv {
	t.Helper()
	b := open(t)
	return salesEnvOf(t, b, "Север")
}

func salesEnvOf(t *testing.T, b Backend, name string) *salesEnv {
	t.Helper()
	ctx, d := NewDealer(t, b, name)
	e := &salesEnv{t: t, b: b, dealer: d, user: crm.NewID(), clock: crm.NewManualClock(Epoch)}
	e.ctx = crm.WithActor(ctx, e.user)
	e.svc = sales.NewService(crm.NewUnit[sales.Stores](b, e.clock), e.clock)
	e.after = aftersales.NewService(crm.NewUnit[aftersales.Stores](b, e.clock), e.clock)
	e.leads = leads.NewService(crm.NewUnit[leads.Stores](b, e.clock), e.clock)
	require.NoError(t, e.leads.SeedDirectories(e.ctx))
	stages, err := e.svc.SeedStages(e.ctx)
	require.NoError(t, err)
	e.stages = sales.NewPipeline(stages)
	return e
}

func (e *salesEnv) stage(code string) sales.Stage {
	e.t.Helper()
	st, ok := e.stages.ByCode(code)
	require.True(e.t, ok, code)
	return st
}

// update runs fn in a read-write sales unit and fails the test on error.
func (e *salesEnv) update(fn func(ctx context.Context, s sales.Stores) error) {
	e.t.Helper()
	require.NoError(e.t, crm.NewUnit[sales.Stores](e.b, nil).Update(e.ctx, fn))
}

// view runs fn in a read-only sales unit and fails the test on error.
func (e *salesEnv) view(fn func(ctx context.Context, s sales.Stores) error) {
	e.t.Helper()
	require.NoError(e.t, crm.NewUnit[sales.Stores](e.b, nil).View(e.ctx, fn))
}

var salesVINSeq atomic.Int64

// vehicle creates an in-stock vehicle card priced at price RUB (VAT included at 20 %).
func (e *salesEnv) vehicle(model, price string) catalog.Vehicle {
	e.t.Helper()
	v, err := catalog.NewVehicle(e.dealer, catalog.Vehicle{
		VIN: catalog.VIN(fmt.Sprintf("XTAGFK330LY%06d", salesVINSeq.Add(1))), Make: "Lada", Model: model, Trim: "Comfort",
		Year: 2026, Mileage: 15,
		Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney(price, "RUB"), VATRate: decimal.RequireFromString("0.2")},
	}, e.clock.Now())
	require.NoError(e.t, err)
	e.update(func(ctx context.Context, s sales.Stores) error { return s.Vehicles().Create(ctx, &v) })
	return v
}

func (e *salesEnv) getVehicle(id crm.ID) (v catalog.Vehicle) {
	e.t.Helper()
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		v, err = s.Vehicles().Get(ctx, id)
		return err
	})
	return v
}

func (e *salesEnv) customer(name string) crm.Customer {
	e.t.Helper()
	c := mustCustomer(e.t, name)
	e.update(func(ctx context.Context, s sales.Stores) error { return s.Customers().Create(ctx, &c) })
	return c
}

// lead creates an open lead of a person with a phone and an e-mail, interested in a Lada of model (and in vehicle,
// when not zero), through the leads service.
func (e *salesEnv) lead(first, model string, vehicle crm.ID) leads.Lead {
	e.t.Helper()
	n := phoneSeq.Add(1)
	l, err := e.leads.CreateLead(e.ctx, leads.LeadInput{
		Contact: crm.Contact{FirstName: first, LastName: "Петров", Phones: []string{fmt.Sprintf("+7 901 %07d", n)},
			Emails: []string{fmt.Sprintf("buyer%d@example.org", n)}},
		Source: leads.SourceWebsite, NeedType: "car_purchase",
		Interest: leads.Interest{Make: "Lada", Model: model, VehicleID: vehicle},
	})
	require.NoError(e.t, err)
	return l
}

// testDrive books a 30-minute drive of the lead on the vehicle at start through the leads service (which holds
// the vehicle for it).
func (e *salesEnv) testDrive(lead leads.Lead, vehicleID crm.ID, start time.Time) leads.TestDrive {
	e.t.Helper()
	d, err := e.leads.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: lead.ID, VehicleID: vehicleID, Start: start})
	require.NoError(e.t, err)
	return d
}

// newUser creates a sales manager of the env's dealer.
func (e *salesEnv) newUser(name string) crm.ID {
	e.t.Helper()
	u, err := crm.NewUser(e.dealer.ID, crm.User{Name: name, Role: crm.RoleSalesManager}, Epoch)
	require.NoError(e.t, err)
	require.NoError(e.t, crm.NewUnit[crm.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s crm.Stores) error { return s.Users().Create(ctx, &u) }))
	return u.ID
}

func (e *salesEnv) getSale(id crm.ID) sales.Sale {
	e.t.Helper()
	s, err := e.svc.GetSale(e.ctx, id)
	require.NoError(e.t, err)
	return s
}

// open opens a sale of customer for vehicle (zero: none) at the first stage.
func (e *salesEnv) open(customer, vehicle crm.ID) sales.Sale {
	e.t.Helper()
	s, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: customer, VehicleID: vehicle})
	require.NoError(e.t, err)
	return s
}

func (e *salesEnv) customerVehiclesOf(vehicleID crm.ID) (out []aftersales.CustomerVehicle) {
	e.t.Helper()
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		out, err = s.CustomerVehicles().ListByVehicle(ctx, vehicleID)
		return err
	})
	return out
}

func salesFields(err error) []string {
	var out []string
	for _, f := range crm.FieldsOf(err) {
		out = append(out, f.Field)
	}
	return out
}

func salesHolds(v catalog.Vehicle) map[catalog.Purpose]int {
	out := map[catalog.Purpose]int{}
	for _, r := range v.Reservations {
		out[r.Purpose]++
	}
	return out
}

func testSalesStageStore(t *testing.T, open Open) {
	b := open(t)
	ctx, d := NewDealer(t, b, "A")
	ctxB, _ := NewDealer(t, b, "B")
	u := crm.NewUnit[sales.Stores](b, crm.NewManualClock(Epoch))
	mk := func(code string, order, prob int, kind sales.StageKind) sales.Stage {
		st, err := sales.NewStage(d.ID, sales.Stage{Code: code, Name: "Стадия " + code, Order: order, MaxProbability: prob, Kind: kind}, Epoch)
		require.NoError(t, err)
		return st
	}
	first, won := mk("first", 20, 10, sales.StageOpen), mk("won", 90, 100, sales.StageWon)
	require.NoError(t, u.Update(ctx, func(ctx context.Context, s sales.Stores) error {
		if err := s.SalesStages().Create(ctx, &won); err != nil {
			return err
		}
		return s.SalesStages().Create(ctx, &first)
	}))
	assert.EqualValues(t, 1, first.Version)
	var list []sales.Stage
	require.NoError(t, u.View(ctx, func(ctx context.Context, s sales.Stores) (err error) {
		list, err = s.SalesStages().List(ctx)
		return err
	}))
	require.Len(t, list, 2)
	assert.Equal(t, []string{"first", "won"}, []string{list[0].Code, list[1].Code}, "ordered by order number")
	assert.Equal(t, "Стадия first", list[0].Name)
	assert.Equal(t, sales.StageWon, list[1].Kind)
	assert.Equal(t, 100, list[1].MaxProbability)

	for name, st := range map[string]sales.Stage{
		"duplicate code":   mk("first", 30, 10, sales.StageOpen),
		"duplicate order":  mk("other", 20, 10, sales.StageOpen),
		"second won stage": mk("won_too", 95, 100, sales.StageWon),
	} {
		err := u.Update(ctx, func(ctx context.Context, s sales.Stores) error { return s.SalesStages().Create(ctx, &st) })
		assert.True(t, errors.Is(err, crm.ErrConflict), "%s: %v", name, err)
	}

	upd := first
	upd.Name, upd.MaxProbability = "Первая", 15
	require.NoError(t, u.Update(ctx, func(ctx context.Context, s sales.Stores) error { return s.SalesStages().Update(ctx, &upd) }))
	assert.EqualValues(t, 2, upd.Version)
	clash := upd
	clash.Order = 90
	err := u.Update(ctx, func(ctx context.Context, s sales.Stores) error { return s.SalesStages().Update(ctx, &clash) })
	assert.True(t, errors.Is(err, crm.ErrConflict), "%v", err)

	// Create, get, versions, stale writes and dealer isolation are the generic record contract's (records.go);
	// this test holds the stage's own rules: unique code and order, one won and one lost stage, list order.
	require.NoError(t, u.View(ctxB, func(ctx context.Context, s sales.Stores) (err error) {
		list, err = s.SalesStages().List(ctx)
		return err
	}))
	assert.Empty(t, list)
}

func testSalesSeedStages(t *testing.T, open Open) {
	b := open(t)
	ctx, _ := NewDealer(t, b, "A")
	clock := crm.NewManualClock(Epoch)
	svc := sales.NewService(crm.NewUnit[sales.Stores](b, clock), clock)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svc.SeedStages(ctx)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	stages, err := svc.SeedStages(ctx)
	require.NoError(t, err)
	listed, err := svc.ListStages(ctx)
	require.NoError(t, err)
	assert.Equal(t, stages, listed)
	var got []string
	for _, st := range listed {
		got = append(got, fmt.Sprintf("%s %d %d %s", st.Code, st.Order, st.MaxProbability, st.Kind))
	}
	assert.Equal(t, []string{"new 1 10 open", "needs_discovery 2 20 open", "vehicle_selection 3 30 open",
		"test_drive 4 40 open", "proposal 5 60 open", "negotiation 6 75 open", "contract 7 90 open", "won 8 100 won",
		"lost 9 0 lost"}, got, "seeded once, whatever the number of concurrent calls")
	one, err := svc.GetStage(ctx, listed[3].ID)
	require.NoError(t, err)
	assert.Equal(t, "test_drive", one.Code)
}

func testSalesStageDirectory(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	st, err := e.svc.CreateStage(e.ctx, sales.StageInput{Code: "delivery", Name: "Выдача автомобиля", Order: 70, MaxProbability: 95, Kind: sales.StageOpen})
	require.NoError(t, err)
	assert.EqualValues(t, 1, st.Version)

	for _, tc := range []struct {
		name  string
		in    sales.StageInput
		kind  error
		field string
	}{
		{"probability below an earlier open stage", sales.StageInput{Code: "late", Name: "L", Order: 80, MaxProbability: 50, Kind: sales.StageOpen}, crm.ErrInvalid, "max_probability"},
		{"taken code", sales.StageInput{Code: "proposal", Name: "P", Order: 81, MaxProbability: 99, Kind: sales.StageOpen}, crm.ErrConflict, "code"},
		{"taken order", sales.StageInput{Code: "other", Name: "O", Order: 5, MaxProbability: 60, Kind: sales.StageOpen}, crm.ErrConflict, "order"},
		{"second won stage", sales.StageInput{Code: "won2", Name: "W", Order: 82, MaxProbability: 100, Kind: sales.StageWon}, crm.ErrConflict, "kind"},
		{"invalid on its own", sales.StageInput{Code: "X", Name: "", Order: 0, MaxProbability: 120, Kind: "maybe"}, crm.ErrInvalid, "code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.CreateStage(e.ctx, tc.in)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.kind), "%v", err)
			assert.Contains(t, salesFields(err), tc.field)
		})
	}

	upd, err := e.svc.UpdateStage(e.ctx, st.ID, st.Version, sales.StageUpdate{Name: "Выдача", Order: 75, MaxProbability: 98})
	require.NoError(t, err)
	assert.EqualValues(t, 2, upd.Version)
	assert.Equal(t, "delivery", upd.Code)
	_, err = e.svc.UpdateStage(e.ctx, st.ID, st.Version, sales.StageUpdate{Name: "x", Order: 75, MaxProbability: 98})
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
	_, err = e.svc.UpdateStage(e.ctx, e.stage("proposal").ID, 1, sales.StageUpdate{Name: "Предложение", Order: 5, MaxProbability: 80})
	assert.True(t, errors.Is(err, crm.ErrInvalid), "60 → 80 would exceed negotiation's 75: %v", err)
	listed, err := e.svc.ListStages(e.ctx)
	require.NoError(t, err)
	assert.Len(t, listed, 10)
	assert.NoError(t, sales.NewPipeline(listed).Validate())
}

func testSaleStore(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	c := e.customer("Анна")
	v := e.vehicle("Vesta", "1500000")
	u := crm.NewUnit[sales.Stores](e.b, nil)
	sale, err := sales.NewSale(e.dealer.ID, sales.Sale{CustomerID: c.ID, VehicleID: v.ID, OwnerID: e.user, LeadID: crm.NewID(),
		Amount: crm.MustMoney("1499999.99", "RUB"), PaymentMethod: sales.PayMixed, ServiceContract: true,
		TradeInAppraisalID: crm.NewID(),
		Insurance: catalog.VehicleInsurance{Insurer: "Ингосстрах", PolicyNumber: "ХХХ 0123456789", ValidFrom: Epoch,
			ValidTo: Epoch.AddDate(1, 0, 0)}}, e.stage("new"), e.user, Epoch)
	require.NoError(t, err)
	require.NoError(t, sale.MoveTo(e.stages, e.stage("proposal").ID, "знает, чего хочет", e.user, Epoch))
	require.NoError(t, u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Sales().Create(ctx, &sale) }))
	assert.EqualValues(t, 1, sale.Version)
	dup := sale
	err = u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Sales().Create(ctx, &dup) })
	assert.True(t, errors.Is(err, crm.ErrConflict), "%v", err)

	got := e.getSale(sale.ID)
	assert.Equal(t, "1499999.99 RUB", got.Amount.String())
	assert.Equal(t, sale.History, got.History, "the stage history round-trips, skipped entries included")
	assert.Len(t, got.History, 5)
	assert.Equal(t, "Ингосстрах", got.Insurance.Insurer)
	assert.True(t, got.Insurance.ValidTo.Equal(Epoch.AddDate(1, 0, 0)))
	assert.Equal(t, []any{c.ID, v.ID, e.user, sale.LeadID, sale.TradeInAppraisalID, sales.PayMixed, true, sales.StatusOpen, 60, "proposal"},
		[]any{got.CustomerID, got.VehicleID, got.OwnerID, got.LeadID, got.TradeInAppraisalID, got.PaymentMethod, got.ServiceContract, got.Status, got.Probability, got.StageCode})
	assert.True(t, got.WonAt.IsZero() && got.LostAt.IsZero())

	// Update: a stale version is refused, a current one bumps it.
	got.OwnerID = crm.ID{}
	require.NoError(t, got.Lose(e.stages, "дорого", e.user, Epoch.Add(time.Hour)))
	require.NoError(t, u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Sales().Update(ctx, &got) }))
	assert.EqualValues(t, 2, got.Version)
	lost := e.getSale(sale.ID)
	assert.Equal(t, sales.StatusLost, lost.Status)
	assert.Equal(t, "дорого", lost.LostReason)
	assert.True(t, lost.LostAt.Equal(Epoch.Add(time.Hour)))
	assert.Equal(t, crm.ID{}, lost.OwnerID)
	err = u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Sales().Update(ctx, &sale) })
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
	missing := sale
	missing.ID = crm.NewID()
	err = u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Sales().Update(ctx, &missing) })
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)

	// One won sale per vehicle, held by the store itself.
	mkWon := func() sales.Sale {
		s, err := sales.NewSale(e.dealer.ID, sales.Sale{CustomerID: c.ID, VehicleID: v.ID}, e.stage("contract"), e.user, Epoch)
		require.NoError(t, err)
		require.NoError(t, u.Update(e.ctx, func(ctx context.Context, st sales.Stores) error { return st.Sales().Create(ctx, &s) }))
		require.NoError(t, s.Win(e.stages, e.user, Epoch))
		return s
	}
	first, second := mkWon(), mkWon()
	require.NoError(t, u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Sales().Update(ctx, &first) }))
	err = u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Sales().Update(ctx, &second) })
	assert.True(t, errors.Is(err, crm.ErrConflict), "a second won sale of one vehicle: %v", err)
	assert.Equal(t, sales.StatusOpen, e.getSale(second.ID).Status)
}

func testSaleList(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	c1, c2 := e.customer("Первый"), e.customer("Второй")
	owner := e.newUser("Менеджер")
	var all []sales.Sale
	for i := 0; i < 5; i++ {
		if i != 3 { // two sales share a creation time: the ID breaks the tie
			e.clock.Advance(time.Minute)
		}
		c := c1
		if i%2 == 1 {
			c = c2
		}
		in := sales.OpenSaleInput{CustomerID: c.ID, VehicleID: e.vehicle("Granta", "900000").ID}
		if i == 4 {
			in.OwnerID, in.StageID = owner, e.stage("proposal").ID
		}
		s, err := e.svc.OpenSale(e.ctx, in)
		require.NoError(t, err)
		all = append(all, s)
	}
	_, err := e.svc.LoseSale(e.ctx, all[0].ID, all[0].Version, "не дозвонились")
	require.NoError(t, err)

	ids := func(p sales.SalePage) (out []crm.ID) {
		for _, s := range p.Items {
			out = append(out, s.ID)
		}
		return out
	}
	// Newest first, paged by cursor.
	var seen []crm.ID
	q := sales.SaleQuery{Limit: 2}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5)
		p, err := e.svc.ListSales(e.ctx, q)
		require.NoError(t, err)
		seen = append(seen, ids(p)...)
		if p.NextCursor == "" {
			break
		}
		q.Cursor = p.NextCursor
	}
	require.Len(t, seen, 5)
	assert.Equal(t, all[4].ID, seen[0])
	assert.Equal(t, all[0].ID, seen[4])
	assert.ElementsMatch(t, []crm.ID{all[2].ID, all[3].ID}, seen[1:3])

	for _, tc := range []struct {
		name string
		q    sales.SaleQuery
		want []crm.ID
	}{
		{"status", sales.SaleQuery{Status: sales.StatusLost}, []crm.ID{all[0].ID}},
		{"stage", sales.SaleQuery{StageID: e.stage("proposal").ID}, []crm.ID{all[4].ID}},
		{"owner", sales.SaleQuery{OwnerID: owner}, []crm.ID{all[4].ID}},
		{"customer", sales.SaleQuery{CustomerID: c2.ID}, []crm.ID{all[3].ID, all[1].ID}},
		{"vehicle", sales.SaleQuery{VehicleID: all[2].VehicleID}, []crm.ID{all[2].ID}},
		{"customer and status", sales.SaleQuery{CustomerID: c1.ID, Status: sales.StatusOpen}, []crm.ID{all[4].ID, all[2].ID}},
		{"nothing", sales.SaleQuery{VehicleID: crm.NewID()}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := e.svc.ListSales(e.ctx, tc.q)
			require.NoError(t, err)
			assert.Equal(t, tc.want, ids(p))
			assert.Empty(t, p.NextCursor)
			assert.NotNil(t, p.Items)
		})
	}
	_, err = e.svc.ListSales(e.ctx, sales.SaleQuery{Cursor: "garbage"})
	assert.Equal(t, []string{"cursor"}, salesFields(err))
	_, err = e.svc.ListSales(e.ctx, sales.SaleQuery{Status: "pending"})
	assert.Equal(t, []string{"status"}, salesFields(err))
	var page sales.SalePage
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		page, err = s.Sales().List(ctx, sales.SaleQuery{Status: sales.StatusOpen, Limit: 3})
		return err
	})
	assert.Len(t, page.Items, 3)
	assert.NotEmpty(t, page.NextCursor)
	err = crm.NewUnit[sales.Stores](e.b, nil).View(e.ctx, func(ctx context.Context, s sales.Stores) error {
		_, err := s.Sales().List(ctx, sales.SaleQuery{Cursor: "%%%"})
		return err
	})
	assert.True(t, errors.Is(err, crm.ErrInvalid), "%v", err)
}

func testOrderStore(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	sale := e.open(e.customer("Олег").ID, crm.ID{})
	u := crm.NewUnit[sales.Stores](e.b, nil)
	o, err := sales.NewOrder(e.dealer.ID, sale.ID, "RUB", Epoch)
	require.NoError(t, err)
	_, err = o.AddLine(sales.LineInput{Kind: sales.LineAccessory, Description: "Коврики в салон", RefID: crm.NewID(),
		Quantity: decimal.RequireFromString("1"), UnitPrice: crm.MustMoney("4990", "RUB"), Discount: crm.MustMoney("490", "RUB"),
		VATRate: decimal.RequireFromString("0.2")}, Epoch)
	require.NoError(t, err)
	_, err = o.AddLine(sales.LineInput{Kind: sales.LinePart, Description: "Масло 5W-30, л", Quantity: decimal.RequireFromString("4.5"),
		UnitPrice: crm.MustMoney("899.99", "RUB"), VATRate: decimal.RequireFromString("0.2")}, Epoch)
	require.NoError(t, err)
	require.NoError(t, u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Orders().Create(ctx, &o) }))
	assert.EqualValues(t, 1, o.Version)

	second, err := sales.NewOrder(e.dealer.ID, sale.ID, "RUB", Epoch)
	require.NoError(t, err)
	err = u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Orders().Create(ctx, &second) })
	assert.True(t, errors.Is(err, crm.ErrConflict), "one order per sale: %v", err)

	check := func(got sales.Order, lines int, gross string) {
		t.Helper()
		assert.Equal(t, o.ID, got.ID)
		assert.Equal(t, sale.ID, got.SaleID)
		assert.Equal(t, crm.Currency("RUB"), got.Currency)
		require.Len(t, got.Lines, lines)
		assert.Equal(t, gross, got.Gross.String())
		for i, l := range got.Lines {
			want := o.Lines[i]
			assert.Equal(t, want.ID, l.ID)
			assert.Equal(t, want.Kind, l.Kind)
			assert.Equal(t, want.Description, l.Description)
			assert.Equal(t, want.RefID, l.RefID)
			assert.True(t, want.Quantity.Equal(l.Quantity), "%s", l.Quantity)
			assert.True(t, want.VATRate.Equal(l.VATRate))
			for _, pair := range [][2]crm.Money{{want.UnitPrice, l.UnitPrice}, {want.Discount, l.Discount}, {want.Net, l.Net}, {want.VAT, l.VAT}, {want.Gross, l.Gross}} {
				assert.Equal(t, pair[0].String(), pair[1].String())
			}
		}
	}
	var got sales.Order
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		got, err = s.Orders().Get(ctx, o.ID)
		return err
	})
	check(got, 2, "8549.96 RUB")
	assert.Equal(t, "1424.99 RUB", got.VAT.String())
	assert.Equal(t, "7124.97 RUB", got.Net.String())
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		got, err = s.Orders().FindBySale(ctx, sale.ID)
		return err
	})
	check(got, 2, "8549.96 RUB")
	err = u.View(e.ctx, func(ctx context.Context, s sales.Stores) error {
		_, err := s.Orders().FindBySale(ctx, crm.NewID())
		return err
	})
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)

	stale := o.Clone()
	_, err = o.RemoveLine(o.Lines[0].ID, Epoch)
	require.NoError(t, err)
	require.NoError(t, u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Orders().Update(ctx, &o) }))
	assert.EqualValues(t, 2, o.Version)
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		got, err = s.Orders().Get(ctx, o.ID)
		return err
	})
	check(got, 1, "4049.96 RUB")
	err = u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Orders().Update(ctx, &stale) })
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
	moved := o.Clone()
	moved.SaleID = e.open(e.customer("Другой").ID, crm.ID{}).ID
	err = u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Orders().Update(ctx, &moved) })
	assert.Equal(t, []string{"sale_id"}, salesFields(err), "an order stays with its sale")
	missing := o.Clone()
	missing.ID = crm.NewID()
	err = u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.Orders().Update(ctx, &missing) })
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		got, err = s.Orders().Get(ctx, o.ID)
		return err
	})
	check(got, 1, "4049.96 RUB")
}

func testCustomerVehicleStore(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	c := e.customer("Мария")
	v1, v2 := e.vehicle("Vesta", "1500000"), e.vehicle("Niva", "1100000")
	u := crm.NewUnit[sales.Stores](e.b, nil)
	mk := func(v catalog.Vehicle, saleID crm.ID, at time.Time) aftersales.CustomerVehicle {
		cv, err := aftersales.NewCustomerVehicle(e.dealer.ID, aftersales.CustomerVehicle{CustomerID: c.ID, VehicleID: v.ID,
			VIN: v.VIN, Make: v.Make, Model: v.Model, Trim: v.Trim, Year: v.Year, SaleID: saleID, SoldAt: at,
			Insurance:       catalog.VehicleInsurance{Insurer: "РЕСО", PolicyNumber: "ТТТ 7001", ValidFrom: at, ValidTo: at.AddDate(1, 0, 0)},
			ServiceContract: true, OdometerAtSale: 15}, at)
		require.NoError(t, err)
		require.NoError(t, u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.CustomerVehicles().Create(ctx, &cv) }))
		assert.EqualValues(t, 1, cv.Version)
		return cv
	}
	s1, s2 := crm.NewID(), crm.NewID()
	cv1 := mk(v1, s1, Epoch)
	cv2 := mk(v2, s2, Epoch.Add(time.Hour))

	dup, err := aftersales.NewCustomerVehicle(e.dealer.ID, aftersales.CustomerVehicle{CustomerID: c.ID, VehicleID: v1.ID,
		VIN: "XTAGFK330LY999998", Make: "Lada", Year: 2026, SaleID: s1}, Epoch)
	require.NoError(t, err)
	err = u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.CustomerVehicles().Create(ctx, &dup) })
	assert.True(t, errors.Is(err, crm.ErrConflict), "one customer vehicle per (vehicle, sale): %v", err)
	sameVIN, err := aftersales.NewCustomerVehicle(e.dealer.ID, aftersales.CustomerVehicle{CustomerID: c.ID, VIN: v1.VIN,
		Make: "Lada", Year: 2026}, Epoch)
	require.NoError(t, err)
	err = u.Update(e.ctx, func(ctx context.Context, s sales.Stores) error { return s.CustomerVehicles().Create(ctx, &sameVIN) })
	assert.True(t, errors.Is(err, crm.ErrConflict) && crm.CodeOf(err) == crm.CodeDuplicate && hasField(err, "vin"),
		"one customer vehicle per VIN, held by the store: %v", err)
	e.view(func(ctx context.Context, s sales.Stores) error {
		byVIN, err := s.CustomerVehicles().FindByVIN(ctx, v1.VIN)
		assert.Equal(t, cv1.ID, byVIN.ID)
		return err
	})

	got, err := e.after.GetCustomerVehicle(e.ctx, cv1.ID)
	require.NoError(t, err)
	assert.Equal(t, cv1.VIN, got.VIN)
	assert.Equal(t, []any{c.ID, v1.ID, s1, e.dealer.ID, "Lada", "Vesta", "Comfort", 2026, 15, true, "РЕСО", "ТТТ 7001"},
		[]any{got.CustomerID, got.VehicleID, got.SaleID, got.SellingDealerID, got.Make, got.Model, got.Trim, got.Year,
			got.OdometerAtSale, got.ServiceContract, got.Insurance.Insurer, got.Insurance.PolicyNumber})
	assert.True(t, got.SoldAt.Equal(Epoch))
	assert.True(t, got.Insurance.ValidTo.Equal(Epoch.AddDate(1, 0, 0)))

	mine, err := e.after.ListCustomerVehiclesByCustomer(e.ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, mine, 2)
	assert.Equal(t, []crm.ID{cv1.ID, cv2.ID}, []crm.ID{mine[0].ID, mine[1].ID}, "oldest first")
	byVehicle, err := e.after.ListCustomerVehiclesByVehicle(e.ctx, v2.ID)
	require.NoError(t, err)
	require.Len(t, byVehicle, 1)
	assert.Equal(t, cv2.ID, byVehicle[0].ID)
	var found aftersales.CustomerVehicle
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		found, err = s.CustomerVehicles().FindBySale(ctx, s2)
		return err
	})
	assert.Equal(t, cv2.ID, found.ID)
	err = u.View(e.ctx, func(ctx context.Context, s sales.Stores) error {
		_, err := s.CustomerVehicles().FindBySale(ctx, crm.NewID())
		return err
	})
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	_, err = e.after.ListCustomerVehiclesByCustomer(e.ctx, crm.NewID())
	assert.True(t, errors.Is(err, crm.ErrNotFound), "unknown customer: %v", err)
	none, err := e.after.ListCustomerVehiclesByCustomer(e.ctx, e.customer("Без машины").ID)
	require.NoError(t, err)
	assert.Empty(t, none)

	other := salesEnvOf(t, e.b, "Юг")
	_, err = other.after.GetCustomerVehicle(other.ctx, cv1.ID)
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	require.NoError(t, crm.NewUnit[aftersales.Stores](e.b, nil).View(other.ctx, func(ctx context.Context, s aftersales.Stores) error {
		list, err := s.CustomerVehicles().ListByVehicle(ctx, v1.ID)
		assert.Empty(t, list)
		return err
	}))
}

func testSalesLeadToWonSale(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	lead := e.lead("Иван", "Vesta", crm.ID{})
	d1 := e.testDrive(lead, v.ID, Epoch.Add(2*time.Hour))
	d2 := e.testDrive(lead, v.ID, Epoch.Add(26*time.Hour))
	e.clock.Advance(time.Minute)

	// Convert: the customer comes from the lead's contact, the vehicle from its test drive.
	sale, err := e.svc.ConvertLead(e.ctx, lead.ID, 0, sales.ConvertInput{})
	require.NoError(t, err)
	assert.Equal(t, v.ID, sale.VehicleID)
	assert.Equal(t, lead.ID, sale.LeadID)
	assert.Equal(t, "1500000.00 RUB", sale.Amount.String(), "the vehicle's price")
	assert.Equal(t, "new", sale.StageCode)
	assert.Equal(t, 10, sale.Probability)
	assert.Equal(t, e.user, sale.OwnerID)
	var customer crm.Customer
	var converted leads.Lead
	e.view(func(ctx context.Context, s sales.Stores) (err error) {
		if customer, err = s.Customers().Get(ctx, sale.CustomerID); err != nil {
			return err
		}
		converted, err = s.Leads().Get(ctx, lead.ID)
		return err
	})
	assert.Equal(t, "Иван Петров", customer.FullName())
	assert.Equal(t, lead.Contact.Emails, customer.Emails)
	assert.Equal(t, leads.StageConverted, converted.Stage)
	assert.Equal(t, sale.ID, converted.SaleID)
	assert.Equal(t, customer.ID, converted.CustomerID)
	held := e.getVehicle(v.ID)
	assert.Equal(t, catalog.StatusReserved, held.Status)
	assert.Equal(t, map[catalog.Purpose]int{catalog.ForSale: 1, catalog.ForTestDrive: 2}, salesHolds(held))
	_, err = e.svc.ConvertLead(e.ctx, lead.ID, 0, sales.ConvertInput{})
	assert.True(t, errors.Is(err, leads.ErrLeadClosed), "a converted lead converts once: %v", err)

	// Stages: the probability follows.
	step := func(code, reason string, want int) {
		t.Helper()
		sale, err = e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{StageID: e.stage(code).ID, Reason: reason})
		require.NoError(t, err, code)
		assert.Equal(t, want, sale.Probability, code)
	}
	step("needs_discovery", "", 20)
	step("proposal", "", 60)
	sale, err = e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{Probability: salesPtr(50), Reason: "ждёт одобрения кредита"})
	require.NoError(t, err)
	assert.Equal(t, 50, sale.Probability)
	_, err = e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{Probability: salesPtr(61), Reason: "клиент торопится"})
	assert.Equal(t, []string{"probability"}, salesFields(err))
	_, err = e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{Probability: salesPtr(40)})
	assert.Equal(t, []string{"reason"}, salesFields(err), "a probability change says why")
	_, err = e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{StageID: e.stage("test_drive").ID})
	assert.Equal(t, []string{"reason"}, salesFields(err))
	step("test_drive", "хочет ещё раз прокатиться", 40)
	step("contract", "", 90)
	_, err = e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{StageID: e.stage("won").ID})
	assert.Equal(t, []string{"stage_id"}, salesFields(err))
	var walk []string
	for _, h := range e.getSale(sale.ID).History {
		walk = append(walk, fmt.Sprintf("%s→%s %d%s", h.FromCode, h.ToCode, h.Probability, map[bool]string{true: " skipped"}[h.Skipped]))
	}
	assert.Equal(t, []string{"→new 10", "new→needs_discovery 20", "needs_discovery→vehicle_selection 30 skipped",
		"vehicle_selection→test_drive 40 skipped", "test_drive→proposal 60", "proposal→proposal 50", "proposal→test_drive 40",
		"test_drive→proposal 60 skipped", "proposal→negotiation 75 skipped", "negotiation→contract 90"}, walk)

	// The order.
	sale, err = e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{Changes: sales.Changes{PaymentMethod: salesPtr(sales.PayCash)}})
	require.NoError(t, err)
	order, err := e.svc.CreateOrder(e.ctx, sale.ID, "")
	require.NoError(t, err)
	assert.Equal(t, crm.Currency("RUB"), order.Currency)
	_, err = e.svc.CreateOrder(e.ctx, sale.ID, "")
	assert.True(t, errors.Is(err, sales.ErrOrderExists), "%v", err)
	order, line, err := e.svc.AddOrderLine(e.ctx, order.ID, order.Version, sales.LineInput{Kind: sales.LineVehicle, RefID: v.ID,
		Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("1500000", "RUB"), VATRate: decimal.RequireFromString("0.2")})
	require.NoError(t, err)
	assert.Equal(t, "Lada Vesta Comfort 2026", line.Description)
	order, _, err = e.svc.AddOrderLine(e.ctx, order.ID, order.Version, sales.LineInput{Kind: sales.LineAccessory, Description: "Коврики",
		Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("4990", "RUB"), Discount: crm.MustMoney("490", "RUB"),
		VATRate: decimal.RequireFromString("0.2")})
	require.NoError(t, err)
	assert.Equal(t, "1504500.00 RUB", order.Gross.String())
	assert.Equal(t, "250750.00 RUB", order.VAT.String())
	assert.Equal(t, "1253750.00 RUB", order.Net.String())
	got, err := e.svc.GetSaleOrder(e.ctx, sale.ID)
	require.NoError(t, err)
	assert.Equal(t, order.Version, got.Version)
	assert.Len(t, got.Lines, 2)

	// Win.
	e.clock.Advance(time.Hour)
	insuredTo := e.clock.Now().AddDate(1, 0, 0)
	sale = e.getSale(sale.ID)
	won, cv, err := e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{Insurer: "Ингосстрах", PolicyNumber: "ХХХ 0123456789",
		InsuranceFrom: e.clock.Now(), InsuranceTo: insuredTo, ServiceContract: true})
	require.NoError(t, err)
	assert.Equal(t, sales.StatusWon, won.Status)
	assert.Equal(t, "won", won.StageCode)
	assert.Equal(t, 100, won.Probability)
	assert.True(t, won.WonAt.Equal(e.clock.Now()))
	assert.True(t, won.ServiceContract)
	assert.Equal(t, won, e.getSale(sale.ID))

	sold := e.getVehicle(v.ID)
	assert.Equal(t, catalog.StatusSold, sold.Status)
	assert.Equal(t, sale.ID, sold.SaleID)
	assert.Empty(t, sold.Reservations)
	assert.Equal(t, "Ингосстрах", sold.Insurance.Insurer)

	assert.Equal(t, []any{customer.ID, v.ID, v.VIN, "Lada", "Vesta", 2026, sale.ID, e.dealer.ID, 15, true, "Ингосстрах", "ХХХ 0123456789"},
		[]any{cv.CustomerID, cv.VehicleID, cv.VIN, cv.Make, cv.Model, cv.Year, cv.SaleID, cv.SellingDealerID, cv.OdometerAtSale,
			cv.ServiceContract, cv.Insurance.Insurer, cv.Insurance.PolicyNumber})
	assert.True(t, cv.SoldAt.Equal(e.clock.Now()))
	assert.True(t, cv.Insurance.ValidTo.Equal(insuredTo))
	all := e.customerVehiclesOf(v.ID)
	require.Len(t, all, 1, "exactly one customer vehicle")
	assert.Equal(t, cv.ID, all[0].ID)
	mine, err := e.after.ListCustomerVehiclesByCustomer(e.ctx, customer.ID)
	require.NoError(t, err)
	require.Len(t, mine, 1)

	e.view(func(ctx context.Context, s sales.Stores) error {
		for _, d := range []leads.TestDrive{d1, d2} {
			got, err := s.TestDrives().Get(ctx, d.ID)
			if err != nil {
				return err
			}
			assert.Equal(t, leads.TestDriveCancelled, got.Status, "future drives are closed")
			assert.Equal(t, leads.CancelReasonVehicleSold, got.CancelReason)
		}
		return nil
	})
	var notices []crm.Message
	for _, m := range outbox(t, e.b, e.ctx) {
		if m.Topic == sales.TopicSaleWon {
			notices = append(notices, m)
		}
	}
	require.Len(t, notices, 1)
	assert.Equal(t, customer.Emails[0], notices[0].Recipient)
	assert.Equal(t, cv.ID.String(), notices[0].Data["customer_vehicle_id"])
	assert.NotEmpty(t, notices[0].Data["vehicle"], "the car's name, which the sale-won template says")

	// A won sale is final.
	_, err = e.svc.EditSale(e.ctx, sale.ID, won.Version, sales.Edit{StageID: e.stage("contract").ID, Reason: "ещё раз"})
	assert.True(t, errors.Is(err, sales.ErrSaleClosed), "%v", err)
	_, _, err = e.svc.AddOrderLine(e.ctx, order.ID, order.Version, sales.LineInput{Kind: sales.LineOther, Description: "x",
		Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("1", "RUB")})
	assert.True(t, errors.Is(err, sales.ErrSaleClosed), "%v", err)
	_, _, err = e.svc.WinSale(e.ctx, sale.ID, won.Version, sales.WinInput{})
	assert.True(t, errors.Is(err, sales.ErrSaleClosed), "%v", err)
	page, err := e.svc.ListSales(e.ctx, sales.SaleQuery{Status: sales.StatusWon})
	require.NoError(t, err)
	assert.Len(t, page.Items, 1)
}

func testSalesFailingWin(t *testing.T, open Open) {
	t.Run("vehicle sold meanwhile", func(t *testing.T) {
		e := newSalesEnv(t, open)
		v := e.vehicle("Vesta", "1500000")
		c := e.customer("Пётр")
		first, second := e.open(c.ID, v.ID), e.open(c.ID, v.ID)
		_, _, err := e.svc.WinSale(e.ctx, second.ID, second.Version, sales.WinInput{})
		require.NoError(t, err)
		soldBefore := e.getVehicle(v.ID)

		_, _, err = e.svc.WinSale(e.ctx, first.ID, first.Version, sales.WinInput{Insurer: "РЕСО", PolicyNumber: "1", ServiceContract: true})
		require.Error(t, err)
		assert.True(t, errors.Is(err, catalog.ErrVehicleSold), "%v", err)
		assert.True(t, errors.Is(err, crm.ErrConflict))
		assert.Equal(t, first, e.getSale(first.ID), "the losing sale is untouched")
		assert.Equal(t, soldBefore, e.getVehicle(v.ID))
		require.Len(t, e.customerVehiclesOf(v.ID), 1)
		assert.Equal(t, second.ID, e.customerVehiclesOf(v.ID)[0].SaleID)
	})

	t.Run("failure after the vehicle is sold rolls everything back", func(t *testing.T) {
		e := newSalesEnv(t, open)
		v := e.vehicle("Vesta", "1500000")
		lead := e.lead("Семён", "Vesta", v.ID)
		drive := e.testDrive(lead, v.ID, Epoch.Add(3*time.Hour))
		sale, err := e.svc.ConvertLead(e.ctx, lead.ID, 0, sales.ConvertInput{})
		require.NoError(t, err)
		// A record in the way (another VIN, the same vehicle and sale) makes the very last write of Win fail.
		block, err := aftersales.NewCustomerVehicle(e.dealer.ID, aftersales.CustomerVehicle{CustomerID: sale.CustomerID, VehicleID: v.ID,
			VIN: "XTAGFK330LY999999", Make: v.Make, Year: v.Year, SaleID: sale.ID}, Epoch)
		require.NoError(t, err)
		e.update(func(ctx context.Context, s sales.Stores) error { return s.CustomerVehicles().Create(ctx, &block) })
		before := e.getVehicle(v.ID)
		outboxBefore := len(outbox(t, e.b, e.ctx))

		_, _, err = e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{Insurer: "РЕСО", ServiceContract: true})
		require.Error(t, err)
		assert.True(t, errors.Is(err, crm.ErrConflict), "%v", err)
		assert.Equal(t, sale, e.getSale(sale.ID), "the sale is still open, at its version")
		after := e.getVehicle(v.ID)
		assert.Equal(t, before, after, "the vehicle is not sold")
		assert.Equal(t, catalog.StatusReserved, after.Status)
		e.view(func(ctx context.Context, s sales.Stores) error {
			got, err := s.TestDrives().Get(ctx, drive.ID)
			assert.Equal(t, leads.TestDriveBooked, got.Status, "the test drive is still booked")
			assert.Equal(t, drive.Version, got.Version)
			return err
		})
		assert.Len(t, e.customerVehiclesOf(v.ID), 1)
		assert.Len(t, outbox(t, e.b, e.ctx), outboxBefore, "no notice")
	})

	t.Run("invalid input", func(t *testing.T) {
		e := newSalesEnv(t, open)
		noVehicle := e.open(e.customer("Без авто").ID, crm.ID{})
		_, _, err := e.svc.WinSale(e.ctx, noVehicle.ID, noVehicle.Version, sales.WinInput{})
		assert.Equal(t, []string{"vehicle_id"}, salesFields(err))
		sale := e.open(e.customer("Ольга").ID, e.vehicle("Niva", "1100000").ID)
		_, _, err = e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{PolicyNumber: "1", InsuranceFrom: Epoch, InsuranceTo: Epoch})
		assert.ElementsMatch(t, []string{"insurer", "insurance_to"}, salesFields(err))
		assert.Equal(t, sale, e.getSale(sale.ID))
		_, _, err = e.svc.WinSale(e.ctx, crm.NewID(), 1, sales.WinInput{})
		assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	})
}

func testSalesLose(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	lead := e.lead("Мария", "Vesta", v.ID)
	drive := e.testDrive(lead, v.ID, Epoch.Add(5*time.Hour))
	sale, err := e.svc.ConvertLead(e.ctx, lead.ID, 0, sales.ConvertInput{})
	require.NoError(t, err)

	_, err = e.svc.LoseSale(e.ctx, sale.ID, sale.Version, " ")
	assert.Equal(t, []string{"reason"}, salesFields(err))
	lost, err := e.svc.LoseSale(e.ctx, sale.ID, sale.Version, "купила в другом салоне")
	require.NoError(t, err)
	assert.Equal(t, sales.StatusLost, lost.Status)
	assert.Equal(t, "lost", lost.StageCode)
	assert.Equal(t, 0, lost.Probability)
	assert.Equal(t, "купила в другом салоне", lost.LostReason)
	held := e.getVehicle(v.ID)
	assert.Equal(t, catalog.StatusReserved, held.Status, "the test drive still holds it")
	require.Len(t, held.Reservations, 1)
	assert.Equal(t, drive.ID, held.Reservations[0].RefID)

	other := e.open(e.customer("Без тест-драйва").ID, e.vehicle("Largus", "1300000").ID)
	_, err = e.svc.LoseSale(e.ctx, other.ID, other.Version, "передумал")
	require.NoError(t, err)
	free := e.getVehicle(other.VehicleID)
	assert.Equal(t, catalog.StatusInStock, free.Status)
	assert.Empty(t, free.Reservations)
	_, err = e.svc.LoseSale(e.ctx, lost.ID, lost.Version, "ещё раз")
	assert.True(t, errors.Is(err, sales.ErrSaleClosed), "%v", err)
}

func testSalesReopen(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	sale := e.open(e.customer("Вернувшийся").ID, v.ID)
	lost, err := e.svc.LoseSale(e.ctx, sale.ID, sale.Version, "думает")
	require.NoError(t, err)
	rival := e.open(e.customer("Соперник").ID, v.ID)

	_, err = e.svc.EditSale(e.ctx, lost.ID, lost.Version, sales.Edit{StageID: e.stage("proposal").ID, Reason: "вернулся"})
	assert.True(t, errors.Is(err, catalog.ErrVehicleReserved), "someone else holds the car now: %v", err)
	assert.Equal(t, lost, e.getSale(lost.ID))

	_, err = e.svc.LoseSale(e.ctx, rival.ID, rival.Version, "отказ банка")
	require.NoError(t, err)
	_, err = e.svc.EditSale(e.ctx, lost.ID, lost.Version, sales.Edit{StageID: e.stage("proposal").ID})
	assert.Equal(t, []string{"reason"}, salesFields(err))
	reopened, err := e.svc.EditSale(e.ctx, lost.ID, lost.Version, sales.Edit{StageID: e.stage("proposal").ID, Reason: "вернулся"})
	require.NoError(t, err)
	assert.Equal(t, sales.StatusOpen, reopened.Status)
	assert.Equal(t, 60, reopened.Probability)
	assert.Empty(t, reopened.LostReason)
	held := e.getVehicle(v.ID)
	require.Len(t, held.Reservations, 1)
	assert.Equal(t, sale.ID, held.Reservations[0].RefID, "the car is held for the sale again")
}

func testSalesOrderVehicleLine(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	v1, v2 := e.vehicle("Vesta", "1500000"), e.vehicle("Niva", "1100000")
	sale := e.open(e.customer("Выбирающий").ID, crm.ID{})
	assert.True(t, sale.Amount.IsZero())
	order, err := e.svc.CreateOrder(e.ctx, sale.ID, "")
	require.NoError(t, err)
	assert.Equal(t, crm.Currency("RUB"), order.Currency, "the dealer's currency")
	vehicleLine := func(v catalog.Vehicle) sales.LineInput {
		return sales.LineInput{Kind: sales.LineVehicle, RefID: v.ID, Quantity: decimal.NewFromInt(1), UnitPrice: v.Finance.ListPrice,
			VATRate: v.Finance.VATRate}
	}
	order, line, err := e.svc.AddOrderLine(e.ctx, order.ID, order.Version, vehicleLine(v1))
	require.NoError(t, err)
	sale = e.getSale(sale.ID)
	assert.Equal(t, v1.ID, sale.VehicleID, "the vehicle line chooses the sale's vehicle")
	held := e.getVehicle(v1.ID)
	assert.Equal(t, catalog.StatusReserved, held.Status)
	require.Len(t, held.Reservations, 1)
	assert.Equal(t, sale.ID, held.Reservations[0].RefID)
	assert.Equal(t, catalog.ForSale, held.Reservations[0].Purpose)

	_, _, err = e.svc.AddOrderLine(e.ctx, order.ID, order.Version, vehicleLine(v2))
	assert.Equal(t, []string{"catalog_ref_id"}, salesFields(err), "another vehicle than the sale's")
	_, _, err = e.svc.AddOrderLine(e.ctx, order.ID, order.Version, vehicleLine(v1))
	assert.True(t, errors.Is(err, crm.ErrConflict), "a second vehicle line: %v", err)
	assert.Equal(t, catalog.StatusInStock, e.getVehicle(v2.ID).Status)
	_, _, err = e.svc.AddOrderLine(e.ctx, order.ID, order.Version, sales.LineInput{Kind: sales.LinePart, Description: "x",
		Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("1", "EUR")})
	assert.Equal(t, []string{"unit_price.currency"}, salesFields(err), "one currency per order")

	order, err = e.svc.UpdateOrderLine(e.ctx, order.ID, order.Version, line.ID, sales.LineInput{Kind: sales.LineVehicle, RefID: v1.ID,
		Description: "Lada Vesta", Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("1500000", "RUB"),
		Discount: crm.MustMoney("50000", "RUB"), VATRate: decimal.RequireFromString("0.2")})
	require.NoError(t, err)
	assert.Equal(t, "1450000.00 RUB", order.Gross.String())
	assert.Equal(t, "241666.67 RUB", order.VAT.String())

	order, err = e.svc.RemoveOrderLine(e.ctx, order.ID, order.Version, line.ID)
	require.NoError(t, err)
	assert.Empty(t, order.Lines)
	assert.Equal(t, crm.ID{}, e.getSale(sale.ID).VehicleID, "removing the vehicle line clears the sale's vehicle")
	assert.Equal(t, catalog.StatusInStock, e.getVehicle(v1.ID).Status, "and releases the car")

	rival := e.open(e.customer("Соперник").ID, v2.ID)
	_, _, err = e.svc.AddOrderLine(e.ctx, order.ID, order.Version, vehicleLine(v2))
	assert.True(t, errors.Is(err, catalog.ErrVehicleReserved), "held for %s: %v", rival.ID, err)
	_, _, err = e.svc.AddOrderLine(e.ctx, order.ID, order.Version, sales.LineInput{Kind: sales.LineVehicle, RefID: crm.NewID(),
		Quantity: decimal.NewFromInt(1)})
	assert.Equal(t, []string{"catalog_ref_id"}, salesFields(err), "no such vehicle")
	_, err = e.svc.RemoveOrderLine(e.ctx, order.ID, order.Version, crm.NewID())
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	got, err := e.svc.GetOrder(e.ctx, order.ID)
	require.NoError(t, err)
	assert.Equal(t, order.Version, got.Version)
}

func testSalesStaleVersion(t *testing.T, open Open) {
	e := newSalesEnv(t, open)
	sale := e.open(e.customer("Быстрый").ID, e.vehicle("Vesta", "1500000").ID)
	moved, err := e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{StageID: e.stage("proposal").ID})
	require.NoError(t, err)
	assert.Equal(t, sale.Version+1, moved.Version)
	calls := map[string]error{}
	_, calls["EditSale stage"] = e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{StageID: e.stage("contract").ID})
	_, calls["EditSale probability"] = e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{Probability: salesPtr(5)})
	_, calls["EditSale facts"] = e.svc.EditSale(e.ctx, sale.ID, sale.Version, sales.Edit{Changes: sales.Changes{ServiceContract: salesPtr(true)}})
	_, _, calls["WinSale"] = e.svc.WinSale(e.ctx, sale.ID, sale.Version, sales.WinInput{})
	_, calls["LoseSale"] = e.svc.LoseSale(e.ctx, sale.ID, sale.Version, "x")
	order, err := e.svc.CreateOrder(e.ctx, sale.ID, "RUB")
	require.NoError(t, err)
	order, _, err = e.svc.AddOrderLine(e.ctx, order.ID, order.Version, sales.LineInput{Kind: sales.LineOther, Description: "Госпошлина",
		Quantity: decimal.NewFromInt(1), UnitPrice: crm.MustMoney("2850", "RUB")})
	require.NoError(t, err)
	_, _, calls["AddOrderLine"] = e.svc.AddOrderLine(e.ctx, order.ID, order.Version-1, sales.LineInput{Kind: sales.LineOther,
		Description: "x", Quantity: decimal.NewFromInt(1)})
	_, calls["RemoveOrderLine"] = e.svc.RemoveOrderLine(e.ctx, order.ID, order.Version-1, order.Lines[0].ID)
	for name, err := range calls {
		assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%s: %v", name, err)
	}
	assert.Equal(t, moved, e.getSale(sale.ID))
	assert.Len(t, e.customerVehiclesOf(sale.VehicleID), 0)
}

func testSalesDealerIsolation(t *testing.T, open Open) {
	a := newSalesEnv(t, open)
	b := salesEnvOf(t, a.b, "Юг")
	v := a.vehicle("Vesta", "1500000")
	sale := a.open(a.customer("Свой").ID, v.ID)
	order, err := a.svc.CreateOrder(a.ctx, sale.ID, "")
	require.NoError(t, err)
	_, cv, err := a.svc.WinSale(a.ctx, sale.ID, sale.Version, sales.WinInput{})
	require.NoError(t, err)

	notFound := map[string]error{}
	_, notFound["GetSale"] = b.svc.GetSale(b.ctx, sale.ID)
	_, notFound["EditSale"] = b.svc.EditSale(b.ctx, sale.ID, sale.Version, sales.Edit{StageID: b.stage("proposal").ID})
	_, _, notFound["WinSale"] = b.svc.WinSale(b.ctx, sale.ID, sale.Version, sales.WinInput{})
	_, notFound["LoseSale"] = b.svc.LoseSale(b.ctx, sale.ID, sale.Version, "чужая")
	_, notFound["GetOrder"] = b.svc.GetOrder(b.ctx, order.ID)
	_, notFound["GetSaleOrder"] = b.svc.GetSaleOrder(b.ctx, sale.ID)
	_, notFound["CreateOrder"] = b.svc.CreateOrder(b.ctx, sale.ID, "")
	_, notFound["GetStage"] = b.svc.GetStage(b.ctx, a.stage("new").ID)
	_, notFound["CustomerVehicle"] = b.after.GetCustomerVehicle(b.ctx, cv.ID)
	for name, err := range notFound {
		assert.True(t, errors.Is(err, crm.ErrNotFound), "%s: %v", name, err)
	}
	_, err = b.svc.OpenSale(b.ctx, sales.OpenSaleInput{CustomerID: sale.CustomerID})
	assert.Equal(t, []string{"customer_id"}, salesFields(err), "another dealer's customer is no customer")
	_, err = b.svc.OpenSale(b.ctx, sales.OpenSaleInput{CustomerID: b.customer("Чужой").ID, VehicleID: v.ID})
	assert.Equal(t, []string{"vehicle_id"}, salesFields(err), "another dealer's vehicle is no vehicle")
	page, err := b.svc.ListSales(b.ctx, sales.SaleQuery{})
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	page, err = a.svc.ListSales(a.ctx, sales.SaleQuery{})
	require.NoError(t, err)
	assert.Len(t, page.Items, 1)
	assert.Len(t, b.stages, 9, "each dealer has its own directory")
	assert.NotEqual(t, a.stage("new").ID, b.stage("new").ID)
	_, err = a.svc.ListSales(context.Background(), sales.SaleQuery{})
	assert.True(t, errors.Is(err, crm.ErrForbidden), "no dealer, no sales: %v", err)
}

// testSalesForeignReferences: an owner, or an order line's catalog reference, naming another dealer's record (or
// none at all) is invalid input naming the field, and nothing is written.
func testSalesForeignReferences(t *testing.T, open Open) {
	a := newSalesEnv(t, open)
	b := salesEnvOf(t, a.b, "Юг")
	own, foreign := a.newUser("Свой менеджер"), b.newUser("Чужой менеджер")
	cust := a.customer("Покупатель")

	_, err := a.svc.OpenSale(a.ctx, sales.OpenSaleInput{CustomerID: cust.ID, OwnerID: foreign})
	assert.Equal(t, []string{"owner_id"}, salesFields(err), "another dealer's user owns no sale here")
	_, err = a.svc.OpenSale(a.ctx, sales.OpenSaleInput{CustomerID: cust.ID, OwnerID: crm.NewID()})
	assert.Equal(t, []string{"owner_id"}, salesFields(err), "no such user")
	page, err := a.svc.ListSales(a.ctx, sales.SaleQuery{})
	require.NoError(t, err)
	assert.Empty(t, page.Items, "a refused sale is not saved")

	lead := a.lead("Иван", "Vesta", crm.ID{})
	_, err = a.svc.ConvertLead(a.ctx, lead.ID, 0, sales.ConvertInput{OwnerID: foreign})
	assert.Equal(t, []string{"owner_id"}, salesFields(err))

	sale, err := a.svc.OpenSale(a.ctx, sales.OpenSaleInput{CustomerID: cust.ID, OwnerID: own})
	require.NoError(t, err)
	assert.Equal(t, own, sale.OwnerID)
	_, err = a.svc.EditSale(a.ctx, sale.ID, sale.Version, sales.Edit{Changes: sales.Changes{OwnerID: &foreign}})
	assert.Equal(t, []string{"owner_id"}, salesFields(err))
	assert.Equal(t, sale, a.getSale(sale.ID))

	part := func(e *salesEnv) crm.ID {
		p, err := catalog.NewPart(e.dealer, catalog.Part{Number: "21080-1012005", Name: "Фильтр", Quantity: 1,
			Price: crm.MustMoney("500", "RUB")}, Epoch)
		require.NoError(t, err)
		require.NoError(t, crm.NewUnit[catalog.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Parts().Create(ctx, &p) }))
		return p.ID
	}
	service := func(e *salesEnv) crm.ID {
		sv, err := catalog.NewLabour(e.dealer, catalog.Labour{Code: "TO-1", Name: "ТО-1",
			Price: crm.MustMoney("5000", "RUB")}, Epoch)
		require.NoError(t, err)
		require.NoError(t, crm.NewUnit[catalog.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, s catalog.Stores) error { return s.Labours().Create(ctx, &sv) }))
		return sv.ID
	}
	ownPart, foreignPart, foreignService := part(a), part(b), service(b)
	order, err := a.svc.CreateOrder(a.ctx, sale.ID, "")
	require.NoError(t, err)
	line := func(kind sales.LineKind, ref crm.ID) sales.LineInput {
		return sales.LineInput{Kind: kind, Description: "x", RefID: ref, Quantity: decimal.NewFromInt(1),
			UnitPrice: crm.MustMoney("500", "RUB"), VATRate: decimal.RequireFromString("0.2")}
	}
	for name, in := range map[string]sales.LineInput{
		"another dealer's part":    line(sales.LinePart, foreignPart),
		"another dealer's service": line(sales.LineLabour, foreignService),
		"an accessory of another":  line(sales.LineAccessory, foreignPart),
		"no such record":           line(sales.LineOther, crm.NewID()),
	} {
		_, _, err = a.svc.AddOrderLine(a.ctx, order.ID, order.Version, in)
		assert.Equal(t, []string{"catalog_ref_id"}, salesFields(err), name)
	}
	order, added, err := a.svc.AddOrderLine(a.ctx, order.ID, order.Version, line(sales.LinePart, ownPart))
	require.NoError(t, err)
	_, err = a.svc.UpdateOrderLine(a.ctx, order.ID, order.Version, added.ID, line(sales.LinePart, foreignPart))
	assert.Equal(t, []string{"catalog_ref_id"}, salesFields(err))
	got, err := a.svc.GetOrder(a.ctx, order.ID)
	require.NoError(t, err)
	assert.Equal(t, order.Version, got.Version, "refused lines change nothing")
	if assert.Len(t, got.Lines, 1) {
		assert.Equal(t, ownPart, got.Lines[0].RefID)
	}
}

// testSalesConcurrentWins races n sales of one customer, all holding one vehicle, to win it: exactly one wins and
// exactly one customer vehicle exists.
func testSalesConcurrentWins(t *testing.T, open Open, n int) {
	e := newSalesEnv(t, open)
	v := e.vehicle("Vesta", "1500000")
	c := e.customer("Спешащий")
	candidates := make([]sales.Sale, n)
	for i := range candidates {
		candidates[i] = e.open(c.ID, v.ID)
	}
	var (
		wg     sync.WaitGroup
		start  = make(chan struct{})
		wins   atomic.Int32
		winner atomic.Value
		errs   = make(chan error, n)
	)
	for _, s := range candidates {
		wg.Add(1)
		go func(s sales.Sale) {
			defer wg.Done()
			<-start
			won, _, err := e.svc.WinSale(e.ctx, s.ID, s.Version, sales.WinInput{Insurer: "Ингосстрах", ServiceContract: true})
			if err != nil {
				errs <- err
				return
			}
			wins.Add(1)
			winner.Store(won.ID)
		}(s)
	}
	close(start)
	wg.Wait()
	close(errs)
	require.EqualValues(t, 1, wins.Load(), "exactly one sale wins")
	for err := range errs {
		assert.True(t, errors.Is(err, catalog.ErrVehicleSold) || errors.Is(err, crm.ErrConflict), "a loser gets sold or a conflict: %v", err)
	}
	id := winner.Load().(crm.ID)
	cvs := e.customerVehiclesOf(v.ID)
	require.Len(t, cvs, 1, "exactly one customer vehicle")
	assert.Equal(t, id, cvs[0].SaleID)
	sold := e.getVehicle(v.ID)
	assert.Equal(t, catalog.StatusSold, sold.Status)
	assert.Equal(t, id, sold.SaleID)
	page, err := e.svc.ListSales(e.ctx, sales.SaleQuery{Status: sales.StatusWon})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, id, page.Items[0].ID)
	page, err = e.svc.ListSales(e.ctx, sales.SaleQuery{Status: sales.StatusOpen, Limit: 500})
	require.NoError(t, err)
	assert.Len(t, page.Items, n-1, "the losers stay open, unchanged")
}

func salesPtr[T any](v T) *T { return &v }
