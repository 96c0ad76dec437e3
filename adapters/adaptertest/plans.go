package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runPlans runs the sales-plan section's own rules through its service: no two plans of one scope share a day
// (a month inside a quarter is refused, another scope or the next period is not), many creators racing for one
// period give exactly one plan, edits keep every version as a revision, and progress counts exactly the won and
// expected sales of the period and scope.
func runPlans(t *testing.T, open Open) {
	t.Run("Records", func(t *testing.T) {
		RunRecords(t, open, Records[plans.Stores, plans.Plan]{
			New: func(d crm.Dealer, n int) plans.Plan {
				p, err := plans.New(d.ID, plans.Input{Period: plans.Month, Start: time.Date(2020+n/12, time.Month(1+n%12), 1, 0, 0, 0, 0, time.UTC),
					TargetUnits: n, TargetRevenue: crm.MustMoney(fmt.Sprintf("%d000000.50", n), "RUB"), Name: fmt.Sprintf("План %d", n)}, Epoch)
				require.NoError(t, err)
				return p
			},
			Meta:   func(p *plans.Plan) *crm.Meta { return &p.Meta },
			Create: func(ctx context.Context, s plans.Stores, p *plans.Plan) error { return s.Plans().Create(ctx, p) },
			Get: func(ctx context.Context, s plans.Stores, id crm.ID) (plans.Plan, error) {
				return s.Plans().Get(ctx, id)
			},
			Update: func(ctx context.Context, s plans.Stores, p *plans.Plan) error { return s.Plans().Update(ctx, p) },
			Edit:   func(p *plans.Plan) { p.TargetUnits++ },
			Same: func(t *testing.T, want, got plans.Plan) {
				assert.True(t, want.Input().Same(got.Input()), "want %+v, got %+v", want.Input(), got.Input())
			},
		})
	})
	t.Run("NoOverlapInOneScope", func(t *testing.T) { testPlanOverlap(t, open) })
	t.Run("RaceForOnePeriod/50", func(t *testing.T) { testPlanRace(t, open, 50) })
	t.Run("EditsKeepRevisions", func(t *testing.T) { testPlanRevisions(t, open) })
	t.Run("Progress", func(t *testing.T) { testPlanProgress(t, open) })
	t.Run("DealerIsolation", func(t *testing.T) { testPlanIsolation(t, open) })
}

type planEnv struct {
	*salesEnv
	plans *plans.Service
}

func newPlanEnv(t *testing.T, b Backend, name string) *planEnv {
	e := salesEnvOf(t, b, name)
	return &planEnv{salesEnv: e, plans: plans.NewService(crm.NewUnit[plans.Stores](b, e.clock), e.clock)}
}

func planMonth(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }

func (e *planEnv) create(in plans.Input) (plans.Plan, error) { return e.plans.CreatePlan(e.ctx, in) }

