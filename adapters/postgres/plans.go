package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// planTable is the row of a sales plan: its period as a date range [start_date, end_date), the scope in plain
// columns (the scope key is generated from them), the revenue target as numeric and currency.
var planTable = table[plans.Plan]{
	name: "sales_plans",
	cols: []string{"period", "start_date", "end_date", "owner_id", "make", "model", "need_type", "target_units",
		"target_revenue", "currency", "name"},
	meta: func(p *plans.Plan) *crm.Meta { return &p.Meta },
	args: func(p *plans.Plan) []any {
		return []any{string(p.Period), p.Start.UTC().Format(time.DateOnly), p.End().UTC().Format(time.DateOnly),
			nullID(p.Scope.OwnerID), p.Scope.Make, p.Scope.Model, p.Scope.NeedType, p.TargetUnits,
			p.TargetRevenue.Amount, string(p.TargetRevenue.Currency), p.Name}
	},
	scan: func(p *plans.Plan) ([]any, func()) {
		var period, currency string
		var start, end time.Time
		var owner uuid.NullUUID
		return []any{&period, &start, &end, &owner, &p.Scope.Make, &p.Scope.Model, &p.Scope.NeedType, &p.TargetUnits,
				&p.TargetRevenue.Amount, &currency, &p.Name}, func() {
				p.Period, p.Start, p.Scope.OwnerID = plans.Period(period), dateUTC(start), owner.UUID
				p.TargetRevenue.Currency = crm.Currency(currency)
			}
	},
}

