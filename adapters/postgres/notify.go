package postgres

import (
	"context"
	"time"

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
