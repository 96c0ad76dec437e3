package memory

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// responsePolicyRecords keeps one response policy per dealer, under the dealer's ID.
var responsePolicyRecords = records[leads.ResponsePolicy]{name: "lead_response_policies",
	meta: func(p *leads.ResponsePolicy) *crm.Meta { return &p.Meta },
	clone: func(p leads.ResponsePolicy) leads.ResponsePolicy {
		p.Weekdays = slices.Clone(p.Weekdays)
		return p
	}}

type responsePolicyStore struct{ tx *Tx }

// ResponsePolicies returns the lead response policy store of this unit of work.
func (tx *Tx) ResponsePolicies() leads.ResponsePolicyStore { return responsePolicyStore{tx} }

func (s responsePolicyStore) Get(ctx context.Context) (leads.ResponsePolicy, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return leads.ResponsePolicy{}, err
	}
	p, err := responsePolicyRecords.get(ctx, s.tx, d)
	if err != nil {
		return leads.ResponsePolicy{}, crm.NotFound("memory.ResponsePolicies.Get", "the dealer has no response policy")
	}
	return p, nil
}

func (s responsePolicyStore) Save(ctx context.Context, p *leads.ResponsePolicy) error {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	p.ID, p.DealerID = d, d
	if p.Version == 0 {
		return responsePolicyRecords.create(ctx, s.tx, p)
	}
	return responsePolicyRecords.update(ctx, s.tx, p)
}

func (s leadStore) ListOverdueResponse(ctx context.Context, now time.Time, unnotified bool, limit int) ([]leads.Lead, error) {
	out, err := leadRecords.all(ctx, s.tx, func(l *leads.Lead) bool {
		return l.ResponseOverdue(now) && (!unnotified || l.ResponseBreachNotifiedAt.IsZero())
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].ResponseDueAt.Equal(out[j].ResponseDueAt) {
			return out[i].ResponseDueAt.Before(out[j].ResponseDueAt)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
