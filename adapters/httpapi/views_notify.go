package httpapi

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// mailboxIn is the body of PUT /api/v1/mailbox. Secrets are write-only: the member absent keeps the stored one,
// null removes it, a string replaces it; no answer ever contains them.
type mailboxIn struct {
	FromAddress         string  `json:"from_address" oa:"required" max:"254" doc:"the sender's address, e.g. info@dealer.ru"`
	FromName            string  `json:"from_name,omitempty" max:"200" doc:"the sender's display name (UTF-8)"`
	ReplyTo             string  `json:"reply_to,omitempty" max:"254"`
	Host                string  `json:"host" oa:"required" max:"253" doc:"the SMTP server, e.g. smtp.gmail.com"`
	Port                int     `json:"port,omitempty" doc:"default: 587 for starttls, 465 for tls, 25 for none"`
	Security            string  `json:"security,omitempty" enum:"MailSecurity" doc:"default starttls"`
	Auth                string  `json:"auth,omitempty" enum:"MailAuth" doc:"default none"`
	Username            string  `json:"username,omitempty" max:"254"`
	Password            *string `json:"password,omitempty" max:"1000" doc:"write-only: the password or app password (plain, login); absent: kept, null: removed, a string: replaced"`
	OAuthTokenURL       string  `json:"oauth_token_url,omitempty" max:"500" doc:"xoauth2: the token endpoint, e.g. https://oauth2.googleapis.com/token"`
	OAuthClientID       string  `json:"oauth_client_id,omitempty" max:"500"`
	OAuthClientSecret   *string `json:"oauth_client_secret,omitempty" max:"1000" doc:"write-only; absent: kept, null: removed, a string: replaced"`
	OAuthRefreshToken   *string `json:"oauth_refresh_token,omitempty" max:"2000" doc:"write-only; absent: kept, null: removed, a string: replaced"`
	Language            string  `json:"language,omitempty" max:"2" doc:"ru or en: the language of the dealer's notices; default ru"`
	Prefer              string  `json:"prefer,omitempty" enum:"Channel" doc:"the channel for a contact with both an e-mail and a phone; default email"`
	ReminderLeadMinutes int     `json:"reminder_lead_minutes,omitempty" doc:"how long before a test drive or service appointment its reminder goes; default 1440"`
}

// input is the change in asks for; body is the JSON it was decoded from, which tells a secret member that is
// null (removed: an empty secret) from one that is absent (kept: nil). An empty string is refused: null removes.
func (in mailboxIn) input(body []byte) (notify.MailboxInput, error) {
	nulls := nullMembers(body)
	var p crm.Problems
	secret := func(name string, s *string) *notify.Secret {
		var v notify.Secret
		switch {
		case nulls[name]:
			return &v
		case s == nil:
			return nil
		case *s == "":
			p.Add(name, "is empty: send null to remove the stored secret, or leave the member out to keep it")
		}
		v = notify.Secret(*s)
		return &v
	}
	out := notify.MailboxInput{FromAddress: in.FromAddress, FromName: in.FromName, ReplyTo: in.ReplyTo, Host: in.Host,
		Port: in.Port, Security: notify.Security(in.Security), Auth: notify.AuthMethod(in.Auth), Username: in.Username,
		Password: secret("password", in.Password), OAuthTokenURL: in.OAuthTokenURL, OAuthClientID: in.OAuthClientID,
		OAuthSecret: secret("oauth_client_secret", in.OAuthClientSecret), OAuthRefresh: secret("oauth_refresh_token", in.OAuthRefreshToken),
		Language: in.Language, Prefer: notify.Channel(in.Prefer), ReminderLeadMins: in.ReminderLeadMinutes}
	return out, p.Err("httpapi")
}

// mailboxOut is the mailbox as answers show it: every setting, and whether each secret is set — never a secret.
type mailboxOut struct {
	Configured          bool   `json:"configured" doc:"false until PUT: the defaults are shown and no e-mail is sent through it"`
	FromAddress         string `json:"from_address"`
	FromName            string `json:"from_name"`
	ReplyTo             string `json:"reply_to"`
	Host                string `json:"host"`
	Port                int    `json:"port"`
	Security            string `json:"security" enum:"MailSecurity"`
	Auth                string `json:"auth" enum:"MailAuth"`
	Username            string `json:"username"`
	PasswordSet         bool   `json:"password_set" doc:"a password is stored (it is never shown)"`
	OAuthTokenURL       string `json:"oauth_token_url"`
	OAuthClientID       string `json:"oauth_client_id"`
	OAuthClientSecret   bool   `json:"oauth_client_secret_set"`
	OAuthRefreshToken   bool   `json:"oauth_refresh_token_set"`
	Language            string `json:"language"`
	Prefer              string `json:"prefer" enum:"Channel"`
	ReminderLeadMinutes int    `json:"reminder_lead_minutes"`
	Version             int64  `json:"version" doc:"0 while none is stored"`
	UpdatedAt           *stamp `json:"updated_at"`
}

