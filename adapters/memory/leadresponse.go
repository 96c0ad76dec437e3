package memory

import (
	"context"
	"slices"
	"sort"

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

func (s leadStore) ListOverdueResponse(ctx context.Context, q leads.OverdueQuery) (leads.LeadPage, error) {
	afterAt, afterID, err := leads.OverdueList.DecodeTime("memory.Leads.ListOverdueResponse", q.Cursor)
	if err != nil {
		return leads.LeadPage{}, err
	}
	after := func(l *leads.Lead) bool {
		if q.Cursor == "" || l.ResponseDueAt.After(afterAt) {
			return true
		}
		return l.ResponseDueAt.Equal(afterAt) && l.ID.String() > afterID.String()
	}
	out, err := leadRecords.all(ctx, s.tx, func(l *leads.Lead) bool {
		return l.ResponseOverdue(q.Now) && (!q.Unnotified || l.ResponseBreachNotifiedAt.IsZero()) && after(l)
	})
	if err != nil {
		return leads.LeadPage{}, err
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].ResponseDueAt.Equal(out[j].ResponseDueAt) {
			return out[i].ResponseDueAt.Before(out[j].ResponseDueAt)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	page := leads.LeadPage{Items: out}
	if len(out) > q.Limit {
		page.Items = out[:q.Limit]
		last := page.Items[q.Limit-1]
		page.NextCursor = leads.OverdueList.TimeCursor(last.ResponseDueAt, last.ID)
	}
	return page, nil
}
