package memory

import (
	"context"
	"errors"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

var mailboxRecords = records[notify.Mailbox]{name: "mailboxes",
	meta: func(m *notify.Mailbox) *crm.Meta { return &m.Meta }}

type mailboxStore struct{ tx *Tx }

// Mailboxes returns the mailbox-settings store of this unit of work.
func (tx *Tx) Mailboxes() notify.MailboxStore { return mailboxStore{tx} }

func (s mailboxStore) Get(ctx context.Context) (notify.Mailbox, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return notify.Mailbox{}, err
	}
	m, err := mailboxRecords.get(ctx, s.tx, d)
	if err != nil {
		return notify.Mailbox{}, crm.NotFound("memory.Mailboxes.Get", "the dealer has no mailbox settings")
	}
	return m, nil
}

func (s mailboxStore) Save(ctx context.Context, m *notify.Mailbox) error {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	m.ID, m.DealerID = d, d
	if m.Version == 0 {
		return mailboxRecords.create(ctx, s.tx, m)
	}
	return mailboxRecords.update(ctx, s.tx, m)
}

var templateRecords = records[notify.Template]{name: "message_templates",
	meta: func(t *notify.Template) *crm.Meta { return &t.Meta }}

type templateStore struct{ tx *Tx }

// Templates returns the notice-template store of this unit of work.
func (tx *Tx) Templates() notify.TemplateStore { return templateStore{tx} }

func (s templateStore) Find(ctx context.Context, kind notify.Kind, language string) (notify.Template, error) {
	out, err := templateRecords.all(ctx, s.tx, func(t *notify.Template) bool { return t.Kind == kind && t.Language == language })
	if err != nil {
		return notify.Template{}, err
	}
	if len(out) == 0 {
		return notify.Template{}, crm.NotFound("memory.Templates.Find", "no %s template in %s", kind, language)
	}
	return out[0], nil
}

func (s templateStore) Save(ctx context.Context, t *notify.Template) error {
	if t.Version > 0 {
		return templateRecords.update(ctx, s.tx, t)
	}
	_, err := s.Find(ctx, t.Kind, t.Language)
	if err == nil {
		return crm.Duplicate("memory.Templates.Save", "the dealer has a %s template in %s", t.Kind, t.Language)
	}
	if !errors.Is(err, crm.ErrNotFound) {
		return err
	}
	return templateRecords.create(ctx, s.tx, t)
}

func (s templateStore) List(ctx context.Context) ([]notify.Template, error) {
	out, err := templateRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Language < out[j].Language
	})
	return out, err
}

var _ notify.Stores = (*Tx)(nil)

var campaignRecords = records[notify.Campaign]{name: "campaigns",
	meta: func(c *notify.Campaign) *crm.Meta { return &c.Meta }}

var recipientRecords = records[notify.Recipient]{name: "campaign_recipients",
	meta: func(r *notify.Recipient) *crm.Meta { return &r.Meta }}

type campaignStore struct{ tx *Tx }

// Campaigns returns the campaign store of this unit of work.
func (tx *Tx) Campaigns() notify.CampaignStore { return campaignStore{tx} }

func (s campaignStore) Get(ctx context.Context, id crm.ID) (notify.Campaign, error) {
	return campaignRecords.get(ctx, s.tx, id)
}

func (s campaignStore) Create(ctx context.Context, c *notify.Campaign) error {
	return campaignRecords.create(ctx, s.tx, c)
}

func (s campaignStore) Update(ctx context.Context, c *notify.Campaign) error {
	return campaignRecords.update(ctx, s.tx, c)
}

func (s campaignStore) List(ctx context.Context) ([]notify.Campaign, error) {
	out, err := campaignRecords.all(ctx, s.tx, nil)
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID.String() > out[j].ID.String()
	})
	return out, err
}

// AddRecipient holds one recipient per campaign and key, as PostgreSQL's unique constraint does.
func (s campaignStore) AddRecipient(ctx context.Context, r *notify.Recipient) error {
	same, err := recipientRecords.all(ctx, s.tx, func(x *notify.Recipient) bool {
		return x.CampaignID == r.CampaignID && x.Key == r.Key
	})
	if err != nil {
		return err
	}
	if len(same) > 0 {
		return crm.Duplicate("memory.Campaigns.AddRecipient", "the campaign has a recipient %s", r.Key)
	}
	return recipientRecords.create(ctx, s.tx, r)
}

func (s campaignStore) GetRecipient(ctx context.Context, id crm.ID) (notify.Recipient, error) {
	return recipientRecords.get(ctx, s.tx, id)
}

func (s campaignStore) UpdateRecipient(ctx context.Context, r *notify.Recipient) error {
	return recipientRecords.update(ctx, s.tx, r)
}

func (s campaignStore) ListRecipients(ctx context.Context, campaignID crm.ID) ([]notify.Recipient, error) {
	out, err := recipientRecords.all(ctx, s.tx, func(r *notify.Recipient) bool { return r.CampaignID == campaignID })
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}