func testPlanOverlap(t *testing.T, open Open) {
	e := newPlanEnv(t, open(t), "Планы")
	manager := e.newUser("Анна Кузнецова")
	rub := crm.MustMoney("3000000", "RUB")
	q1, err := e.create(plans.Input{Period: plans.Quarter, Start: planMonth(2027, time.January), TargetUnits: 30, TargetRevenue: rub})
	require.NoError(t, err)

	_, err = e.create(plans.Input{Period: plans.Month, Start: planMonth(2027, time.February), TargetUnits: 10, TargetRevenue: rub})
	require.ErrorIs(t, err, plans.ErrOverlap, "a month inside the dealer's quarter")
	assert.ErrorIs(t, err, crm.ErrConflict)
	assert.Equal(t, plans.CodeOverlap, crm.CodeOf(err))
	assert.Contains(t, err.Error(), "plan 2027-02-01–2027-03-01: ", "every adapter names the period asked for")

	_, err = e.create(plans.Input{Period: plans.Month, Start: planMonth(2027, time.June), TargetRevenue: crm.MustMoney("0", "RUB")})
	require.ErrorIs(t, err, crm.ErrInvalid, "a plan of nothing")
	assert.ElementsMatch(t, []string{"target_units", "target_revenue"}, fieldNames(err))
	_, err = e.create(plans.Input{Period: plans.Year, Start: planMonth(2027, time.January), TargetUnits: 10, TargetRevenue: rub})
	require.ErrorIs(t, err, plans.ErrOverlap, "a year around the quarter")

	_, err = e.create(plans.Input{Period: plans.Month, Start: planMonth(2027, time.April), TargetUnits: 10, TargetRevenue: rub})
	require.NoError(t, err, "the month after the quarter")
	_, err = e.create(plans.Input{Period: plans.Month, Start: planMonth(2027, time.February), Scope: plans.Scope{OwnerID: manager},
		TargetUnits: 5, TargetRevenue: rub})
	require.NoError(t, err, "a manager's plan is another scope")
	_, err = e.create(plans.Input{Period: plans.Month, Start: planMonth(2027, time.February), Scope: plans.Scope{Make: "Lada", Model: "Vesta"},
		TargetUnits: 5, TargetRevenue: rub})
	require.NoError(t, err)
	_, err = e.create(plans.Input{Period: plans.Quarter, Start: planMonth(2027, time.January), Scope: plans.Scope{Make: "LADA", Model: "vesta"},
		TargetUnits: 5, TargetRevenue: rub})
	require.ErrorIs(t, err, plans.ErrOverlap, "make and model compare without regard to case")

	// Moving a plan onto another's days is refused too, and changes nothing.
	apr, err := e.plans.ListPlans(e.ctx, planMonth(2027, time.April), planMonth(2027, time.May), crm.ID{})
	require.NoError(t, err)
	require.Len(t, apr, 1)
	in := apr[0].Input()
	in.Start = planMonth(2027, time.March)
	_, err = e.plans.UpdatePlan(e.ctx, apr[0].ID, apr[0].Version, in)
	require.ErrorIs(t, err, plans.ErrOverlap)
	got, err := e.plans.GetPlan(e.ctx, apr[0].ID)
	require.NoError(t, err)
	assert.Equal(t, apr[0].Start, got.Start)
	assert.Equal(t, apr[0].Version, got.Version)

	// Invalid plans name their fields and save nothing.
	_, err = e.create(plans.Input{Period: plans.Quarter, Start: planMonth(2027, time.February), TargetUnits: -1,
		TargetRevenue: crm.MustMoney("1", "RUB"), Scope: plans.Scope{Model: "Vesta", OwnerID: crm.NewID(), NeedType: "яхта"}})
	assert.ElementsMatch(t, []string{"start", "target_units", "scope.make", "scope.owner_id", "scope.need_type"}, salesFields(err))
	all, err := e.plans.ListPlans(e.ctx, time.Time{}, time.Time{}, crm.ID{})
	require.NoError(t, err)
	assert.Len(t, all, 4)
	assert.Equal(t, q1.ID, all[0].ID, "ordered by start")
}

// testPlanRace: n creators of one scope and month at once (memory: the lock; PostgreSQL: the exclusion
// constraint) leave exactly one plan; the others get ErrOverlap.
func testPlanRace(t *testing.T, open Open, n int) {
	e := newPlanEnv(t, open(t), "Гонка планов")
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			// Half the racers plan the month, half the quarter around it: both overlap.
			in := plans.Input{Period: plans.Month, Start: planMonth(2027, time.May), TargetUnits: i, TargetRevenue: crm.MustMoney("1000", "RUB")}
			if i%2 == 1 {
				in.Period, in.Start = plans.Quarter, planMonth(2027, time.April)
			}
			_, errs[i] = e.create(in)
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		assert.True(t, errors.Is(err, plans.ErrOverlap), "%v", err)
	}
	assert.Equal(t, 1, won)
	all, err := e.plans.ListPlans(e.ctx, time.Time{}, time.Time{}, crm.ID{})
	require.NoError(t, err)
	assert.Len(t, all, 1)
}

