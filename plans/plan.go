package plans

import (
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Scope is what a plan is for: the whole dealer when zero, or only the sales of one manager (the sale's owner),
// of one make (and model, the sale's vehicle; compared without regard to case) and of one need type (the need
// type of the lead the sale came from). Fields combine: a manager's plan for one model is a scope of its own.
type Scope struct {
	OwnerID  crm.ID
	Make     string
	Model    string
	NeedType string
}

// Key identifies the scope for the overlap rule: two plans overlap only when their keys are equal. Make and
// model are compared lower-cased.
func (s Scope) Key() string {
	owner := ""
	if s.OwnerID != (crm.ID{}) {
		owner = s.OwnerID.String()
	}
	return owner + "|" + strings.ToLower(s.Make) + "|" + strings.ToLower(s.Model) + "|" + s.NeedType
}

// Plan (план продаж) sets the targets of one period for one scope: a number of won sales and the revenue they
// bring, in one currency. Start is midnight UTC of the period's first day; the period is [Start, End()).
type Plan struct {
	crm.Meta
	Period        Period
	Start         time.Time
	Scope         Scope
	TargetUnits   int
	TargetRevenue crm.Money
	Name          string // optional, for people ("План декабря")
}

// End is the first instant after the plan's period.
func (p Plan) End() time.Time { return p.Period.End(p.Start) }

// Overlaps reports whether p and o are plans of one scope covering a common day (the rule ErrOverlap holds).
func (p Plan) Overlaps(o Plan) bool {
	return p.Scope.Key() == o.Scope.Key() && p.Start.Before(o.End()) && o.Start.Before(p.End())
}

// Input is what a caller gives for a plan.
type Input struct {
	Period        Period
	Start         time.Time
	Scope         Scope
	TargetUnits   int
	TargetRevenue crm.Money
	Name          string
}

// MaxTargetUnits bounds a plan's unit target.
const MaxTargetUnits = 1_000_000

// New validates in and returns a new plan of dealer, made at now. It returns crm.KindInvalid naming every wrong
// field: "period" (month, quarter or year), "start" (the period's first day, midnight UTC), "target_units" (0 to
// MaxTargetUnits), "target_revenue" (non-negative, a known currency, no finer than its minor unit),
// "scope.model" (a model needs its make), "name" (at most 200 characters).
func New(dealer crm.ID, in Input, now time.Time) (Plan, error) {
	p := Plan{Meta: crm.NewMeta(dealer, now)}
	if err := p.apply(in); err != nil {
		return Plan{}, err
	}
	return p, nil
}

// Apply replaces the plan's period, scope and targets with in, by the rules of New; on error p is unchanged.
func (p *Plan) Apply(in Input, now time.Time) error {
	next := *p
	if err := next.apply(in); err != nil {
		return err
	}
	next.UpdatedAt = now.UTC()
	*p = next
	return nil
}

func (p *Plan) apply(in Input) error {
	var pr crm.Problems
	if !in.Period.Valid() {
		pr.Add("period", "must be month, quarter or year")
	} else {
		in.Period.checkStart(&pr, in.Start)
	}
	if in.TargetUnits < 0 || in.TargetUnits > MaxTargetUnits {
		pr.Add("target_units", "must be 0 to %d", MaxTargetUnits)
	}
	if in.TargetRevenue.Currency == "" {
		pr.Add("target_revenue", "needs a currency")
	} else if in.TargetRevenue.Amount.IsNegative() {
		pr.Add("target_revenue", "cannot be negative")
	} else {
		crm.CheckMoney(&pr, "target_revenue", in.TargetRevenue)
	}
	if in.TargetUnits == 0 && in.TargetRevenue.Amount.IsZero() && in.TargetRevenue.Currency != "" {
		pr.Add("target_units", "a plan needs a target: units or revenue above zero")
		pr.Add("target_revenue", "a plan needs a target: units or revenue above zero")
	}
	in.Scope.Make, in.Scope.Model = strings.TrimSpace(in.Scope.Make), strings.TrimSpace(in.Scope.Model)
	in.Scope.NeedType = strings.TrimSpace(in.Scope.NeedType)
	if in.Scope.Model != "" && in.Scope.Make == "" {
		pr.Add("scope.make", "is required with a model")
	}
	in.Name = strings.TrimSpace(in.Name)
	if len([]rune(in.Name)) > 200 {
		pr.Add("name", "must be at most 200 characters")
	}
	if err := pr.Err("plans.Plan"); err != nil {
		return err
	}
	p.Period, p.Start, p.Scope = in.Period, in.Start.UTC(), in.Scope
	p.TargetUnits, p.TargetRevenue, p.Name = in.TargetUnits, in.TargetRevenue, in.Name
	return nil
}

// Input returns the plan's editable values, the base for a partial edit.
func (p Plan) Input() Input {
	return Input{Period: p.Period, Start: p.Start, Scope: p.Scope, TargetUnits: p.TargetUnits,
		TargetRevenue: p.TargetRevenue, Name: p.Name}
}

// Same reports whether in and o describe the same plan (money compared by value, times by instant).
func (in Input) Same(o Input) bool {
	return in.Period == o.Period && in.Start.Equal(o.Start) && in.Scope == o.Scope && in.TargetUnits == o.TargetUnits &&
		in.TargetRevenue.Currency == o.TargetRevenue.Currency && in.TargetRevenue.Amount.Equal(o.TargetRevenue.Amount) &&
		in.Name == o.Name
}

// Revision is one kept version of a plan: its values as they were at that version, when and by whom they were
// set. Version 1 is the plan as created.
type Revision struct {
	PlanID        crm.ID
	Version       int64
	At            time.Time
	By            crm.ID
	Period        Period
	Start         time.Time
	Scope         Scope
	TargetUnits   int
	TargetRevenue crm.Money
	Name          string
}

// RevisionOf is the revision that records p as it now is, set by by at p.UpdatedAt.
func RevisionOf(p Plan, by crm.ID) Revision {
	return Revision{PlanID: p.ID, Version: p.Version, At: p.UpdatedAt, By: by, Period: p.Period, Start: p.Start,
		Scope: p.Scope, TargetUnits: p.TargetUnits, TargetRevenue: p.TargetRevenue, Name: p.Name}
}
