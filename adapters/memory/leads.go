package memory

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

var leadRecords = records[leads.Lead]{name: "leads", meta: func(l *leads.Lead) *crm.Meta { return &l.Meta },
	external: func(l *leads.Lead) string { return l.ExternalID },
	clone:    leads.Lead.Clone, keys: func(l *leads.Lead) []string { return contactKeys(l.Contact) }}

type leadStore struct{ tx *Tx }

// Leads returns the lead store of this unit of work.
func (tx *Tx) Leads() leads.LeadStore { return leadStore{tx} }

func (s leadStore) Get(ctx context.Context, id crm.ID) (leads.Lead, error) {
	return leadRecords.get(ctx, s.tx, id)
}

func (s leadStore) Create(ctx context.Context, l *leads.Lead) error {
	return leadRecords.create(ctx, s.tx, l)
}

func (s leadStore) Update(ctx context.Context, l *leads.Lead) error {
	return leadRecords.update(ctx, s.tx, l)
}

func (s leadStore) FindByContact(ctx context.Context, phone, email string) ([]leads.Lead, error) {
	if phone == "" && email == "" {
		return nil, nil
	}
	out, err := leadRecords.find(ctx, s.tx, phoneKey(phone), emailKey(email))
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}

func (s leadStore) List(ctx context.Context, q leads.LeadQuery) (leads.LeadPage, error) {
	at, after, err := leads.LeadList.DecodeTime("memory.Leads.List", q.Cursor)
	if err != nil {
		return leads.LeadPage{}, err
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	out, err := leadRecords.all(ctx, s.tx, func(l *leads.Lead) bool {
		switch {
		case q.Stage != "" && l.Stage != q.Stage,
			q.Source != "" && l.Source != q.Source,
			q.NeedType != "" && l.NeedType != q.NeedType,
			q.OwnerID != (crm.ID{}) && l.OwnerID != q.OwnerID,
			q.CustomerID != (crm.ID{}) && l.CustomerID != q.CustomerID,
			text != "" && !strings.Contains(l.SearchText(), text),
			q.Phone != "" && !slices.ContainsFunc(l.Contact.Phones, func(p string) bool { return leads.PhoneMatches(p, q.Phone) }):
			return false
		}
		if q.Cursor != "" {
			return l.CreatedAt.Before(at) || (l.CreatedAt.Equal(at) && l.ID.String() < after.String())
		}
		return true
	})
	if err != nil {
		return leads.LeadPage{}, err
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID.String() > out[j].ID.String()
	})
	limit := crm.PageLimit(q.Limit)
	page := leads.LeadPage{Items: out}
	if len(out) > limit {
		page.Items = out[:limit]
		last := page.Items[limit-1]
		page.NextCursor = leads.LeadList.TimeCursor(last.CreatedAt, last.ID)
	}
	return page, nil
}

var _ leads.Stores = (*Tx)(nil)

// GetByExternalID implements leads.LeadStore.GetByExternalID.
func (s leadStore) GetByExternalID(ctx context.Context, externalID string) (leads.Lead, error) {
	return leadRecords.byExternal(ctx, s.tx, externalID)
}
