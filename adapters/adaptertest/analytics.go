package adaptertest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runAnalytics runs the sales analysis on a generated data set (leads, sales walking the stages with their
// history, wins and losses, credits, trade-ins, orders with discounts, test drives) and compares every report with
// an independent computation over the same records done here in the test: both adapters must give exactly these
// answers, so they give identical ones.
func runAnalytics(t *testing.T, open Open) {
	t.Run("MatchesAnIndependentComputation", func(t *testing.T) { testAnalyticsReference(t, open) })
	t.Run("CopiesFollowEdits", func(t *testing.T) { testAnalyticsAfterEdits(t, open) })
	t.Run("DealerIsolationAndValidation", func(t *testing.T) { testAnalyticsIsolation(t, open) })
}

// analyticsData is what the generator made, as the test knows it.
type analyticsData struct {
	stages   sales.Pipeline
	leads    []leads.Lead
	sales    []sales.Sale
	vehicles map[crm.ID]catalog.Vehicle
	orders   []sales.Order
	drives   []leads.TestDrive
}

// minutes is a time of the generated data: whole minutes after 1 October 2026.
func minutes(n int) time.Time {
	return time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute)
}

// genAnalytics fills e's dealer with a deterministic data set over October–December 2026.
func genAnalytics(t *testing.T, e *creditEnv, seed uint64) analyticsData {
	r := rand.New(rand.NewPCG(seed, 7))
	d := analyticsData{stages: e.stages, vehicles: map[crm.ID]catalog.Vehicle{}}
	managers := []crm.ID{e.newUser("Анна Кузнецова"), e.newUser("Борис Смирнов"), e.newUser("Вера Орлова")}
	needTypes, err := e.leads.ListNeedTypes(e.ctx)
	require.NoError(t, err)
	models := [][2]string{{"Lada", "Vesta"}, {"Lada", "Granta"}, {"Kia", "Rio"}, {"Haval", "Jolion"}, {"", ""}}
	span := 92 * 24 * 60 // minutes in October–December
	pick := func(n int) int { return r.IntN(n) }

	for i := range 36 {
		at := minutes(pick(span))
		e.clock.Set(at)
		m := models[pick(len(models))]
		in := leads.LeadInput{Contact: crm.Contact{FirstName: fmt.Sprintf("Клиент %d", i), Phones: []string{fmt.Sprintf("+7 902 %07d", phoneSeq.Add(1))}},
			Source: leads.Sources[pick(len(leads.Sources))], NeedType: needTypes[pick(len(needTypes))].Code,
			Interest: leads.Interest{Make: m[0], Model: m[1]}}
		if pick(4) > 0 {
			in.OwnerID = managers[pick(len(managers))]
		}
		l, err := e.leads.CreateLead(e.ctx, in)
		require.NoError(t, err)
		if pick(4) > 0 { // a first response, some in time, some late (a few minutes to two days later)
			at := l.CreatedAt.Add(time.Duration([]int{3, 7, 15, 15, 40, 180, 2 * 24 * 60}[pick(7)]+pick(5)) * time.Minute)
			require.NoError(t, crm.NewUnit[leads.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, st leads.Stores) error {
				stored, err := st.Leads().Get(ctx, l.ID)
				if err != nil {
					return err
				}
				stored.RecordFirstContact(at, leads.DefaultResponsePolicy())
				if err := st.Leads().Update(ctx, &stored); err != nil {
					return err
				}
				l, err = st.Leads().Get(ctx, l.ID)
				return err
			}))
		}
		d.leads = append(d.leads, l)
	}
	customer := e.customer("Покупатель аналитики").ID
	program := e.program("ПАО «Аналитика»", "Автокредит аналитики")
	open := openStagesOf(e.stages)
	for i := range 48 {
		t0 := minutes(pick(span - 20*24*60))
		m := models[pick(len(models)-1)]
		v, err := catalog.NewVehicle(e.dealer, catalog.Vehicle{VIN: catalog.VIN(fmt.Sprintf("XTAGFK330LY%06d", salesVINSeq.Add(1))),
			Make: m[0], Model: m[1], Trim: "Comfort", Year: 2026,
			Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1500000", "RUB"), VATRate: decimal.RequireFromString("0.2")}}, t0)
		require.NoError(t, err)
		e.update(func(ctx context.Context, s sales.Stores) error { return s.Vehicles().Create(ctx, &v) })
		d.vehicles[v.ID] = v
		amount := crm.NewMoney(decimal.New(int64(800000+pick(2000000)), 0).Add(decimal.New(int64(pick(100)), -2)), "RUB")
		if i%11 == 5 {
			amount = crm.MustMoney("25000.50", "USD")
		}
		draft := sales.Sale{CustomerID: customer, VehicleID: v.ID, OwnerID: managers[pick(len(managers))], Amount: amount}
		if i%13 == 7 {
			draft.Amount = crm.Money{} // no amount yet
		}
		wantCredit := i%3 == 0 && i%11 != 5 && i%13 != 7
		if wantCredit {
			draft.Amount = crm.MustMoney("1500000", "RUB") // the credit helper's price
		}
		if pick(10) < 7 {
			draft.LeadID = d.leads[pick(len(d.leads))].ID
		}
		if pick(3) > 0 {
			draft.ExpectedClose = minutes(pick(span)).Truncate(24 * time.Hour)
		}
		s, err := sales.NewSale(e.dealer.ID, draft, open[0], e.user, t0)
		require.NoError(t, err)
		// Walk: forward moves (some skipping stages), a probability change, sometimes a step back.
		at := t0
		next := func() time.Time { at = at.Add(time.Duration(30+pick(3*24*60)) * time.Minute); return at }
		cur := 0
		for step := 0; step < pick(5); step++ {
			to := min(cur+1+pick(2), len(open)-1)
			if to == cur {
				break
			}
			require.NoError(t, s.MoveTo(e.stages, open[to].ID, "", e.user, next()))
			cur = to
			if pick(3) == 0 {
				require.NoError(t, s.SetProbability(e.stages, open[cur].MaxProbability/2, "оценка", e.user, next()))
			}
		}
		if cur > 1 && pick(4) == 0 {
			require.NoError(t, s.MoveTo(e.stages, open[cur-1].ID, "клиент думает", e.user, next()))
		}
		e.clock.Set(t0)
		e.update(func(ctx context.Context, st sales.Stores) error { return st.Sales().Create(ctx, &s) })
		outcome := pick(10)
		switch {
		case outcome < 4 && !s.Amount.IsZero():
			if wantCredit {
				a := e.apply(s, program)
				s.CreditApplicationID = a.ID
			}
			if pick(4) == 0 {
				s.TradeInAppraisalID = e.approvedSheet("500000", "20000").ID
			}
			require.NoError(t, s.Win(e.stages, e.user, next()))
		case outcome < 6:
			require.NoError(t, s.Lose(e.stages, "дорого", e.user, next()))
		}
		e.update(func(ctx context.Context, st sales.Stores) error {
			stored, err := st.Sales().Get(ctx, s.ID)
			if err != nil {
				return err
			}
			s.Meta = stored.Meta
			return st.Sales().Update(ctx, &s)
		})
		if s.Status == sales.StatusWon && pick(3) > 0 {
			o, err := sales.NewOrder(e.dealer.ID, s.ID, s.Amount.Currency, at)
			require.NoError(t, err)
			o.Number = fmt.Sprintf("2026-%06d", 900000+i)
			for range 1 + pick(3) {
				_, err := o.AddLine(sales.LineInput{Kind: sales.LineAccessory, Description: "Коврики",
					Quantity: decimal.NewFromInt(int64(1 + pick(3))), UnitPrice: crm.NewMoney(decimal.NewFromInt(5000), s.Amount.Currency),
					Discount: crm.NewMoney(decimal.New(int64(pick(150000)), -2), s.Amount.Currency), VATRate: decimal.RequireFromString("0.2")}, at)
				require.NoError(t, err)
			}
			e.update(func(ctx context.Context, st sales.Stores) error { return st.Orders().Create(ctx, &o) })
			d.orders = append(d.orders, o)
		}
		e.view(func(ctx context.Context, st sales.Stores) (err error) {
			s, err = st.Sales().Get(ctx, s.ID)
			return err
		})
		d.sales = append(d.sales, s)
	}
	vehicles := make([]crm.ID, 0, len(d.vehicles))
	for id := range d.vehicles {
		vehicles = append(vehicles, id)
	}
	sort.Slice(vehicles, func(i, j int) bool { return vehicles[i].String() < vehicles[j].String() })
	for i := range 30 {
		l := d.leads[pick(len(d.leads))]
		start := minutes(pick(span)).Truncate(time.Hour)
		status := []leads.TestDriveStatus{leads.TestDriveCompleted, leads.TestDriveCompleted, leads.TestDriveNoShow}[pick(3)]
		td := leads.TestDrive{Meta: crm.NewMeta(e.dealer.ID, start), LeadID: l.ID, VehicleID: vehicles[i%len(vehicles)],
			Start: start, End: start.Add(30 * time.Minute), Status: status, ClosedAt: start.Add(time.Hour)}
		require.NoError(t, crm.NewUnit[leads.Stores](e.b, nil).Update(e.ctx, func(ctx context.Context, st leads.Stores) error {
			return st.TestDrives().Create(ctx, &td)
		}))
		d.drives = append(d.drives, td)
	}
	return d
}

// openStagesOf returns the open stages of p in their order.
func openStagesOf(p sales.Pipeline) []sales.Stage {
	var out []sales.Stage
	for _, st := range p {
		if st.Kind == sales.StageOpen {
			out = append(out, st)
		}
	}
	return out
}

// reference computes every report from the generated records, independently of the adapters.
type reference struct{ d analyticsData }

func (x reference) in(t time.Time, q analytics.Query) bool {
	return !t.Before(q.From) && t.Before(q.To)
}

func (x reference) funnel(q analytics.Query) map[string][2]string {
	out := map[string][2]string{}
	for _, st := range openStagesOf(x.d.stages) {
		n, sum := 0, decimal.Zero
		for _, s := range x.d.sales {
			if s.Status == sales.StatusOpen && s.StageID == st.ID && x.in(s.CreatedAt, q) {
				n++
				if s.Amount.Currency == q.Currency {
					sum = sum.Add(s.Amount.Amount)
				}
			}
		}
		out[st.Code] = [2]string{fmt.Sprint(n), sum.StringFixed(2)}
	}
	return out
}

func (x reference) leadSale(id crm.ID) (has, won bool) {
	for _, s := range x.d.sales {
		if s.LeadID == id {
			has = true
			won = won || s.Status == sales.StatusWon
		}
	}
	return has, won
}

// leadKey is the key of l in a dimension, as docs/analytics.md defines it.
func (x reference) leadKey(l leads.Lead, by analytics.Dimension) string {
	switch by {
	case analytics.ByManager:
		if l.OwnerID != (crm.ID{}) {
			return l.OwnerID.String()
		}
		return ""
	case analytics.BySource:
		return string(l.Source)
	case analytics.ByNeedType:
		return l.NeedType
	case analytics.ByModel:
		return l.Interest.Make + "|" + l.Interest.Model
	}
	return l.CreatedAt.UTC().Format("2006-01")
}

// response: per key ("total" for the cohort), leads, responded, in time, average and median minutes (two
// decimals), computed from the leads' stored first responses.
func (x reference) response(q analytics.Query, by analytics.Dimension) map[string][5]string {
	groups := map[string][]leads.Lead{}
	for _, l := range x.d.leads {
		if x.in(l.CreatedAt, q) {
			k := x.leadKey(l, by)
			groups[k] = append(groups[k], l)
			groups["total"] = append(groups["total"], l)
		}
	}
	if len(groups) == 0 {
		groups["total"] = nil
	}
	out := map[string][5]string{}
	for k, ls := range groups {
		var mins []float64
		inTime, sum := 0, 0.0
		for _, l := range ls {
			if l.FirstResponseAt.IsZero() {
				continue
			}
			mins = append(mins, float64(l.ResponseMinutes))
			sum += float64(l.ResponseMinutes)
			if !l.FirstResponseAt.After(l.ResponseDueAt) {
				inTime++
			}
		}
		sort.Float64s(mins)
		avg, med := 0.0, 0.0
		if n := len(mins); n > 0 {
			avg = sum / float64(n)
			med = (mins[(n-1)/2] + mins[n/2]) / 2
		}
		out[k] = [5]string{fmt.Sprint(len(ls)), fmt.Sprint(len(mins)), fmt.Sprint(inTime), fmt.Sprintf("%.2f", avg), fmt.Sprintf("%.2f", med)}
	}
	return out
}

func (x reference) conversion(q analytics.Query, by analytics.Dimension) map[string][3]int {
	out := map[string][3]int{}
	for _, l := range x.d.leads {
		if !x.in(l.CreatedAt, q) {
			continue
		}
		k := x.leadKey(l, by)
		c := out[k]
		c[0]++
		if has, won := x.leadSale(l.ID); has {
			c[1]++
			if won {
				c[2]++
			}
		}
		out[k] = c
	}
	return out
}

// stageHours: per open stage code, the number of stays that ended in the range and their total in microseconds.
func (x reference) stageMicros(q analytics.Query) map[string][2]int64 {
	out := map[string][2]int64{}
	code := map[crm.ID]string{}
	for _, st := range x.d.stages {
		code[st.ID] = st.Code
	}
	for _, s := range x.d.sales {
		var stage crm.ID
		var since time.Time
		for _, h := range s.History {
			if h.Skipped || h.ToStageID == stage {
				continue
			}
			if stage != (crm.ID{}) && x.in(h.At, q) {
				c := out[code[stage]]
				c[0]++
				c[1] += h.At.Sub(since).Microseconds()
				out[code[stage]] = c
			}
			stage, since = h.ToStageID, h.At
		}
	}
	return out
}

func (x reference) results(q analytics.Query, by analytics.Dimension) map[string][2]string {
	type acc struct {
		n   int
		sum decimal.Decimal
	}
	m := map[string]*acc{}
	for _, s := range x.d.sales {
		if s.Status != sales.StatusWon || !x.in(s.WonAt, q) {
			continue
		}
		var k string
		var lead *leads.Lead
		for i := range x.d.leads {
			if x.d.leads[i].ID == s.LeadID {
				lead = &x.d.leads[i]
			}
		}
		switch by {
		case analytics.ByManager:
			k = s.OwnerID.String()
		case analytics.BySource:
			if lead != nil {
				k = string(lead.Source)
			}
		case analytics.ByNeedType:
			if lead != nil {
				k = lead.NeedType
			}
		case analytics.ByModel:
			v := x.d.vehicles[s.VehicleID]
			k = v.Make + "|" + v.Model
		case analytics.ByMonth:
			k = s.WonAt.Format("2006-01")
		}
		if m[k] == nil {
			m[k] = &acc{sum: decimal.Zero}
		}
		m[k].n++
		if s.Amount.Currency == q.Currency {
			m[k].sum = m[k].sum.Add(s.Amount.Amount)
		}
	}
	out := map[string][2]string{}
	for k, a := range m {
		out[k] = [2]string{fmt.Sprint(a.n), a.sum.StringFixed(2)}
	}
	return out
}

func (x reference) summary(q analytics.Query) map[string]string {
	won, credit, tradeIn, ordered := 0, 0, 0, 0
	revenue, discount, gross := decimal.Zero, decimal.Zero, decimal.Zero
	wonIDs := map[crm.ID]bool{}
	for _, s := range x.d.sales {
		if s.Status != sales.StatusWon || !x.in(s.WonAt, q) {
			continue
		}
		won++
		wonIDs[s.ID] = true
		if s.Amount.Currency == q.Currency {
			revenue = revenue.Add(s.Amount.Amount)
		}
		if s.CreditApplicationID != (crm.ID{}) {
			credit++
		}
		if s.TradeInAppraisalID != (crm.ID{}) {
			tradeIn++
		}
	}
	for _, o := range x.d.orders {
		if wonIDs[o.SaleID] && o.Currency == q.Currency {
			ordered++
			gross = gross.Add(o.Gross.Amount)
			for _, l := range o.Lines {
				discount = discount.Add(l.Discount.Amount)
			}
		}
	}
	driven := map[crm.ID]bool{}
	for _, td := range x.d.drives {
		if td.Status == leads.TestDriveCompleted && x.in(td.Start, q) {
			driven[td.LeadID] = true
		}
	}
	tdSales, tdWon := 0, 0
	for id := range driven {
		if has, w := x.leadSale(id); has {
			tdSales++
			if w {
				tdWon++
			}
		}
	}
	return map[string]string{"won": fmt.Sprint(won), "revenue": revenue.StringFixed(2), "credit": fmt.Sprint(credit),
		"trade_in": fmt.Sprint(tradeIn), "ordered": fmt.Sprint(ordered), "discount": discount.StringFixed(2),
		"discount_percent": analytics.Percent(discount, gross.Add(discount)).StringFixed(2), "td_leads": fmt.Sprint(len(driven)), "td_sales": fmt.Sprint(tdSales), "td_won": fmt.Sprint(tdWon)}
}

func testAnalyticsReference(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Аналитика")
	d := genAnalytics(t, e, 13)
	compareWithReference(t, e, d)
}

// testAnalyticsAfterEdits: after the data set is made, random writes change what the reports read of other
// records — leads change their source and need type, cars their make and model, sales move to another lead or to
// none and are won, orders gain and lose lines — and every report still equals the independent computation over
// the records as they now are. On PostgreSQL this holds the copies migration 073 keeps by triggers (a lead's sale
// counts, a sale's lead source and need type and vehicle make and model, an order's discount).
func testAnalyticsAfterEdits(t *testing.T, open Open) {
	e := newCreditEnv(t, open(t), "Аналитика правки")
	d := genAnalytics(t, e, 29)
	r := rand.New(rand.NewPCG(29, 11))
	needTypes, err := e.leads.ListNeedTypes(e.ctx)
	require.NoError(t, err)
	lu := crm.NewUnit[leads.Stores](e.b, nil)
	for i := range d.leads {
		if r.IntN(3) > 0 {
			continue
		}
		require.NoError(t, lu.Update(e.ctx, func(ctx context.Context, st leads.Stores) error {
			l, err := st.Leads().Get(ctx, d.leads[i].ID)
			if err != nil {
				return err
			}
			l.Source = leads.Sources[r.IntN(len(leads.Sources))]
			l.NeedType = needTypes[r.IntN(len(needTypes))].Code
			if err := st.Leads().Update(ctx, &l); err != nil {
				return err
			}
			d.leads[i], err = st.Leads().Get(ctx, l.ID)
			return err
		}))
	}
	for id, v := range d.vehicles {
		if r.IntN(3) > 0 {
			continue
		}
		e.update(func(ctx context.Context, st sales.Stores) error {
			got, err := st.Vehicles().Get(ctx, v.ID)
			if err != nil {
				return err
			}
			got.Make, got.Model = []string{"Kia", "Haval", "Chery"}[r.IntN(3)], []string{"Rio", "Jolion", "Tiggo 7"}[r.IntN(3)]
			if err := st.Vehicles().Update(ctx, &got); err != nil {
				return err
			}
			d.vehicles[id], err = st.Vehicles().Get(ctx, v.ID)
			return err
		})
	}
	for i := range d.sales {
		if r.IntN(3) > 0 {
			continue
		}
		e.update(func(ctx context.Context, st sales.Stores) error {
			s, err := st.Sales().Get(ctx, d.sales[i].ID)
			if err != nil {
				return err
			}
			switch r.IntN(3) {
			case 0:
				s.LeadID = crm.ID{}
			default:
				s.LeadID = d.leads[r.IntN(len(d.leads))].ID
			}
			if s.Status == sales.StatusOpen && !s.Amount.IsZero() && r.IntN(2) == 0 {
				if err := s.Win(e.stages, e.user, s.UpdatedAt.Add(time.Hour)); err != nil {
					return err
				}
			}
			if err := st.Sales().Update(ctx, &s); err != nil {
				return err
			}
			d.sales[i], err = st.Sales().Get(ctx, s.ID)
			return err
		})
	}
	for i := range d.orders {
		e.update(func(ctx context.Context, st sales.Stores) error {
			o, err := st.Orders().Get(ctx, d.orders[i].ID)
			if err != nil {
				return err
			}
			if len(o.Lines) > 1 {
				if _, err := o.RemoveLine(o.Lines[0].ID, o.UpdatedAt); err != nil {
					return err
				}
			}
			if _, err := o.AddLine(sales.LineInput{Kind: sales.LineAccessory, Description: "Сетка в багажник", Quantity: decimal.NewFromInt(1),
				UnitPrice: crm.NewMoney(decimal.NewFromInt(3000), o.Currency),
				Discount:  crm.NewMoney(decimal.New(int64(r.IntN(50000)), -2), o.Currency), VATRate: decimal.RequireFromString("0.2")}, o.UpdatedAt); err != nil {
				return err
			}
			if err := st.Orders().Update(ctx, &o); err != nil {
				return err
			}
			d.orders[i], err = st.Orders().Get(ctx, o.ID)
			return err
		})
	}
	compareWithReference(t, e, d)
}

// compareWithReference compares every report, for three ranges and both currencies, with the reference
// computation over d.
func compareWithReference(t *testing.T, e *creditEnv, d analyticsData) {
	svc := analytics.NewService(crm.NewUnit[analytics.Stores](e.b, e.clock))
	x := reference{d}
	ranges := []analytics.Query{
		{},
		{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
		{From: time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC), Currency: "USD"},
	}
	wonSomething := false
	for _, q := range ranges {
		name := fmt.Sprintf("%s..%s %s", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly), q.Currency)
		rq := q
		if rq.From.IsZero() {
			rq.From, rq.To = analytics.MinTime, analytics.MaxTime
		}
		if rq.Currency == "" {
			rq.Currency = "RUB"
		}
		f, err := svc.GetFunnel(e.ctx, q)
		require.NoError(t, err, name)
		got := map[string][2]string{}
		for i, it := range f.Items {
			got[it.Code] = [2]string{fmt.Sprint(it.Count), it.Amount.Amount.StringFixed(2)}
			assert.Equal(t, i+1, it.Order, "open stages in their order")
		}
		assert.Equal(t, x.funnel(rq), got, "funnel %s", name)

		for _, by := range analytics.Dimensions() {
			c, err := svc.GetConversion(e.ctx, q, by)
			require.NoError(t, err)
			gotC := map[string][3]int{}
			keys := []string{}
			for _, row := range c.Rows {
				gotC[row.Key] = [3]int{row.Leads, row.Sales, row.Won}
				keys = append(keys, row.Key)
				assert.Equal(t, analytics.Percent(decimal.NewFromInt(int64(row.Won)), decimal.NewFromInt(int64(row.Leads))), row.LeadToWon)
			}
			assert.True(t, sort.StringsAreSorted(keys), "rows in key order")
			assert.Equal(t, x.conversion(rq, by), gotC, "conversion by %s %s", by, name)

			res, err := svc.GetResults(e.ctx, q, by)
			require.NoError(t, err)
			gotR := map[string][2]string{}
			for _, row := range res.Rows {
				gotR[row.Key] = [2]string{fmt.Sprint(row.Won), row.Revenue.Amount.StringFixed(2)}
				wonSomething = wonSomething || row.Won > 0
			}
			assert.Equal(t, x.results(rq, by), gotR, "results by %s %s", by, name)

			lr, err := svc.GetLeadResponse(e.ctx, q, by)
			require.NoError(t, err)
			gotL := map[string][5]string{}
			for _, row := range append(lr.Rows, lr.Total) {
				k := row.Key
				if row.Label == "total" {
					k = "total"
				}
				gotL[k] = [5]string{fmt.Sprint(row.Leads), fmt.Sprint(row.Responded), fmt.Sprint(row.WithinTarget),
					row.AvgMinutes.StringFixed(2), row.MedianMinutes.StringFixed(2)}
				assert.Equal(t, analytics.Percent(decimal.NewFromInt(int64(row.WithinTarget)), decimal.NewFromInt(int64(row.Responded))), row.WithinShare)
				if q.From.IsZero() && row.Label == "total" {
					assert.Positive(t, row.WithinTarget, "some leads were answered in time")
					assert.Less(t, row.WithinTarget, row.Responded, "some late")
					assert.Less(t, row.Responded, row.Leads, "some not yet")
				}
			}
			assert.Equal(t, x.response(rq, by), gotL, "lead response by %s %s", by, name)
		}

		st, err := svc.GetStageTimes(e.ctx, q)
		require.NoError(t, err)
		want := x.stageMicros(rq)
		for _, it := range st.Items {
			w := want[it.Code]
			assert.Equal(t, int(w[0]), it.Stays, "stays in %s %s", it.Code, name)
			if w[0] > 0 {
				micros := decimal.NewFromInt(w[1])
				assert.Equal(t, micros.Div(decimal.NewFromInt(3600e6)).Round(2).StringFixed(2), it.TotalHours.StringFixed(2), "%s %s", it.Code, name)
				assert.Equal(t, micros.Div(decimal.NewFromInt(3600e6*w[0])).Round(2).StringFixed(2), it.AvgHours.StringFixed(2), "%s %s", it.Code, name)
			}
		}

		sum, err := svc.GetSummary(e.ctx, q)
		require.NoError(t, err)
		assert.Equal(t, x.summary(rq), map[string]string{"won": fmt.Sprint(sum.WonUnits), "revenue": sum.WonRevenue.Amount.StringFixed(2),
			"credit": fmt.Sprint(sum.WithCredit), "trade_in": fmt.Sprint(sum.WithTradeIn), "ordered": fmt.Sprint(sum.Ordered),
			"discount": sum.Discount.Amount.StringFixed(2), "discount_percent": sum.DiscountPercent.StringFixed(2),
			"td_leads": fmt.Sprint(sum.TestDriveLeads), "td_sales": fmt.Sprint(sum.TestDriveSales), "td_won": fmt.Sprint(sum.TestDriveWon)},
			"summary %s", name)
		if q.From.IsZero() { // the generated data covers every case
			assert.Positive(t, sum.WithCredit)
			assert.Positive(t, sum.WithTradeIn)
			assert.Positive(t, sum.Ordered)
			assert.True(t, sum.Discount.Amount.IsPositive())
			assert.Positive(t, sum.TestDriveLeads)
			assert.Positive(t, sum.TestDriveWon)
			assert.Positive(t, f.Count)
			assert.Positive(t, st.Items[0].Stays)
			assert.Less(t, sum.WonUnits, len(d.sales), "some sales are open or lost")
		}
	}
	assert.True(t, wonSomething, "the data set has won sales")
}