func testPlanRevisions(t *testing.T, open Open) {
	e := newPlanEnv(t, open(t), "История планов")
	p, err := e.create(plans.Input{Period: plans.Month, Start: planMonth(2027, time.March), TargetUnits: 10,
		TargetRevenue: crm.MustMoney("10000000", "RUB"), Name: "Март"})
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	in := p.Input()
	in.TargetUnits, in.TargetRevenue = 12, crm.MustMoney("12500000.50", "RUB")
	p2, err := e.plans.UpdatePlan(e.ctx, p.ID, p.Version, in)
	require.NoError(t, err)
	assert.EqualValues(t, 2, p2.Version)
	_, err = e.plans.UpdatePlan(e.ctx, p.ID, p.Version, in)
	assert.ErrorIs(t, err, crm.ErrStaleVersion)
	same, err := e.plans.UpdatePlan(e.ctx, p.ID, 0, in)
	require.NoError(t, err)
	assert.EqualValues(t, 2, same.Version, "the same values write nothing")

	revs, err := e.plans.ListPlanRevisions(e.ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, revs, 2)
	assert.EqualValues(t, 1, revs[0].Version)
	assert.Equal(t, 10, revs[0].TargetUnits)
	assert.Equal(t, "10000000", revs[0].TargetRevenue.Amount.String())
	assert.Equal(t, crm.StorageTime(Epoch), revs[0].At)
	assert.Equal(t, e.user, revs[0].By)
	assert.EqualValues(t, 2, revs[1].Version)
	assert.Equal(t, 12, revs[1].TargetUnits)
	assert.Equal(t, "12500000.5", revs[1].TargetRevenue.Amount.String())
	assert.Equal(t, crm.StorageTime(Epoch.Add(time.Hour)), revs[1].At)
	assert.Equal(t, "Март", revs[1].Name)
}