// dateUTC is the calendar day a date column gave, as midnight UTC.
func dateUTC(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

type planStore struct{ t *Tx }

// Plans returns the sales-plan store of this unit of work.
func (t *Tx) Plans() plans.Store { return planStore{t} }

// planOverlap turns the exclusion constraint's refusal into the domain's error.
func planOverlap(p *plans.Plan, err error) error {
	if SQLState(err) == "23P01" {
		return fmt.Errorf("plan %s–%s: %w", p.Start.Format(time.DateOnly), p.End().Format(time.DateOnly), plans.ErrOverlap)
	}
	return err
}

func (s planStore) Get(ctx context.Context, id crm.ID) (plans.Plan, error) {
	return planTable.get(ctx, s.t, id)
}

func (s planStore) Create(ctx context.Context, p *plans.Plan) error {
	return planOverlap(p, planTable.create(ctx, s.t, p))
}

func (s planStore) Update(ctx context.Context, p *plans.Plan) error {
	return planOverlap(p, planTable.update(ctx, s.t, p))
}

func (s planStore) List(ctx context.Context, from, to time.Time, ownerID crm.ID) ([]plans.Plan, error) {
	out, err := planTable.list(ctx, s.t, `($2::date IS NULL OR end_date > $2) AND ($3::date IS NULL OR start_date < $3)
		AND ($4::uuid IS NULL OR owner_id = $4)`, "start_date, scope_key, id",
		nullDate(from), nullDate(to), nullID(ownerID))
	if out == nil {
		out = []plans.Plan{}
	}
	return out, err
}

// nullDate writes a zero time as NULL, another as its UTC calendar day; a bound that is not midnight is
// rounded up to the next day, so "a day in [from, to)" keeps its meaning for dates.
func nullDate(t time.Time) sql.Null[string] {
	if t.IsZero() {
		return sql.Null[string]{}
	}
	d := dateUTC(t.UTC())
	if d.Before(t) {
		d = d.AddDate(0, 0, 1)
	}
	return sql.Null[string]{V: d.Format(time.DateOnly), Valid: true}
}

func (s planStore) AddRevision(ctx context.Context, r plans.Revision) error {
	const op = "postgres.Plans.AddRevision"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	res, err := s.t.tx.ExecContext(ctx, `INSERT INTO sales_plan_revisions (plan_id, version, dealer_id, at, by_user,
		period, start_date, owner_id, make, model, need_type, target_units, target_revenue, currency, name)
		SELECT id, $3, dealer_id, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 FROM sales_plans
		WHERE id = $1 AND dealer_id = $2`,
		r.PlanID, d, r.Version, s.t.now, nullID(r.By), string(r.Period), r.Start.UTC().Format(time.DateOnly),
		nullID(r.Scope.OwnerID), r.Scope.Make, r.Scope.Model, r.Scope.NeedType, r.TargetUnits, r.TargetRevenue.Amount,
		string(r.TargetRevenue.Currency), r.Name)
	if err != nil {
		return mapErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.NotFound(op, "sales plan %s not found", r.PlanID)
	}
	return nil
}

func (s planStore) Revisions(ctx context.Context, planID crm.ID) ([]plans.Revision, error) {
	const op = "postgres.Plans.Revisions"
	d, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT plan_id, version, at, by_user, period, start_date, owner_id, make,
		model, need_type, target_units, target_revenue, currency, name FROM sales_plan_revisions
		WHERE plan_id = $1 AND dealer_id = $2 ORDER BY version`, planID, d)
	out, err := collect(rows, err, op, func(row interface{ Scan(...any) error }) (plans.Revision, error) {
		var r plans.Revision
		var by, owner uuid.NullUUID
		var period, currency string
		var amount decimal.Decimal
		err := row.Scan(&r.PlanID, &r.Version, &r.At, &by, &period, &r.Start, &owner, &r.Scope.Make, &r.Scope.Model,
			&r.Scope.NeedType, &r.TargetUnits, &amount, &currency, &r.Name)
		r.At, r.Start, r.By, r.Scope.OwnerID, r.Period = r.At.UTC(), dateUTC(r.Start), by.UUID, owner.UUID, plans.Period(period)
		r.TargetRevenue = crm.NewMoney(amount, crm.Currency(currency))
		return r, err
	})
	if out == nil {
		out = []plans.Revision{}
	}
	return out, err
}

var _ plans.Stores = (*Tx)(nil)

type planProgressStore struct{ t *Tx }

// PlanProgress returns the store that counts a plan's actuals with one aggregate query.
func (t *Tx) PlanProgress() plans.ProgressStore { return planProgressStore{t} }

// Actuals sums the won sales of the period (index sales_won_by_time) and the open sales expected to close in it
// (index sales_open_by_expected_close) in one statement; the scope joins the vehicle and the lead only when it
// names a make or a need type.
func (s planProgressStore) Actuals(ctx context.Context, q plans.ProgressQuery) (plans.Actuals, error) {
	const op = "postgres.PlanProgress.Actuals"
	d, err := dealer(ctx)
	if err != nil {
		return plans.Actuals{}, err
	}
	scope, args := planScopeSQL(q.Scope, []any{d, q.From.UTC(), q.To.UTC(), string(q.Currency),
		q.From.UTC().Format(time.DateOnly), q.To.UTC().Format(time.DateOnly)})
	var out plans.Actuals
	err = s.t.tx.QueryRowxContext(ctx, `
		SELECT coalesce(sum(won_units), 0)::int, coalesce(sum(won_revenue), 0), coalesce(sum(open_weighted), 0) FROM (
			SELECT count(*) AS won_units, sum(s.amount) FILTER (WHERE s.currency = $4) AS won_revenue, 0 AS open_weighted
			FROM sales s `+scope.join+`
			WHERE s.dealer_id = $1 AND s.status = 'won' AND s.won_at >= $2 AND s.won_at < $3`+scope.where+`
			UNION ALL
			SELECT 0, 0, sum(s.amount * s.probability)
			FROM sales s `+scope.join+`
			WHERE s.dealer_id = $1 AND s.status = 'open' AND s.expected_close >= $5::date AND s.expected_close < $6::date
				AND s.currency = $4`+scope.where+`
		) t`, args...).Scan(&out.WonUnits, &out.WonRevenue, &out.OpenWeighted)
	return out, mapErr(op, err)
}

type scopeSQL struct{ join, where string }

// planScopeSQL is the join and condition that keep the sales of scope sc, with their arguments appended to args.
func planScopeSQL(sc plans.Scope, args []any) (scopeSQL, []any) {
	var out scopeSQL
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if sc.OwnerID != (crm.ID{}) {
		out.where += " AND s.owner_id = " + arg(sc.OwnerID)
	}
	if sc.Make != "" {
		out.join += " JOIN vehicles v ON v.id = s.vehicle_id AND v.dealer_id = s.dealer_id"
		out.where += " AND lower(v.make) = lower(" + arg(sc.Make) + ")"
		if sc.Model != "" {
			out.where += " AND lower(v.model) = lower(" + arg(sc.Model) + ")"
		}
	}
	if sc.NeedType != "" {
		out.join += " JOIN leads l ON l.id = s.lead_id AND l.dealer_id = s.dealer_id"
		out.where += " AND l.need_type = " + arg(sc.NeedType)
	}
	return out, args
}