func mailboxView(m notify.Mailbox) mailboxOut {
	out := mailboxOut{Configured: m.Configured(), FromAddress: m.FromAddress, FromName: m.FromName, ReplyTo: m.ReplyTo,
		Host: m.Host, Port: m.Port, Security: string(m.Security), Auth: string(m.Auth), Username: m.Username,
		PasswordSet: m.Password.IsSet(), OAuthTokenURL: m.OAuth.TokenURL, OAuthClientID: m.OAuth.ClientID,
		OAuthClientSecret: m.OAuth.ClientSecret.IsSet(), OAuthRefreshToken: m.OAuth.RefreshToken.IsSet(),
		Language: m.Language, Prefer: string(m.Prefer), ReminderLeadMinutes: int(m.ReminderLead / time.Minute), Version: m.Version}
	if m.Version > 0 {
		out.UpdatedAt = stampPtr(&m.UpdatedAt)
	}
	return out
}

// mailboxTestIn is the body of POST /api/v1/mailbox/test.
type mailboxTestIn struct {
	To string `json:"to,omitempty" max:"254" doc:"where the test message goes; default: the mailbox's own address"`
}

// mailboxTestOut is the SMTP server's answer to the test message.
type mailboxTestOut struct {
	Sent      bool   `json:"sent" doc:"the server accepted the message"`
	Code      int    `json:"code" doc:"the SMTP reply code (250, 421, 535, 550, ...); 0 when the server was not reached"`
	Message   string `json:"message" doc:"the server's reply text, or why it was not reached"`
	MessageID crm.ID `json:"message_id" doc:"the test message's ID; its Message-ID header is derived from it"`
}

// templateIn is the body of PUT /api/v1/templates/{kind}/{language} and of the preview.
type templateIn struct {
	Subject string `json:"subject" oa:"required" max:"300" doc:"text/template over the facts, e.g. Тест-драйв {{.date}}"`
	Text    string `json:"text" oa:"required" max:"20000" doc:"the text/plain body (text/template)"`
	HTML    string `json:"html,omitempty" max:"50000" doc:"the text/html body (html/template: values are escaped); empty: the text as paragraphs"`
}

// templatePreviewIn is the body of POST /api/v1/templates/preview.
type templatePreviewIn struct {
	Kind     string            `json:"kind" oa:"required" enum:"NoticeKind"`
	Language string            `json:"language" oa:"required" max:"2" doc:"ru or en"`
	Subject  string            `json:"subject,omitempty" max:"300" doc:"default: the template in use"`
	Text     string            `json:"text,omitempty" max:"20000"`
	HTML     string            `json:"html,omitempty" max:"50000"`
	Facts    map[string]string `json:"facts,omitempty" doc:"the values to render with; default: sample facts"`
}

