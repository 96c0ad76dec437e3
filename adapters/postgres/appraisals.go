package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

var _ appraisal.Stores = (*Tx)(nil)

// appraisalTable is the row of an appraisal sheet: the car, the origins, the state, the prices as numeric columns
// in one currency, the trade-in sale, and the rest in appraisalDoc.
var appraisalTable = table[appraisal.Appraisal]{
	name: "appraisals",
	cols: []string{"vin", "make", "model", "year", "mileage", "color", "owner", "lead_id", "customer_id", "sale_id",
		"state", "currency", "reference_price", "proposed_price", "trade_in_sale_id", "doc"},
	meta: func(a *appraisal.Appraisal) *crm.Meta { return &a.Meta },
	args: func(a *appraisal.Appraisal) []any {
		return []any{string(a.VIN), a.Make, a.Model, a.Year, a.Mileage, a.Color, a.Owner, salesNullID(a.LeadID),
			salesNullID(a.CustomerID), salesNullID(a.SaleID), string(a.State), string(a.Currency()),
			a.ReferencePrice.Amount, a.ProposedPrice.Amount, salesNullID(a.TradeInSaleID), jsonb{appraisalDocOf(*a)}}
	},
	scan: func(a *appraisal.Appraisal) ([]any, func()) {
		var vin, state, currency string
		var doc appraisalDoc
		return []any{&vin, &a.Make, &a.Model, &a.Year, &a.Mileage, &a.Color, &a.Owner, &a.LeadID, &a.CustomerID,
				&a.SaleID, &state, &currency, &a.ReferencePrice.Amount, &a.ProposedPrice.Amount, &a.TradeInSaleID, jsonb{&doc}},
			func() {
				a.VIN, a.State = catalog.VIN(vin), appraisal.State(state)
				cur := crm.Currency(currency)
				a.ReferencePrice.Currency, a.ProposedPrice.Currency = cur, cur
				doc.into(a, cur)
			}
	},
}

// appraisalDoc is the stored document of a sheet's checklist, adjustments, justification and histories.
type appraisalDoc struct {
	Elements      []appraisalElementDoc    `json:"elements"`
	Adjustments   []appraisalAdjustmentDoc `json:"adjustments"`
	Justification string                   `json:"justification,omitempty"`
	Deductions    string                   `json:"deductions"`
	PriceHistory  []appraisalPriceDoc      `json:"price_history"`
	History       []appraisalStateDoc      `json:"history"`
}

type appraisalElementDoc struct {
	ID        crm.ID `json:"id"`
	Area      string `json:"area"`
	Name      string `json:"name"`
	Grade     string `json:"grade"`
	Note      string `json:"note,omitempty"`
	Deduction string `json:"deduction"`
}

type appraisalAdjustmentDoc struct {
	Amount string `json:"amount"`
	Reason string `json:"reason"`
}

type appraisalPriceDoc struct {
	At         time.Time `json:"at"`
	By         crm.ID    `json:"by"`
	What       string    `json:"what"`
	Reference  string    `json:"reference"`
	Deductions string    `json:"deductions"`
	Adjustment string    `json:"adjustment"`
	Proposed   string    `json:"proposed"`
}

type appraisalStateDoc struct {
	At      time.Time `json:"at"`
	By      crm.ID    `json:"by"`
	From    string    `json:"from,omitempty"`
	To      string    `json:"to"`
	Comment string    `json:"comment,omitempty"`
}

// appraisalAmount writes a decimal exactly (all its digits).
func appraisalAmount(m crm.Money) string { return m.Amount.String() }