// testPlanProgress builds sales around a December plan and checks every figure of its progress: only the
// sales won in December count (not November's, not January's, not the lost one), revenue only in the plan's
// currency, the forecast adds amount × probability of the open sales expected to close in December, and scoped
// plans count only their manager's, model's or need type's sales.
func testPlanProgress(t *testing.T, open Open) {
	e := newPlanEnv(t, open(t), "Прогресс")
	anna, boris := e.newUser("Анна"), e.newUser("Борис")
	dec, jan := planMonth(2026, time.December), planMonth(2027, time.January)
	cust := e.customer("Покупатель").ID

	sell := func(model, amount string, owner crm.ID, at time.Time, lead crm.ID) sales.Sale {
		t.Helper()
		v := e.vehicle(model, amount)
		e.clock.Set(at.Add(-24 * time.Hour))
		s, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: cust, VehicleID: v.ID, OwnerID: owner,
			Amount: crm.MustMoney(amount, "RUB")})
		require.NoError(t, err)
		if lead != (crm.ID{}) {
			e.update(func(ctx context.Context, st sales.Stores) error {
				got, err := st.Sales().Get(ctx, s.ID)
				if err != nil {
					return err
				}
				got.LeadID = lead
				return st.Sales().Update(ctx, &got)
			})
		}
		e.clock.Set(at)
		won, _, err := e.svc.WinSale(e.ctx, s.ID, 0, sales.WinInput{})
		require.NoError(t, err)
		return won
	}
	expect := func(model, amount string, owner crm.ID, closeOn time.Time, probability int) {
		t.Helper()
		v := e.vehicle(model, amount)
		s, err := e.svc.OpenSale(e.ctx, sales.OpenSaleInput{CustomerID: cust, VehicleID: v.ID, OwnerID: owner,
			Amount: crm.MustMoney(amount, "RUB"), ExpectedClose: closeOn})
		require.NoError(t, err)
		_, err = e.svc.EditSale(e.ctx, s.ID, 0, sales.Edit{StageID: e.stage("contract").ID, Probability: &probability, Reason: "оценка"})
		require.NoError(t, err)
	}
	lead := e.lead("Ольга", "Vesta", crm.ID{})

	sell("Vesta", "1500000.10", anna, dec, lead.ID)                     // the first instant of December
	sell("Granta", "900000", boris, dec.Add(10*24*time.Hour), crm.ID{}) // mid-December
	sell("Vesta", "1700000", boris, jan.Add(-time.Microsecond), crm.ID{})
	sell("Vesta", "1600000", anna, dec.Add(-time.Microsecond), crm.ID{})                   // November's
	sell("Vesta", "1600000", anna, jan, crm.ID{})                                          // January's
	expect("Vesta", "2000000", anna, planMonth(2026, time.December).AddDate(0, 0, 30), 50) // 31 December: 1 000 000
	expect("Granta", "1000000.01", boris, planMonth(2026, time.December), 33)              // 1 December: 330 000.0033
	expect("Vesta", "5000000", anna, jan, 90)                                              // January: not counted
	expect("Vesta", "5000000", anna, time.Time{}, 90)                                      // no date: not counted

	e.clock.Set(Epoch.Add(60 * 24 * time.Hour))
	mk := func(sc plans.Scope, units int, revenue string) plans.Plan {
		t.Helper()
		p, err := e.create(plans.Input{Period: plans.Month, Start: dec, Scope: sc, TargetUnits: units, TargetRevenue: crm.MustMoney(revenue, "RUB")})
		require.NoError(t, err)
		return p
	}
	progress := func(p plans.Plan) plans.Progress {
		t.Helper()
		got, err := e.plans.GetPlanProgress(e.ctx, p.ID)
		require.NoError(t, err)
		return got
	}

	all := progress(mk(plans.Scope{}, 4, "8000000"))
	assert.Equal(t, 3, all.WonUnits)
	assert.Equal(t, "4100000.10 RUB", all.WonRevenue.Round().String())
	assert.Equal(t, "51.25", all.RevenuePercent.StringFixed(2)) // 4 100 000.10 / 8 000 000
	assert.Equal(t, "75.00", all.UnitsPercent.StringFixed(2))
	assert.Equal(t, all.RevenuePercent, all.CompletionPercent)
	assert.Equal(t, "5430000.10", all.ForecastRevenue.Amount.StringFixed(2)) // + 1 000 000 + 330 000.00 (rounded)

	annas := progress(mk(plans.Scope{OwnerID: anna}, 2, "0"))
	assert.Equal(t, 1, annas.WonUnits)
	assert.Equal(t, "50.00", annas.CompletionPercent.StringFixed(2), "units when there is no revenue target")
	assert.Equal(t, "2500000.10", annas.ForecastRevenue.Amount.StringFixed(2))

	vesta := progress(mk(plans.Scope{Make: "LADA", Model: "vesta"}, 2, "3200000.10"))
	assert.Equal(t, 2, vesta.WonUnits)
	assert.Equal(t, "100.00", vesta.CompletionPercent.StringFixed(2))

	need := progress(mk(plans.Scope{NeedType: "car_purchase"}, 1, "1000000"))
	assert.Equal(t, 1, need.WonUnits, "the sale from a car_purchase lead")
	assert.Equal(t, "150.00", need.CompletionPercent.StringFixed(2))

	usd, err := e.create(plans.Input{Period: plans.Month, Start: dec, Scope: plans.Scope{OwnerID: boris}, TargetUnits: 2,
		TargetRevenue: crm.MustMoney("10000", "USD")})
	require.NoError(t, err)
	p := progress(usd)
	assert.Equal(t, 2, p.WonUnits, "units count every currency")
	assert.True(t, p.WonRevenue.Amount.IsZero(), "revenue only in the plan's currency")
	assert.True(t, p.ForecastRevenue.Amount.IsZero())
}

func testPlanIsolation(t *testing.T, open Open) {
	b := open(t)
	a, o := newPlanEnv(t, b, "Дилер А"), newPlanEnv(t, b, "Дилер Б")
	in := plans.Input{Period: plans.Month, Start: planMonth(2027, time.June), TargetUnits: 1, TargetRevenue: crm.MustMoney("1", "RUB")}
	p, err := a.create(in)
	require.NoError(t, err)
	_, err = o.create(in)
	require.NoError(t, err, "another dealer's plan of the same period is no overlap")
	_, err = o.plans.GetPlan(o.ctx, p.ID)
	assert.ErrorIs(t, err, crm.ErrNotFound)
	_, err = o.plans.GetPlanProgress(o.ctx, p.ID)
	assert.ErrorIs(t, err, crm.ErrNotFound)
	_, err = o.plans.ListPlanRevisions(o.ctx, p.ID)
	assert.ErrorIs(t, err, crm.ErrNotFound)
	list, err := o.plans.ListPlans(o.ctx, time.Time{}, time.Time{}, crm.ID{})
	require.NoError(t, err)
	assert.Len(t, list, 1)
	assert.NotEqual(t, p.ID, list[0].ID)
}
