package httpapi

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/shopspring/decimal"
)

// planScopeIO is a plan's scope in requests and responses.
type planScopeIO struct {
	OwnerID  string `json:"owner_id,omitempty" format:"uuid" doc:"only this manager's sales (the sale's owner)"`
	Make     string `json:"make,omitempty" max:"100" doc:"only sales of vehicles of this make (without regard to case)"`
	Model    string `json:"model,omitempty" max:"100" doc:"and of this model; needs make"`
	NeedType string `json:"need_type,omitempty" max:"64" doc:"only sales from leads of this need type (a code)"`
}

// planIn is the body of POST /api/v1/sales-plans (and, merged with a patch, of PATCH /api/v1/sales-plans/{id}).
type planIn struct {
	Period        string      `json:"period" oa:"required" enum:"PlanPeriod"`
	Start         string      `json:"start" oa:"required" format:"date" doc:"YYYY-MM-DD: the period's first day (a month's first; a quarter's: January, April, July or October; a year's: 1 January)"`
	Scope         planScopeIO `json:"scope,omitempty" doc:"absent: the whole dealer"`
	TargetUnits   int         `json:"target_units" doc:"won sales to reach"`
	TargetRevenue *moneyIn    `json:"target_revenue" oa:"required" doc:"revenue to reach; its currency is the plan's"`
	Name          string      `json:"name,omitempty" max:"200"`
}

func (in planIn) input(p *crm.Problems) plans.Input {
	return plans.Input{Period: plans.Period(in.Period), Start: parseDate(p, "start", in.Start),
		Scope: plans.Scope{OwnerID: parseIDField(p, "scope.owner_id", in.Scope.OwnerID), Make: in.Scope.Make,
			Model: in.Scope.Model, NeedType: in.Scope.NeedType},
		TargetUnits: in.TargetUnits, TargetRevenue: in.TargetRevenue.money(p, "target_revenue"), Name: in.Name}
}

// planInOf is the create body of a stored plan, the base a merge patch applies to.
func planInOf(p plans.Plan) planIn {
	return planIn{Period: string(p.Period), Start: dateOut(p.Start), Scope: planScopeView(p.Scope), TargetUnits: p.TargetUnits,
		TargetRevenue: &moneyIn{Amount: decimalText(p.TargetRevenue.StringAmount()), Currency: string(p.TargetRevenue.Currency)},
		Name:          p.Name}
}

func planScopeView(s plans.Scope) planScopeIO {
	return planScopeIO{OwnerID: idText(s.OwnerID), Make: s.Make, Model: s.Model, NeedType: s.NeedType}
}

// planOut is a sales plan as responses show it.
type planOut struct {
	ID            crm.ID      `json:"id"`
	Version       int64       `json:"version"`
	Period        string      `json:"period" enum:"PlanPeriod"`
	Start         string      `json:"start" format:"date"`
	End           string      `json:"end" format:"date" doc:"the first day after the period"`
	Scope         planScopeIO `json:"scope"`
	TargetUnits   int         `json:"target_units"`
	TargetRevenue crm.Money   `json:"target_revenue"`
	Name          string      `json:"name,omitempty"`
	CreatedAt     stamp       `json:"created_at"`
	UpdatedAt     stamp       `json:"updated_at"`
}

func planView(p plans.Plan) planOut {
	return planOut{ID: p.ID, Version: p.Version, Period: string(p.Period), Start: dateOut(p.Start), End: dateOut(p.End()),
		Scope: planScopeView(p.Scope), TargetUnits: p.TargetUnits, TargetRevenue: p.TargetRevenue, Name: p.Name,
		CreatedAt: stampOf(p.CreatedAt), UpdatedAt: stampOf(p.UpdatedAt)}
}

// planRevisionOut is one kept version of a plan.
type planRevisionOut struct {
	Version       int64       `json:"version"`
	At            stamp       `json:"at"`
	By            *crm.ID     `json:"by"`
	Period        string      `json:"period" enum:"PlanPeriod"`
	Start         string      `json:"start" format:"date"`
	Scope         planScopeIO `json:"scope"`
	TargetUnits   int         `json:"target_units"`
	TargetRevenue crm.Money   `json:"target_revenue"`
	Name          string      `json:"name,omitempty"`
}

func planRevisionView(r plans.Revision) planRevisionOut {
	return planRevisionOut{Version: r.Version, At: stampOf(r.At), By: idOut(r.By), Period: string(r.Period),
		Start: dateOut(r.Start), Scope: planScopeView(r.Scope), TargetUnits: r.TargetUnits, TargetRevenue: r.TargetRevenue, Name: r.Name}
}