func testAnalyticsIsolation(t *testing.T, open Open) {
	b := open(t)
	a := newCreditEnv(t, b, "Дилер А")
	genAnalytics(t, a, 5)
	o := salesEnvOf(t, b, "Дилер Б")
	svc := analytics.NewService(crm.NewUnit[analytics.Stores](b, o.clock))
	f, err := svc.GetFunnel(o.ctx, analytics.Query{})
	require.NoError(t, err)
	for _, it := range f.Items {
		assert.Zero(t, it.Count, "another dealer's sales are not counted")
	}
	s, err := svc.GetSummary(o.ctx, analytics.Query{})
	require.NoError(t, err)
	assert.Zero(t, s.WonUnits)
	c, err := svc.GetConversion(o.ctx, analytics.Query{}, analytics.BySource)
	require.NoError(t, err)
	assert.Empty(t, c.Rows)
	_, err = svc.GetConversion(o.ctx, analytics.Query{}, "colour")
	assert.Equal(t, []string{"by"}, salesFields(err))
	_, err = svc.GetFunnel(o.ctx, analytics.Query{From: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Currency: "XXQ"})
	assert.ElementsMatch(t, []string{"to", "currency"}, salesFields(err))
	_, err = svc.GetFunnel(context.Background(), analytics.Query{})
	assert.ErrorIs(t, err, crm.ErrForbidden)
}