func appraisalDocOf(a appraisal.Appraisal) appraisalDoc {
	d := appraisalDoc{Justification: a.Justification, Deductions: appraisalAmount(a.Deductions),
		Elements: make([]appraisalElementDoc, len(a.Elements)), Adjustments: make([]appraisalAdjustmentDoc, len(a.Adjustments)),
		PriceHistory: make([]appraisalPriceDoc, len(a.PriceHistory)), History: make([]appraisalStateDoc, len(a.History))}
	for i, e := range a.Elements {
		d.Elements[i] = appraisalElementDoc{ID: e.ID, Area: string(e.Area), Name: e.Name, Grade: string(e.Grade), Note: e.Note,
			Deduction: appraisalAmount(e.Deduction)}
	}
	for i, adj := range a.Adjustments {
		d.Adjustments[i] = appraisalAdjustmentDoc{Amount: appraisalAmount(adj.Amount), Reason: adj.Reason}
	}
	for i, p := range a.PriceHistory {
		d.PriceHistory[i] = appraisalPriceDoc{At: p.At, By: p.By, What: p.What, Reference: appraisalAmount(p.Reference),
			Deductions: appraisalAmount(p.Deductions), Adjustment: appraisalAmount(p.Adjustment), Proposed: appraisalAmount(p.Proposed)}
	}
	for i, h := range a.History {
		d.History[i] = appraisalStateDoc{At: h.At, By: h.By, From: string(h.From), To: string(h.To), Comment: h.Comment}
	}
	return d
}

// appraisalMoney reads an amount of the document in cur (a malformed one reads as zero: the document is ours).
func appraisalMoney(s string, cur crm.Currency) crm.Money {
	d, err := decimal.NewFromString(s)
	if err != nil {
		d = decimal.Zero
	}
	return crm.NewMoney(d, cur)
}

func (d appraisalDoc) into(a *appraisal.Appraisal, cur crm.Currency) {
	a.Justification, a.Deductions = d.Justification, appraisalMoney(d.Deductions, cur)
	a.Elements = make([]appraisal.Element, len(d.Elements))
	for i, e := range d.Elements {
		a.Elements[i] = appraisal.Element{ID: e.ID, Area: appraisal.Area(e.Area), Name: e.Name, Grade: appraisal.Grade(e.Grade),
			Note: e.Note, Deduction: appraisalMoney(e.Deduction, cur)}
	}
	a.Adjustments = make([]appraisal.Adjustment, len(d.Adjustments))
	for i, adj := range d.Adjustments {
		a.Adjustments[i] = appraisal.Adjustment{Amount: appraisalMoney(adj.Amount, cur), Reason: adj.Reason}
	}
	a.PriceHistory = make([]appraisal.PriceChange, len(d.PriceHistory))
	for i, p := range d.PriceHistory {
		a.PriceHistory[i] = appraisal.PriceChange{At: p.At.UTC(), By: p.By, What: p.What, Reference: appraisalMoney(p.Reference, cur),
			Deductions: appraisalMoney(p.Deductions, cur), Adjustment: appraisalMoney(p.Adjustment, cur), Proposed: appraisalMoney(p.Proposed, cur)}
	}
	a.History = make([]appraisal.Transition, len(d.History))
	for i, h := range d.History {
		a.History[i] = appraisal.Transition{At: h.At.UTC(), By: h.By, From: appraisal.State(h.From), To: appraisal.State(h.To),
			Comment: h.Comment}
	}
}

type appraisalStore struct{ t *Tx }

// Appraisals returns the appraisal-sheet store of this unit of work.
func (t *Tx) Appraisals() appraisal.Store { return appraisalStore{t} }

func (s appraisalStore) Get(ctx context.Context, id crm.ID) (appraisal.Appraisal, error) {
	if c := s.t.contract; c != nil && id != (crm.ID{}) && c.appraisal.ID == id {
		return c.appraisal, nil
	}
	return appraisalTable.get(ctx, s.t, id)
}

func (s appraisalStore) Create(ctx context.Context, a *appraisal.Appraisal) error {
	return appraisalTable.create(ctx, s.t, a)
}

func (s appraisalStore) Update(ctx context.Context, a *appraisal.Appraisal) error {
	return appraisalTable.update(ctx, s.t, a)
}

func (s appraisalStore) List(ctx context.Context, q appraisal.Query) ([]appraisal.Appraisal, error) {
	where, args := appraisalWhere(q)
	return appraisalTable.list(ctx, s.t, where, "created_at DESC, id DESC", args...)
}