// templateOut is a template in use.
type templateOut struct {
	Kind      string `json:"kind" enum:"NoticeKind"`
	Language  string `json:"language"`
	Subject   string `json:"subject"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
	Default   bool   `json:"default" doc:"the shipped default (the dealer stored none)"`
	Version   int64  `json:"version" doc:"0 for the default"`
	UpdatedAt *stamp `json:"updated_at"`
}

func templateView(t notify.Template) templateOut {
	out := templateOut{Kind: string(t.Kind), Language: t.Language, Subject: t.Subject, Text: t.Text, HTML: t.HTML,
		Default: t.Version == 0, Version: t.Version}
	if t.Version > 0 {
		out.UpdatedAt = stampPtr(&t.UpdatedAt)
	}
	return out
}

// templatesOut answers GET /api/v1/templates: every kind in every language.
type templatesOut struct {
	Items []templateOut `json:"items"`
}

// renderedOut is a rendered preview.
type renderedOut struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
}

// audienceIO is a campaign's audience filter.
type audienceIO struct {
	Kind  string `json:"kind" oa:"required" enum:"AudienceKind"`
	Days  int    `json:"days,omitempty" doc:"test_drive_soon, maintenance_due, warranty_expiring: the horizon in days (0–3660)"`
	Make  string `json:"make,omitempty" max:"100" doc:"bought_model: the make (case-insensitive)"`
	Model string `json:"model,omitempty" max:"100" doc:"bought_model: the model, optional"`
}

// campaignIn is the body of POST /api/v1/campaigns.
type campaignIn struct {
	Name        string     `json:"name" oa:"required" max:"200"`
	Audience    audienceIO `json:"audience" oa:"required"`
	Kind        string     `json:"kind,omitempty" enum:"NoticeKind" doc:"the dealer's template used when the campaign has none of its own; default by audience"`
	Subject     string     `json:"subject,omitempty" max:"300" doc:"the campaign's own template (text/template over the facts: {{.name}}, {{.vehicle}}, {{.date}}, {{.unsubscribe_url}}, ...)"`
	Text        string     `json:"text,omitempty" max:"20000"`
	HTML        string     `json:"html,omitempty" max:"50000"`
	Channel     string     `json:"channel,omitempty" enum:"Channel" doc:"only this channel; default: per contact"`
	ScheduledAt *string    `json:"scheduled_at,omitempty" format:"date-time" doc:"runs by itself from then (RFC 3339); absent: run it with POST .../run"`
}

// campaignOut is a campaign as answers show it.
type campaignOut struct {
	ID          crm.ID     `json:"id"`
	Name        string     `json:"name"`
	Audience    audienceIO `json:"audience"`
	Kind        string     `json:"kind" enum:"NoticeKind"`
	Subject     string     `json:"subject"`
	Text        string     `json:"text"`
	HTML        string     `json:"html"`
	Channel     string     `json:"channel"`
	ScheduledAt *stamp     `json:"scheduled_at"`
	LastRunAt   *stamp     `json:"last_run_at"`
	Version     int64      `json:"version"`
	CreatedAt   stamp      `json:"created_at"`
}

func campaignView(c notify.Campaign) campaignOut {
	out := campaignOut{ID: c.ID, Name: c.Name, Audience: audienceIO{Kind: string(c.Audience.Kind), Days: c.Audience.Days,
		Make: c.Audience.Make, Model: c.Audience.Model}, Kind: string(c.Kind), Subject: c.Subject, Text: c.Text, HTML: c.HTML,
		Channel: string(c.Channel), Version: c.Version, CreatedAt: stamp(c.CreatedAt)}
	if !c.ScheduledAt.IsZero() {
		out.ScheduledAt = stampPtr(&c.ScheduledAt)
	}
	if !c.LastRunAt.IsZero() {
		out.LastRunAt = stampPtr(&c.LastRunAt)
	}
	return out
}

// campaignsOut answers GET /api/v1/campaigns.
type campaignsOut struct {
	Items []campaignOut `json:"items"`
}

// runOut answers POST /api/v1/campaigns/{id}/run.
type runOut struct {
	Queued  int `json:"queued" doc:"new recipients whose message was queued"`
	Skipped int `json:"skipped" doc:"new recipients skipped (unsubscribed, no address)"`
	Already int `json:"already" doc:"people the campaign had been run for before: nothing is sent to them again"`
}

// recipientOut is one recipient of a campaign.
type recipientOut struct {
	ID      crm.ID `json:"id" doc:"also the ID of its outbox message"`
	Key     string `json:"key" doc:"lead:<id> or customer:<id>"`
	Name    string `json:"name"`
	Channel string `json:"channel"`
	Address string `json:"address"`
	Status  string `json:"status" enum:"RecipientStatus"`
	Reason  string `json:"reason" doc:"why skipped, or the last failure"`
	SentAt  *stamp `json:"sent_at"`
}

// recipientsOut answers GET /api/v1/campaigns/{id}/recipients.
type recipientsOut struct {
	Items []recipientOut `json:"items"`
}

// unsubscribedOut answers GET and POST /api/v1/unsubscribe. It names no address.
type unsubscribedOut struct {
	Unsubscribed bool   `json:"unsubscribed"`
	Channel      string `json:"channel" enum:"Channel" doc:"the channel the contact withdrew consent on, for every purpose"`
	Already      bool   `json:"already" doc:"consent on the channel had been withdrawn before"`
}

func unsubscribedView(u notify.Unsubscribed) unsubscribedOut {
	return unsubscribedOut{Unsubscribed: true, Channel: string(u.Channel), Already: u.Already}
}

// unsubscribeOneClickIn is the form body of the RFC 8058 one-click POST.
type unsubscribeOneClickIn struct {
	ListUnsubscribe string `json:"List-Unsubscribe" oa:"required" max:"20" doc:"One-Click"`
}
