package memory

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

// analyticsStore computes the reports in one pass over the records they count, under the lock the unit of work
// holds, reading the stored values in place (nothing is copied but the counts).
type analyticsStore struct{ tx *Tx }

// Analytics returns the sales-analysis store of this unit of work.
func (tx *Tx) Analytics() analytics.Store { return analyticsStore{tx} }

var _ analytics.Stores = (*Tx)(nil)

func in(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// currency is q's currency, or the dealer's when q names none.
func (s analyticsStore) currency(dealer crm.ID, q analytics.Query) crm.Currency {
	if q.Currency != "" {
		return q.Currency
	}
	d, _ := dealerRecords.table(s.tx).get(dealer)
	return d.Currency
}

// openStages are the dealer's open stages in their order.
func (s analyticsStore) openStages(dealer crm.ID) []analytics.StageRef {
	var out []sales.Stage
	salesStageRecords.eachOf(s.tx, dealer, func(st *sales.Stage) bool {
		if st.Kind == sales.StageOpen {
			out = append(out, *st)
		}
		return true
	})
	refs := []analytics.StageRef{}
	for _, st := range sales.NewPipeline(out) {
		refs = append(refs, analytics.StageRef{StageID: st.ID, Code: st.Code, Name: st.Name, NameEn: st.NameEn, Order: st.Order})
	}
	return refs
}

// names are the names of a dimension's keys: users (manager) or need types (need_type) of the dealer.
func (s analyticsStore) names(dealer crm.ID, by analytics.Dimension) map[string]string {
	out := map[string]string{}
	switch by {
	case analytics.ByManager:
		userRecords.eachOf(s.tx, dealer, func(u *crm.User) bool {
			out[u.ID.String()] = u.Name
			return true
		})
	case analytics.ByNeedType:
		needTypeRecords.eachOf(s.tx, dealer, func(n *leads.NeedType) bool {
			out[n.Code] = n.Name
			return true
		})
	}
	return out
}

// leadSales is, per lead ID of the dealer, whether it has a sale (present) and whether one of them is won.
func (s analyticsStore) leadSales(dealer crm.ID) map[crm.ID]bool {
	out := map[crm.ID]bool{}
	saleRecords.eachOf(s.tx, dealer, func(sale *sales.Sale) bool {
		if sale.LeadID != (crm.ID{}) {
			out[sale.LeadID] = out[sale.LeadID] || sale.Status == sales.StatusWon
		}
		return true
	})
	return out
}

func (s analyticsStore) Funnel(ctx context.Context, q analytics.Query) ([]analytics.StageCount, crm.Currency, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, "", err
	}
	q.Currency = s.currency(dealer, q)
	by := map[crm.ID]*analytics.StageCount{}
	saleRecords.eachOf(s.tx, dealer, func(sale *sales.Sale) bool {
		if sale.Status != sales.StatusOpen || !in(sale.CreatedAt, q.From, q.To) {
			return true
		}
		c := by[sale.StageID]
		if c == nil {
			c = &analytics.StageCount{Amount: decimal.Zero}
			by[sale.StageID] = c
		}
		c.Count++
		if sale.Amount.Currency == q.Currency {
			c.Amount = c.Amount.Add(sale.Amount.Amount)
		}
		return true
	})
	out := []analytics.StageCount{}
	for _, st := range s.openStages(dealer) {
		c := analytics.StageCount{StageRef: st, Amount: decimal.Zero}
		if got := by[st.StageID]; got != nil {
			c.Count, c.Amount = got.Count, got.Amount
		}
		out = append(out, c)
	}
	return out, q.Currency, nil
}

// leadKey is the key of lead l in dimension by.
func leadKey(l *leads.Lead, by analytics.Dimension) string {
	switch by {
	case analytics.ByManager:
		return idKey(l.OwnerID)
	case analytics.BySource:
		return string(l.Source)
	case analytics.ByNeedType:
		return l.NeedType
	case analytics.ByModel:
		return analytics.ModelKey(l.Interest.Make, l.Interest.Model)
	}
	return analytics.MonthKey(l.CreatedAt)
}

func idKey(id crm.ID) string {
	if id == (crm.ID{}) {
		return ""
	}
	return id.String()
}

func (s analyticsStore) Conversion(ctx context.Context, q analytics.Query, by analytics.Dimension) ([]analytics.ConversionCount, crm.Currency, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, "", err
	}
	names := s.names(dealer, by)
	withSale := s.leadSales(dealer)
	rows := map[string]*analytics.ConversionCount{}
	leadRecords.eachOf(s.tx, dealer, func(l *leads.Lead) bool {
		if !in(l.CreatedAt, q.From, q.To) {
			return true
		}
		k := leadKey(l, by)
		c := rows[k]
		if c == nil {
			c = &analytics.ConversionCount{Key: k, Label: names[k]}
			rows[k] = c
		}
		c.Leads++
		if won, ok := withSale[l.ID]; ok {
			c.Sales++
			if won {
				c.Won++
			}
		}
		return true
	})
	out := []analytics.ConversionCount{}
	for _, c := range rows {
		out = append(out, *c)
	}
	return out, s.currency(dealer, q), nil
}