func (s appraisalStore) Page(ctx context.Context, q appraisal.Query, pr crm.PageRequest) (crm.Page[appraisal.Appraisal], error) {
	where, args := appraisalWhere(q)
	return appraisalTable.newestPage(ctx, s.t, "postgres.Appraisals.Page", appraisal.List, pr, where, args...)
}

// appraisalWhere is q's condition, with placeholders from $2.
func appraisalWhere(q appraisal.Query) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)+1))
	}
	if q.State != "" {
		add("state = $%d", string(q.State))
	}
	if q.VIN != "" {
		add("vin = $%d", q.VIN)
	}
	if q.LeadID != (crm.ID{}) {
		add("lead_id = $%d", q.LeadID)
	}
	if q.CustomerID != (crm.ID{}) {
		add("customer_id = $%d", q.CustomerID)
	}
	if q.SaleID != (crm.ID{}) {
		add("sale_id = $%d", q.SaleID)
	}
	return strings.Join(where, " AND "), args
}

// appraisalTemplateTable is the row of a dealer's checklist template.
var appraisalTemplateTable = table[appraisal.Template]{
	name: "appraisal_templates",
	cols: []string{"items"},
	meta: func(t *appraisal.Template) *crm.Meta { return &t.Meta },
	args: func(t *appraisal.Template) []any {
		items := make([]appraisalTemplateItemDoc, len(t.Items))
		for i, it := range t.Items {
			items[i] = appraisalTemplateItemDoc{Area: string(it.Area), Name: it.Name}
		}
		return []any{jsonb{items}}
	},
	scan: func(t *appraisal.Template) ([]any, func()) {
		var items []appraisalTemplateItemDoc
		return []any{jsonb{&items}}, func() {
			t.Items = make([]appraisal.TemplateItem, len(items))
			for i, it := range items {
				t.Items[i] = appraisal.TemplateItem{Area: appraisal.Area(it.Area), Name: it.Name}
			}
		}
	},
}

type appraisalTemplateItemDoc struct {
	Area string `json:"area"`
	Name string `json:"name"`
}

type appraisalTemplateStore struct{ t *Tx }

// AppraisalTemplates returns the checklist-template store of this unit of work.
func (t *Tx) AppraisalTemplates() appraisal.TemplateStore { return appraisalTemplateStore{t} }

func (s appraisalTemplateStore) Get(ctx context.Context) (appraisal.Template, error) {
	d, err := dealer(ctx)
	if err != nil {
		return appraisal.Template{}, err
	}
	all, err := appraisalTemplateTable.list(ctx, s.t, "true", "id")
	if err != nil {
		return appraisal.Template{}, err
	}
	if len(all) == 0 {
		return appraisal.Template{}, crm.NotFound("postgres.appraisal_templates.Get", "dealer %s has no appraisal template", d)
	}
	if s.t.writable { // lock it as get does
		return appraisalTemplateTable.get(ctx, s.t, all[0].ID)
	}
	return all[0], nil
}

func (s appraisalTemplateStore) Create(ctx context.Context, t *appraisal.Template) error {
	return appraisalTemplateTable.create(ctx, s.t, t)
}

func (s appraisalTemplateStore) Update(ctx context.Context, t *appraisal.Template) error {
	return appraisalTemplateTable.update(ctx, s.t, t)
}

type appraisalOriginStore struct{ t *Tx }

// AppraisalOrigins answers whether the lead or sale an appraisal names is the dealer's.
func (t *Tx) AppraisalOrigins() appraisal.OriginStore { return appraisalOriginStore{t} }

func (s appraisalOriginStore) LeadExists(ctx context.Context, id crm.ID) (bool, error) {
	return s.exists(ctx, "leads", id)
}

func (s appraisalOriginStore) SaleExists(ctx context.Context, id crm.ID) (bool, error) {
	return s.exists(ctx, "sales", id)
}

func (s appraisalOriginStore) exists(ctx context.Context, table string, id crm.ID) (bool, error) {
	d, err := dealer(ctx)
	if err != nil {
		return false, err
	}
	var ok bool
	err = s.t.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+` WHERE id = $1 AND dealer_id = $2)`, id, d).Scan(&ok)
	return ok, mapErr("postgres.AppraisalOrigins", err)
}
