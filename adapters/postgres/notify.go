package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// mailboxTable is the row of a dealer's mailbox settings (its id the dealer's); secrets in their own columns.
var mailboxTable = table[notify.Mailbox]{
	name: "mailboxes",
	cols: []string{"from_address", "from_name", "reply_to", "host", "port", "security", "auth", "username", "password",
		"oauth_token_url", "oauth_client_id", "oauth_secret", "oauth_refresh", "language", "prefer", "reminder_minutes"},
	meta: func(m *notify.Mailbox) *crm.Meta { return &m.Meta },
	args: func(m *notify.Mailbox) []any {
		return []any{m.FromAddress, m.FromName, m.ReplyTo, m.Host, m.Port, string(m.Security), string(m.Auth), m.Username,
			m.Password.Reveal(), m.OAuth.TokenURL, m.OAuth.ClientID, m.OAuth.ClientSecret.Reveal(),
			m.OAuth.RefreshToken.Reveal(), m.Language, string(m.Prefer), int64(m.ReminderLead / time.Minute)}
	},
	scan: func(m *notify.Mailbox) ([]any, func()) {
		var security, auth, password, secret, refresh, prefer string
		var minutes int64
		return []any{&m.FromAddress, &m.FromName, &m.ReplyTo, &m.Host, &m.Port, &security, &auth, &m.Username, &password,
				&m.OAuth.TokenURL, &m.OAuth.ClientID, &secret, &refresh, &m.Language, &prefer, &minutes}, func() {
				m.Security, m.Auth, m.Prefer = notify.Security(security), notify.AuthMethod(auth), notify.Channel(prefer)
				m.Password, m.OAuth.ClientSecret, m.OAuth.RefreshToken = notify.Secret(password), notify.Secret(secret), notify.Secret(refresh)
				m.ReminderLead = time.Duration(minutes) * time.Minute
			}
	},
}

type mailboxStore struct{ t *Tx }

// Mailboxes returns the mailbox-settings store of this unit of work.
func (t *Tx) Mailboxes() notify.MailboxStore { return mailboxStore{t} }

func (s mailboxStore) Get(ctx context.Context) (notify.Mailbox, error) {
	d, err := dealer(ctx)
	if err != nil {
		return notify.Mailbox{}, err
	}
	return mailboxTable.get(ctx, s.t, d)
}

func (s mailboxStore) Save(ctx context.Context, m *notify.Mailbox) error {
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	m.ID, m.DealerID = d, d
	if m.Version == 0 {
		return mailboxTable.create(ctx, s.t, m)
	}
	return mailboxTable.update(ctx, s.t, m)
}

var templateTable = table[notify.Template]{
	name: "message_templates",
	cols: []string{"kind", "language", "subject", "body_text", "body_html"},
	meta: func(t *notify.Template) *crm.Meta { return &t.Meta },
	args: func(t *notify.Template) []any { return []any{string(t.Kind), t.Language, t.Subject, t.Text, t.HTML} },
	scan: func(t *notify.Template) ([]any, func()) {
		var kind string
		return []any{&kind, &t.Language, &t.Subject, &t.Text, &t.HTML}, func() { t.Kind = notify.Kind(kind) }
	},
}

type templateStore struct{ t *Tx }

// Templates returns the notice-template store of this unit of work.
func (t *Tx) Templates() notify.TemplateStore { return templateStore{t} }

func (s templateStore) Find(ctx context.Context, kind notify.Kind, language string) (notify.Template, error) {
	out, err := templateTable.list(ctx, s.t, "kind = $2 AND language = $3", "id", string(kind), language)
	if err != nil {
		return notify.Template{}, err
	}
	if len(out) == 0 {
		return notify.Template{}, crm.NotFound("postgres.Templates.Find", "no %s template in %s", kind, language)
	}
	return out[0], nil
}

func (s templateStore) Save(ctx context.Context, t *notify.Template) error {
	if t.Version > 0 {
		return templateTable.update(ctx, s.t, t)
	}
	return templateTable.create(ctx, s.t, t)
}

func (s templateStore) List(ctx context.Context) ([]notify.Template, error) {
	return templateTable.list(ctx, s.t, "", "kind, language")
}