// percent is a percentage as a JSON number with two decimals (57.25).
type percent decimal.Decimal

// MarshalJSON writes the number with exactly two decimals.
func (p percent) MarshalJSON() ([]byte, error) {
	return json.Marshal(json.Number(decimal.Decimal(p).StringFixed(2)))
}

func (p percent) String() string { return decimal.Decimal(p).StringFixed(2) }

// amountText is an amount of a report's currency, as a decimal string with the currency's minor digits.
func amountText(d decimal.Decimal, cur crm.Currency) string {
	return crm.NewMoney(d, cur).Round().StringAmount()
}

// planProgressOut is GET /api/v1/sales-plans/{id}/progress (definitions in docs/analytics.md).
type planProgressOut struct {
	PlanID            crm.ID  `json:"plan_id"`
	Period            string  `json:"period" enum:"PlanPeriod"`
	Start             string  `json:"start" format:"date"`
	End               string  `json:"end" format:"date"`
	Currency          string  `json:"currency"`
	TargetUnits       int     `json:"target_units"`
	TargetRevenue     string  `json:"target_revenue" doc:"decimal, in currency"`
	WonUnits          int     `json:"won_units" doc:"sales of the scope won in the period"`
	WonRevenue        string  `json:"won_revenue" doc:"their amounts in the plan's currency (decimal)"`
	UnitsPercent      percent `json:"units_percent" doc:"won_units / target_units × 100, two decimals; 0 without a target"`
	RevenuePercent    percent `json:"revenue_percent" doc:"won_revenue / target_revenue × 100, two decimals; 0 without a target"`
	CompletionPercent percent `json:"completion_percent" doc:"revenue_percent when the plan has a revenue target, else units_percent"`
	ForecastRevenue   string  `json:"forecast_revenue" doc:"won_revenue + Σ amount × probability / 100 of the open sales of the scope expected to close in the period (decimal)"`
}

func planProgressView(p plans.Progress) planProgressOut {
	cur := p.TargetRevenue.Currency
	return planProgressOut{PlanID: p.Plan.ID, Period: string(p.Plan.Period), Start: dateOut(p.Plan.Start), End: dateOut(p.Plan.End()),
		Currency: string(cur), TargetUnits: p.TargetUnits, TargetRevenue: amountText(p.TargetRevenue.Amount, cur),
		WonUnits: p.WonUnits, WonRevenue: amountText(p.WonRevenue.Amount, cur), UnitsPercent: percent(p.UnitsPercent),
		RevenuePercent: percent(p.RevenuePercent), CompletionPercent: percent(p.CompletionPercent),
		ForecastRevenue: amountText(p.ForecastRevenue.Amount, cur)}
}

func (o planProgressOut) table() reportTable {
	return reportTable{
		Header: []string{"plan_id", "period", "start", "end", "currency", "target_units", "target_revenue", "won_units",
			"won_revenue", "units_percent", "revenue_percent", "completion_percent", "forecast_revenue"},
		Rows: [][]string{{o.PlanID.String(), o.Period, o.Start, o.End, o.Currency, strconv.Itoa(o.TargetUnits), o.TargetRevenue,
			strconv.Itoa(o.WonUnits), o.WonRevenue, o.UnitsPercent.String(), o.RevenuePercent.String(),
			o.CompletionPercent.String(), o.ForecastRevenue}},
	}
}

// planListTable is the CSV form of the plan list.
func planListTable(items []planOut) reportTable {
	t := reportTable{Header: []string{"id", "period", "start", "end", "owner_id", "make", "model", "need_type",
		"target_units", "target_revenue", "currency", "name"}}
	for _, p := range items {
		t.Rows = append(t.Rows, []string{p.ID.String(), p.Period, p.Start, p.End, p.Scope.OwnerID, p.Scope.Make, p.Scope.Model,
			p.Scope.NeedType, strconv.Itoa(p.TargetUnits), p.TargetRevenue.StringAmount(), string(p.TargetRevenue.Currency), p.Name})
	}
	return t
}

// dayBound reads a report bound: a date (YYYY-MM-DD, midnight UTC) or an instant (RFC 3339); "" is the zero time.
func dayBound(p *crm.Problems, field, s string) time.Time {
	if len(s) == len(time.DateOnly) {
		return parseDate(p, field, s)
	}
	return parseTime(p, field, s)
}
