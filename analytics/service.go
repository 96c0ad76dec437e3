package analytics

import (
	"context"
	"sort"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/shopspring/decimal"
)

// Service answers the dealer's sales analysis. Each method reads in one unit of work; the dealer comes from the
// context (crm.WithDealer). Every method returns crm.KindForbidden without a dealer and crm.KindInvalid naming
// "to" for an empty range, "currency" for an unknown currency and "by" for an unknown dimension; errors are wrapped
// with the method's name and keep their kind.
type Service struct {
	uow crm.UnitOfWork[Stores]
}

// NewService returns a service over uow. It panics when uow is nil: that is a wiring mistake.
func NewService(uow crm.UnitOfWork[Stores]) *Service {
	if uow == nil {
		panic("analytics.NewService: nil unit of work")
	}
	return &Service{uow: uow}
}

// prepare normalizes q (open ends, UTC); an empty currency stays empty: the store counts in the dealer's.
func prepare(q Query) (Query, error) { return q.normalized() }

func checkBy(by Dimension) error {
	if !by.Valid() {
		return crm.Invalid("analytics", crm.FieldError{Field: "by", Message: "must be manager, source, need_type, model or month"})
	}
	return nil
}

// GetFunnel returns the funnel: for every open stage, the sales now open at it that were created in the range,
// and the sum of their amounts in the currency.
func (s *Service) GetFunnel(ctx context.Context, q Query) (Funnel, error) {
	var out Funnel
	q, err := prepare(q)
	if err != nil {
		return out, crm.Wrap("analytics.Service.GetFunnel", err)
	}
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		counts, cur, err := st.Analytics().Funnel(ctx, q)
		if err != nil {
			return err
		}
		q.Currency = cur
		out = Funnel{Query: q, Items: []FunnelItem{}}
		total := decimal.Zero
		for _, c := range counts {
			out.Items = append(out.Items, FunnelItem{StageID: c.StageID, Code: c.Code, Name: c.Name, NameEn: c.NameEn,
				Order: c.Order, Count: c.Count, Amount: crm.NewMoney(c.Amount, cur).Round()})
			out.Count += c.Count
			total = total.Add(c.Amount)
		}
		out.Total = crm.NewMoney(total, cur).Round()
		return nil
	})
	return out, crm.Wrap("analytics.Service.GetFunnel", err)
}

// GetConversion returns lead → sale → won for the leads created in the range, grouped by the dimension read on
// the lead, in key order, with the total.
func (s *Service) GetConversion(ctx context.Context, q Query, by Dimension) (Conversion, error) {
	var out Conversion
	q, err := prepare(q)
	if err == nil {
		err = checkBy(by)
	}
	if err != nil {
		return out, crm.Wrap("analytics.Service.GetConversion", err)
	}
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		counts, cur, err := st.Analytics().Conversion(ctx, q, by)
		if err != nil {
			return err
		}
		q.Currency = cur
		sortByKey(counts, func(c ConversionCount) string { return c.Key })
		out = Conversion{Query: q, By: by, Rows: []ConversionRow{}, Total: ConversionRow{Key: "", Label: "total"}}
		for _, c := range counts {
			r := ConversionRow{Key: c.Key, Label: labelOf(by, c.Key, c.Label), Leads: c.Leads, Sales: c.Sales, Won: c.Won}
			r.Rates = ratesOf(r)
			out.Rows = append(out.Rows, r)
			out.Total.Leads += c.Leads
			out.Total.Sales += c.Sales
			out.Total.Won += c.Won
		}
		out.Total.Rates = ratesOf(out.Total)
		return nil
	})
	return out, crm.Wrap("analytics.Service.GetConversion", err)
}

// GetStageTimes returns, for every open stage, the stays in it that ended in the range: how many, and their
// average and total length in hours.
func (s *Service) GetStageTimes(ctx context.Context, q Query) (StageTimes, error) {
	var out StageTimes
	q, err := prepare(q)
	if err != nil {
		return out, crm.Wrap("analytics.Service.GetStageTimes", err)
	}
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		counts, cur, err := st.Analytics().StageTimes(ctx, q)
		if err != nil {
			return err
		}
		q.Currency = cur
		out = StageTimes{Query: q, Items: []StageTime{}}
		for _, c := range counts {
			item := StageTime{StageID: c.StageID, Code: c.Code, Name: c.Name, NameEn: c.NameEn, Order: c.Order,
				Stays: c.Stays, AvgHours: decimal.Zero, TotalHours: decimal.Zero}
			if c.Stays > 0 {
				item.TotalHours = plans.DivRound(c.Micros, microsInHour, 2)
				item.AvgHours = plans.DivRound(c.Micros, microsInHour.Mul(decimal.NewFromInt(int64(c.Stays))), 2)
			}
			out.Items = append(out.Items, item)
		}
		return nil
	})
	return out, crm.Wrap("analytics.Service.GetStageTimes", err)
}