var _ notify.Stores = (*Tx)(nil)

var campaignTable = table[notify.Campaign]{
	name: "campaigns",
	cols: []string{"name", "audience_kind", "audience_days", "audience_make", "audience_model", "kind", "subject",
		"body_text", "body_html", "channel", "scheduled_at", "last_run_at", "created_by"},
	meta: func(c *notify.Campaign) *crm.Meta { return &c.Meta },
	args: func(c *notify.Campaign) []any {
		return []any{c.Name, string(c.Audience.Kind), c.Audience.Days, c.Audience.Make, c.Audience.Model, string(c.Kind),
			c.Subject, c.Text, c.HTML, string(c.Channel), salesNullTime(c.ScheduledAt), salesNullTime(c.LastRunAt), nullID(c.CreatedBy)}
	},
	scan: func(c *notify.Campaign) ([]any, func()) {
		var audience, kind, channel string
		var scheduled, lastRun sql.Null[time.Time]
		var by uuid.NullUUID
		return []any{&c.Name, &audience, &c.Audience.Days, &c.Audience.Make, &c.Audience.Model, &kind, &c.Subject, &c.Text,
				&c.HTML, &channel, &scheduled, &lastRun, &by}, func() {
				c.Audience.Kind, c.Kind, c.Channel = notify.AudienceKind(audience), notify.Kind(kind), notify.Channel(channel)
				c.ScheduledAt, c.LastRunAt, c.CreatedBy = salesTime(scheduled), salesTime(lastRun), by.UUID
			}
	},
}

var recipientTable = table[notify.Recipient]{
	name: "campaign_recipients",
	cols: []string{"campaign_id", "key", "name", "channel", "address", "status", "reason", "sent_at"},
	meta: func(r *notify.Recipient) *crm.Meta { return &r.Meta },
	args: func(r *notify.Recipient) []any {
		return []any{r.CampaignID, r.Key, r.Name, string(r.Channel), r.Address, string(r.Status), r.Reason, salesNullTime(r.SentAt)}
	},
	scan: func(r *notify.Recipient) ([]any, func()) {
		var channel, status string
		var sent sql.Null[time.Time]
		return []any{&r.CampaignID, &r.Key, &r.Name, &channel, &r.Address, &status, &r.Reason, &sent}, func() {
			r.Channel, r.Status, r.SentAt = notify.Channel(channel), notify.RecipientStatus(status), salesTime(sent)
		}
	},
}

type campaignStore struct{ t *Tx }

// Campaigns returns the campaign store of this unit of work.
func (t *Tx) Campaigns() notify.CampaignStore { return campaignStore{t} }

func (s campaignStore) Get(ctx context.Context, id crm.ID) (notify.Campaign, error) {
	return campaignTable.get(ctx, s.t, id)
}

func (s campaignStore) Create(ctx context.Context, c *notify.Campaign) error {
	return campaignTable.create(ctx, s.t, c)
}

func (s campaignStore) Update(ctx context.Context, c *notify.Campaign) error {
	return campaignTable.update(ctx, s.t, c)
}

func (s campaignStore) List(ctx context.Context) ([]notify.Campaign, error) {
	return campaignTable.list(ctx, s.t, "", "created_at DESC, id DESC")
}

// AddRecipient inserts r; the unique constraint (dealer, campaign, key) refuses a second one (crm.Duplicate).
func (s campaignStore) AddRecipient(ctx context.Context, r *notify.Recipient) error {
	return recipientTable.create(ctx, s.t, r)
}

func (s campaignStore) GetRecipient(ctx context.Context, id crm.ID) (notify.Recipient, error) {
	return recipientTable.get(ctx, s.t, id)
}

func (s campaignStore) UpdateRecipient(ctx context.Context, r *notify.Recipient) error {
	return recipientTable.update(ctx, s.t, r)
}

func (s campaignStore) ListRecipients(ctx context.Context, campaignID crm.ID) ([]notify.Recipient, error) {
	return recipientTable.list(ctx, s.t, "campaign_id = $2", "created_at, id", campaignID)
}
