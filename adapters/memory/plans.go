package memory

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

var planRecords = records[plans.Plan]{name: "sales_plans", meta: func(p *plans.Plan) *crm.Meta { return &p.Meta }}

// planRevisions keeps every plan's revisions by plan ID, oldest first.
func planRevisions(tx *Tx) *table[crm.ID, []plans.Revision] {
	return tableOf[crm.ID, []plans.Revision](tx.db, "sales_plan_revisions")
}

type planStore struct{ tx *Tx }

// Plans returns the sales-plan store of this unit of work.
func (tx *Tx) Plans() plans.Store { return planStore{tx} }

func (s planStore) Get(ctx context.Context, id crm.ID) (plans.Plan, error) {
	return planRecords.get(ctx, s.tx, id)
}

// free returns plans.ErrOverlap when another plan of p's dealer and scope covers one of p's days. The unit of
// work holds the lock exclusively, so the check and the write that follows are one step.
func (s planStore) free(ctx context.Context, p *plans.Plan) error {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	overlap := false
	planRecords.eachOf(s.tx, dealer, func(o *plans.Plan) bool {
		overlap = o.ID != p.ID && o.Overlaps(*p)
		return !overlap
	})
	if overlap {
		// Worded as PostgreSQL's (which learns only that its constraint refused p): the period asked for.
		return fmt.Errorf("plan %s–%s: %w", p.Start.Format(time.DateOnly), p.End().Format(time.DateOnly), plans.ErrOverlap)
	}
	return nil
}

func (s planStore) Create(ctx context.Context, p *plans.Plan) error {
	if err := s.free(ctx, p); err != nil {
		return err
	}
	return planRecords.create(ctx, s.tx, p)
}

func (s planStore) Update(ctx context.Context, p *plans.Plan) error {
	if err := s.free(ctx, p); err != nil {
		return err
	}
	return planRecords.update(ctx, s.tx, p)
}

func (s planStore) List(ctx context.Context, from, to time.Time, ownerID crm.ID) ([]plans.Plan, error) {
	out, err := planRecords.all(ctx, s.tx, func(p *plans.Plan) bool {
		return (from.IsZero() || p.End().After(from)) && (to.IsZero() || p.Start.Before(to)) &&
			(ownerID == (crm.ID{}) || p.Scope.OwnerID == ownerID)
	})
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		if a.Scope.Key() != b.Scope.Key() {
			return a.Scope.Key() < b.Scope.Key()
		}
		return a.ID.String() < b.ID.String()
	})
	if out == nil {
		out = []plans.Plan{}
	}
	return out, err
}

func (s planStore) AddRevision(ctx context.Context, r plans.Revision) error {
	if _, err := planRecords.get(ctx, s.tx, r.PlanID); err != nil {
		return err
	}
	t := planRevisions(s.tx)
	old, _ := t.get(r.PlanID)
	for _, o := range old {
		if o.Version == r.Version {
			return crm.Duplicate("memory.Plans.AddRevision", "plan %s already has revision %d", r.PlanID, r.Version)
		}
	}
	r.At = s.tx.now
	return t.put(s.tx, r.PlanID, append(append([]plans.Revision(nil), old...), r))
}

func (s planStore) Revisions(ctx context.Context, planID crm.ID) ([]plans.Revision, error) {
	if _, err := crm.DealerFrom(ctx); err != nil {
		return nil, err
	}
	if _, err := planRecords.get(ctx, s.tx, planID); crm.KindOf(err) == crm.KindNotFound {
		return []plans.Revision{}, nil
	} else if err != nil {
		return nil, err
	}
	revs, _ := planRevisions(s.tx).get(planID)
	return append([]plans.Revision{}, revs...), nil
}

var _ plans.Stores = (*Tx)(nil)

type planProgressStore struct{ tx *Tx }

// PlanProgress returns the store that counts a plan's actuals in one pass over the dealer's sales.
func (tx *Tx) PlanProgress() plans.ProgressStore { return planProgressStore{tx} }

func (s planProgressStore) Actuals(ctx context.Context, q plans.ProgressQuery) (plans.Actuals, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return plans.Actuals{}, err
	}
	out := plans.Actuals{WonRevenue: decimal.Zero, OpenWeighted: decimal.Zero}
	from, to := q.From.UTC(), q.To.UTC()
	saleRecords.eachOf(s.tx, dealer, func(sale *sales.Sale) bool {
		won := sale.Status == sales.StatusWon && !sale.WonAt.Before(from) && sale.WonAt.Before(to)
		open := sale.Status == sales.StatusOpen && !sale.ExpectedClose.IsZero() && !sale.ExpectedClose.Before(from) &&
			sale.ExpectedClose.Before(to) && sale.Amount.Currency == q.Currency
		if (!won && !open) || !s.inScope(sale, q.Scope) {
			return true
		}
		if won {
			out.WonUnits++
			if sale.Amount.Currency == q.Currency {
				out.WonRevenue = out.WonRevenue.Add(sale.Amount.Amount)
			}
			return true
		}
		out.OpenWeighted = out.OpenWeighted.Add(sale.Amount.Amount.Mul(decimal.NewFromInt(int64(sale.Probability))))
		return true
	})
	return out, nil
}

// inScope reports whether the sale is in the plan scope sc: its owner, its vehicle's make and model (without
// regard to case), the need type of its lead.
func (s planProgressStore) inScope(sale *sales.Sale, sc plans.Scope) bool {
	if sc.OwnerID != (crm.ID{}) && sale.OwnerID != sc.OwnerID {
		return false
	}
	if sc.Make != "" {
		row, ok := vehicleRecords.table(s.tx).get(sale.VehicleID)
		if !ok || row.dealer != sale.DealerID || !strings.EqualFold(row.v.Make, sc.Make) ||
			(sc.Model != "" && !strings.EqualFold(row.v.Model, sc.Model)) {
			return false
		}
	}
	if sc.NeedType != "" {
		l, ok := leadRecords.table(s.tx).get(sale.LeadID)
		if !ok || l.DealerID != sale.DealerID || l.NeedType != sc.NeedType {
			return false
		}
	}
	return true
}