func (s analyticsStore) StageTimes(ctx context.Context, q analytics.Query) ([]analytics.StageTimeCount, crm.Currency, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, "", err
	}
	type sum struct {
		stays       int
		secs, micro int64
	}
	by := map[crm.ID]*sum{}
	saleRecords.eachOf(s.tx, dealer, func(sale *sales.Sale) bool {
		for _, st := range analytics.StaysOf(sale.History) {
			if st.Left.IsZero() || !in(st.Left, q.From, q.To) {
				continue
			}
			c := by[st.StageID]
			if c == nil {
				c = &sum{}
				by[st.StageID] = c
			}
			d := st.Left.Sub(st.Entered).Microseconds()
			c.stays++
			c.secs += d / 1e6
			c.micro += d % 1e6
		}
		return true
	})
	out := []analytics.StageTimeCount{}
	for _, st := range s.openStages(dealer) {
		c := analytics.StageTimeCount{StageRef: st, Micros: decimal.Zero}
		if got := by[st.StageID]; got != nil {
			c.Stays = got.stays
			c.Micros = decimal.NewFromInt(got.secs).Mul(decimal.NewFromInt(1e6)).Add(decimal.NewFromInt(got.micro))
		}
		out = append(out, c)
	}
	return out, s.currency(dealer, q), nil
}

// saleKey is the key of won sale sale in dimension by.
func (s analyticsStore) saleKey(sale *sales.Sale, by analytics.Dimension) string {
	switch by {
	case analytics.ByManager:
		return idKey(sale.OwnerID)
	case analytics.BySource, analytics.ByNeedType:
		l, ok := leadRecords.table(s.tx).get(sale.LeadID)
		if !ok || l.DealerID != sale.DealerID {
			return ""
		}
		if by == analytics.BySource {
			return string(l.Source)
		}
		return l.NeedType
	case analytics.ByModel:
		row, ok := vehicleRecords.table(s.tx).get(sale.VehicleID)
		if !ok || row.dealer != sale.DealerID {
			return analytics.ModelKey("", "")
		}
		return analytics.ModelKey(row.v.Make, row.v.Model)
	}
	return analytics.MonthKey(sale.WonAt)
}

func (s analyticsStore) Results(ctx context.Context, q analytics.Query, by analytics.Dimension) ([]analytics.ResultCount, crm.Currency, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, "", err
	}
	q.Currency = s.currency(dealer, q)
	names := s.names(dealer, by)
	rows := map[string]*analytics.ResultCount{}
	saleRecords.eachOf(s.tx, dealer, func(sale *sales.Sale) bool {
		if sale.Status != sales.StatusWon || !in(sale.WonAt, q.From, q.To) {
			return true
		}
		k := s.saleKey(sale, by)
		c := rows[k]
		if c == nil {
			c = &analytics.ResultCount{Key: k, Label: names[k], Revenue: decimal.Zero}
			rows[k] = c
		}
		c.Won++
		if sale.Amount.Currency == q.Currency {
			c.Revenue = c.Revenue.Add(sale.Amount.Amount)
		}
		return true
	})
	out := []analytics.ResultCount{}
	for _, c := range rows {
		out = append(out, *c)
	}
	return out, q.Currency, nil
}

func (s analyticsStore) Summary(ctx context.Context, q analytics.Query) (analytics.SummaryCount, crm.Currency, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return analytics.SummaryCount{}, "", err
	}
	q.Currency = s.currency(dealer, q)
	out := analytics.SummaryCount{WonRevenue: decimal.Zero, Discount: decimal.Zero, Gross: decimal.Zero}
	won := map[crm.ID]bool{}
	saleRecords.eachOf(s.tx, dealer, func(sale *sales.Sale) bool {
		if sale.Status != sales.StatusWon || !in(sale.WonAt, q.From, q.To) {
			return true
		}
		won[sale.ID] = true
		out.WonUnits++
		if sale.Amount.Currency == q.Currency {
			out.WonRevenue = out.WonRevenue.Add(sale.Amount.Amount)
		}
		if sale.CreditApplicationID != (crm.ID{}) {
			out.WithCredit++
		}
		if sale.TradeInAppraisalID != (crm.ID{}) {
			out.WithTradeIn++
		}
		return true
	})
	orderRecords.eachOf(s.tx, dealer, func(o *sales.Order) bool {
		if !won[o.SaleID] || o.Currency != q.Currency {
			return true
		}
		out.Ordered++
		out.Gross = out.Gross.Add(o.Gross.Amount)
		for _, l := range o.Lines {
			out.Discount = out.Discount.Add(l.Discount.Amount)
		}
		return true
	})
	driven := map[crm.ID]bool{}
	testDriveRecords.eachOf(s.tx, dealer, func(d *leads.TestDrive) bool {
		if d.Status == leads.TestDriveCompleted && d.LeadID != (crm.ID{}) && in(d.Start, q.From, q.To) {
			driven[d.LeadID] = true
		}
		return true
	})
	if len(driven) > 0 {
		withSale := s.leadSales(dealer)
		for id := range driven {
			out.TestDriveLeads++
			if w, ok := withSale[id]; ok {
				out.TestDriveSales++
				if w {
					out.TestDriveWon++
				}
			}
		}
	}
	return out, q.Currency, nil
}