// GetResults returns the sales won in the range grouped by the dimension read on the sale, in key order, with
// the total.
func (s *Service) GetResults(ctx context.Context, q Query, by Dimension) (Results, error) {
	var out Results
	q, err := prepare(q)
	if err == nil {
		err = checkBy(by)
	}
	if err != nil {
		return out, crm.Wrap("analytics.Service.GetResults", err)
	}
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		counts, cur, err := st.Analytics().Results(ctx, q, by)
		if err != nil {
			return err
		}
		q.Currency = cur
		sortByKey(counts, func(c ResultCount) string { return c.Key })
		total, revenue := 0, decimal.Zero
		for _, c := range counts {
			total += c.Won
			revenue = revenue.Add(c.Revenue)
		}
		out = Results{Query: q, By: by, Rows: []ResultRow{}, Total: ResultRow{Label: "total", Won: total,
			Revenue: crm.NewMoney(revenue, cur).Round(), UnitsShare: pct(total, total)}}
		for _, c := range counts {
			out.Rows = append(out.Rows, ResultRow{Key: c.Key, Label: labelOf(by, c.Key, c.Label), Won: c.Won,
				Revenue: crm.NewMoney(c.Revenue, cur).Round(), UnitsShare: pct(c.Won, total)})
		}
		return nil
	})
	return out, crm.Wrap("analytics.Service.GetResults", err)
}

// GetSummary returns the range's headline figures: won units and revenue, the shares with credit and with a
// trade-in, the average discount, and the test-drive conversion.
func (s *Service) GetSummary(ctx context.Context, q Query) (Summary, error) {
	var out Summary
	q, err := prepare(q)
	if err != nil {
		return out, crm.Wrap("analytics.Service.GetSummary", err)
	}
	err = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		c, cur, err := st.Analytics().Summary(ctx, q)
		if err != nil {
			return err
		}
		q.Currency = cur
		out = Summary{Query: q, WonUnits: c.WonUnits, WonRevenue: crm.NewMoney(c.WonRevenue, cur).Round(),
			AverageSale: average(c.WonRevenue, c.WonUnits, cur),
			WithCredit:  c.WithCredit, CreditShare: pct(c.WithCredit, c.WonUnits),
			WithTradeIn: c.WithTradeIn, TradeInShare: pct(c.WithTradeIn, c.WonUnits),
			Ordered: c.Ordered, Discount: crm.NewMoney(c.Discount, cur).Round(), AverageDiscount: average(c.Discount, c.Ordered, cur),
			DiscountPercent: Percent(c.Discount, c.Gross.Add(c.Discount)),
			TestDriveLeads:  c.TestDriveLeads, TestDriveSales: c.TestDriveSales, TestDriveWon: c.TestDriveWon,
			TestDriveToSale: pct(c.TestDriveSales, c.TestDriveLeads), TestDriveToWon: pct(c.TestDriveWon, c.TestDriveLeads)}
		return nil
	})
	return out, crm.Wrap("analytics.Service.GetSummary", err)
}

// sortByKey orders rows by their key (byte order, so both adapters agree).
func sortByKey[T any](rows []T, key func(T) string) {
	sort.SliceStable(rows, func(i, j int) bool { return key(rows[i]) < key(rows[j]) })
}

// labelOf is how a key of a dimension reads for people: the name the store found (a manager's, a need type's),
// "Make Model" for a model, "—" for the empty key, else the key itself.
func labelOf(by Dimension, key, name string) string {
	switch {
	case name != "":
		return name
	case key == "" || key == "|":
		return "—"
	case by == ByModel:
		return strings.TrimSpace(strings.Replace(key, "|", " ", 1))
	}
	return key
}
