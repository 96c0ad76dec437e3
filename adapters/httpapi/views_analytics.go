package httpapi

import (
	"strconv"

	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/crm"
)

// reportRange is the range and currency every analytics answer repeats: what was counted.
type reportRange struct {
	From     stamp  `json:"from" doc:"the range's start (inclusive); 1900-01-01 when open"`
	To       stamp  `json:"to" doc:"the range's end (exclusive); 9999-01-01 when open"`
	Currency string `json:"currency" doc:"the currency the amounts are counted in"`
}

func rangeView(q analytics.Query) reportRange {
	return reportRange{From: stampOf(q.From), To: stampOf(q.To), Currency: string(q.Currency)}
}

// funnelItemOut is one open stage of the funnel.
type funnelItemOut struct {
	StageID crm.ID `json:"stage_id"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	NameEn  string `json:"name_en,omitempty"`
	Order   int    `json:"order"`
	Count   int    `json:"count" doc:"open sales at the stage created in the range"`
	Amount  string `json:"amount" doc:"the sum of their amounts in the currency (decimal)"`
}

// funnelOut is GET /api/v1/analytics/funnel.
type funnelOut struct {
	reportRange
	Items  []funnelItemOut `json:"items" doc:"every open stage in its order"`
	Count  int             `json:"count"`
	Amount string          `json:"amount"`
}

func funnelView(f analytics.Funnel) funnelOut {
	out := funnelOut{reportRange: rangeView(f.Query), Items: []funnelItemOut{}, Count: f.Count, Amount: f.Total.StringAmount()}
	for _, it := range f.Items {
		out.Items = append(out.Items, funnelItemOut{StageID: it.StageID, Code: it.Code, Name: it.Name, NameEn: it.NameEn,
			Order: it.Order, Count: it.Count, Amount: it.Amount.StringAmount()})
	}
	return out
}

func (f funnelOut) table() reportTable {
	t := reportTable{Header: []string{"stage_id", "code", "name", "order", "count", "amount", "currency"}}
	for _, it := range f.Items {
		t.Rows = append(t.Rows, []string{it.StageID.String(), it.Code, it.Name, strconv.Itoa(it.Order), strconv.Itoa(it.Count), it.Amount, f.Currency})
	}
	return t
}

// conversionRowOut is one key of the conversion report.
type conversionRowOut struct {
	Key               string  `json:"key" doc:"manager: the user ID (\"\" unassigned); source; need_type: the code; model: \"make|model\"; month: YYYY-MM"`
	Label             string  `json:"label"`
	Leads             int     `json:"leads" doc:"leads created in the range"`
	Sales             int     `json:"sales" doc:"of them, with at least one sale"`
	Won               int     `json:"won" doc:"of them, with a won sale"`
	LeadToSalePercent percent `json:"lead_to_sale_percent"`
	SaleToWonPercent  percent `json:"sale_to_won_percent"`
	LeadToWonPercent  percent `json:"lead_to_won_percent"`
}

func conversionRowView(r analytics.ConversionRow) conversionRowOut {
	return conversionRowOut{Key: r.Key, Label: r.Label, Leads: r.Leads, Sales: r.Sales, Won: r.Won,
		LeadToSalePercent: percent(r.LeadToSale), SaleToWonPercent: percent(r.SaleToWon), LeadToWonPercent: percent(r.LeadToWon)}
}

// conversionOut is GET /api/v1/analytics/conversion.
type conversionOut struct {
	reportRange
	By    string             `json:"by" enum:"AnalyticsDimension"`
	Items []conversionRowOut `json:"items" doc:"in key order"`
	Total conversionRowOut   `json:"total"`
}

func conversionView(c analytics.Conversion) conversionOut {
	return conversionOut{reportRange: rangeView(c.Query), By: string(c.By), Items: mapList(c.Rows, conversionRowView),
		Total: conversionRowView(c.Total)}
}

func (c conversionOut) table() reportTable {
	t := reportTable{Header: []string{"by", "key", "label", "leads", "sales", "won", "lead_to_sale_percent", "sale_to_won_percent", "lead_to_won_percent"}}
	for _, r := range append(append([]conversionRowOut{}, c.Items...), c.Total) {
		key := r.Key
		if r.Label == "total" && r.Key == "" {
			key = "total"
		}
		t.Rows = append(t.Rows, []string{c.By, key, r.Label, strconv.Itoa(r.Leads), strconv.Itoa(r.Sales), strconv.Itoa(r.Won),
			r.LeadToSalePercent.String(), r.SaleToWonPercent.String(), r.LeadToWonPercent.String()})
	}
	return t
}

// stageTimeOut is one open stage of the time-in-stage report.
type stageTimeOut struct {
	StageID    crm.ID  `json:"stage_id"`
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	NameEn     string  `json:"name_en,omitempty"`
	Order      int     `json:"order"`
	Stays      int     `json:"stays" doc:"stays in the stage that ended in the range"`
	AvgHours   percent `json:"avg_hours" doc:"their average length in hours, two decimals"`
	TotalHours percent `json:"total_hours" doc:"their total length in hours, two decimals"`
}

// stageTimesOut is GET /api/v1/analytics/stage-times.
type stageTimesOut struct {
	reportRange
	Items []stageTimeOut `json:"items" doc:"every open stage in its order"`
}

func stageTimesView(s analytics.StageTimes) stageTimesOut {
	out := stageTimesOut{reportRange: rangeView(s.Query), Items: []stageTimeOut{}}
	for _, it := range s.Items {
		out.Items = append(out.Items, stageTimeOut{StageID: it.StageID, Code: it.Code, Name: it.Name, NameEn: it.NameEn,
			Order: it.Order, Stays: it.Stays, AvgHours: percent(it.AvgHours), TotalHours: percent(it.TotalHours)})
	}
	return out
}

func (s stageTimesOut) table() reportTable {
	t := reportTable{Header: []string{"stage_id", "code", "name", "order", "stays", "avg_hours", "total_hours"}}
	for _, it := range s.Items {
		t.Rows = append(t.Rows, []string{it.StageID.String(), it.Code, it.Name, strconv.Itoa(it.Order), strconv.Itoa(it.Stays),
			it.AvgHours.String(), it.TotalHours.String()})
	}
	return t
}

// resultRowOut is one key of the results report.
type resultRowOut struct {
	Key          string  `json:"key" doc:"manager: the user ID; source and need_type of the sale's lead (\"\" without one); model: \"make|model\" of its vehicle; month: YYYY-MM of the win"`
	Label        string  `json:"label"`
	Won          int     `json:"won" doc:"sales won in the range"`
	Revenue      string  `json:"revenue" doc:"their amounts in the currency (decimal)"`
	UnitsPercent percent `json:"units_percent" doc:"won / all won × 100"`
}

// resultsOut is GET /api/v1/analytics/results.
type resultsOut struct {
	reportRange
	By    string         `json:"by" enum:"AnalyticsDimension"`
	Items []resultRowOut `json:"items" doc:"in key order"`
	Total resultRowOut   `json:"total"`
}

func resultRowView(r analytics.ResultRow) resultRowOut {
	return resultRowOut{Key: r.Key, Label: r.Label, Won: r.Won, Revenue: r.Revenue.StringAmount(), UnitsPercent: percent(r.UnitsShare)}
}

func resultsView(r analytics.Results) resultsOut {
	return resultsOut{reportRange: rangeView(r.Query), By: string(r.By), Items: mapList(r.Rows, resultRowView), Total: resultRowView(r.Total)}
}

func (r resultsOut) table() reportTable {
	t := reportTable{Header: []string{"by", "key", "label", "won", "revenue", "units_percent", "currency"}}
	for _, row := range r.Items {
		t.Rows = append(t.Rows, []string{r.By, row.Key, row.Label, strconv.Itoa(row.Won), row.Revenue, row.UnitsPercent.String(), r.Currency})
	}
	t.Rows = append(t.Rows, []string{r.By, "total", r.Total.Label, strconv.Itoa(r.Total.Won), r.Total.Revenue, r.Total.UnitsPercent.String(), r.Currency})
	return t
}

// summaryOut is GET /api/v1/analytics/summary (docs/analytics.md).
type summaryOut struct {
	reportRange
	WonUnits               int     `json:"won_units"`
	WonRevenue             string  `json:"won_revenue"`
	AverageSale            string  `json:"average_sale"`
	CreditUnits            int     `json:"credit_units" doc:"won sales with a linked credit application"`
	CreditPercent          percent `json:"credit_percent"`
	TradeInUnits           int     `json:"trade_in_units" doc:"won sales with a linked trade-in appraisal"`
	TradeInPercent         percent `json:"trade_in_percent"`
	OrderedUnits           int     `json:"ordered_units" doc:"won sales with an order in the currency"`
	Discount               string  `json:"discount" doc:"Σ the discounts of their order lines"`
	AverageDiscount        string  `json:"average_discount" doc:"discount / ordered_units"`
	DiscountPercent        percent `json:"discount_percent" doc:"discount / (Σ order gross + discount) × 100"`
	TestDriveLeads         int     `json:"test_drive_leads" doc:"leads with a completed test drive that started in the range"`
	TestDriveSales         int     `json:"test_drive_sales" doc:"of them, with a sale"`
	TestDriveWon           int     `json:"test_drive_won" doc:"of them, with a won sale"`
	TestDriveToSalePercent percent `json:"test_drive_to_sale_percent"`
	TestDriveToWonPercent  percent `json:"test_drive_to_won_percent"`
}

func summaryView(s analytics.Summary) summaryOut {
	return summaryOut{reportRange: rangeView(s.Query), WonUnits: s.WonUnits, WonRevenue: s.WonRevenue.StringAmount(),
		AverageSale: s.AverageSale.StringAmount(), CreditUnits: s.WithCredit, CreditPercent: percent(s.CreditShare),
		TradeInUnits: s.WithTradeIn, TradeInPercent: percent(s.TradeInShare), OrderedUnits: s.Ordered,
		Discount: s.Discount.StringAmount(), AverageDiscount: s.AverageDiscount.StringAmount(), DiscountPercent: percent(s.DiscountPercent),
		TestDriveLeads: s.TestDriveLeads, TestDriveSales: s.TestDriveSales, TestDriveWon: s.TestDriveWon,
		TestDriveToSalePercent: percent(s.TestDriveToSale), TestDriveToWonPercent: percent(s.TestDriveToWon)}
}

func (s summaryOut) table() reportTable {
	return reportTable{
		Header: []string{"from", "to", "currency", "won_units", "won_revenue", "average_sale", "credit_units", "credit_percent",
			"trade_in_units", "trade_in_percent", "ordered_units", "discount", "average_discount", "discount_percent",
			"test_drive_leads", "test_drive_sales", "test_drive_won", "test_drive_to_sale_percent", "test_drive_to_won_percent"},
		Rows: [][]string{{s.From.String(), s.To.String(), s.Currency, strconv.Itoa(s.WonUnits), s.WonRevenue, s.AverageSale,
			strconv.Itoa(s.CreditUnits), s.CreditPercent.String(), strconv.Itoa(s.TradeInUnits), s.TradeInPercent.String(),
			strconv.Itoa(s.OrderedUnits), s.Discount, s.AverageDiscount, s.DiscountPercent.String(), strconv.Itoa(s.TestDriveLeads),
			strconv.Itoa(s.TestDriveSales), strconv.Itoa(s.TestDriveWon), s.TestDriveToSalePercent.String(), s.TestDriveToWonPercent.String()}},
	}
}
