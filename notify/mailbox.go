package notify

import (
	"context"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Security is how the connection to the SMTP server is protected.
type Security string

// The security modes.
const (
	StartTLS    Security = "starttls" // plain connection upgraded with STARTTLS (port 587); refused if the server cannot
	ImplicitTLS Security = "tls"      // TLS from the first byte (port 465)
	// NoTLS sends in the clear: only for a local catcher (the example server's -smtp-catcher). Credentials are
	// never sent without TLS.
	NoTLS Security = "none"
)

// Securities lists the security modes.
func Securities() []Security { return []Security{StartTLS, ImplicitTLS, NoTLS} }

// AuthMethod is how the sender logs in to the SMTP server.
type AuthMethod string

// The authentication methods.
const (
	AuthNone    AuthMethod = "none"    // no login (a relay that trusts the network, a local catcher)
	AuthPlain   AuthMethod = "plain"   // AUTH PLAIN with user name and password (or app password)
	AuthLogin   AuthMethod = "login"   // AUTH LOGIN with user name and password
	AuthXOAuth2 AuthMethod = "xoauth2" // AUTH XOAUTH2 with an access token from the OAuth token source (Google)
)

// AuthMethods lists the authentication methods.
func AuthMethods() []AuthMethod { return []AuthMethod{AuthNone, AuthPlain, AuthLogin, AuthXOAuth2} }

// Channel is how a message reaches a person.
type Channel string

// The channels.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
)

// Channels lists the channels.
func Channels() []Channel { return []Channel{ChannelEmail, ChannelSMS} }

// OAuth is where an XOAUTH2 login gets its access tokens: the refresh-token grant at TokenURL (Google:
// https://oauth2.googleapis.com/token) with the client's ID and secret.
type OAuth struct {
	TokenURL     string
	ClientID     string
	ClientSecret Secret
	RefreshToken Secret
}

// Mailbox is a dealer's notice settings, stored with the dealer (its ID is the dealer's ID): the corporate mailbox
// notices are sent from — sender, SMTP server, security and login — and how notices are addressed: the language
// of the templates, the channel used when a contact has both an e-mail and a phone, and how long before a booking
// its reminder goes. Its secrets (Password, OAuth.ClientSecret, OAuth.RefreshToken) are write-only: see Secret.
type Mailbox struct {
	crm.Meta
	FromAddress string
	FromName    string
	ReplyTo     string
	Host        string
	Port        int
	Security    Security
	Auth        AuthMethod
	Username    string
	Password    Secret // PLAIN and LOGIN: the password or app password
	OAuth       OAuth  // XOAUTH2
	// Language is the language of the dealer's notices ("ru" or "en"); default "ru".
	Language string
	// Prefer is the channel of a contact with both an e-mail and a phone; default ChannelEmail.
	Prefer Channel
	// ReminderLead is how long before a test drive or service appointment its reminder is sent; default 24 h.
	ReminderLead time.Duration
}

// Languages lists the languages of the shipped templates.
func Languages() []string { return []string{"ru", "en"} }

// DefaultReminderLead is the reminder lead time of a dealer that sets none.
const DefaultReminderLead = 24 * time.Hour

// Configured reports whether the mailbox has been stored (a dealer without one sends no e-mail of its own).
func (m Mailbox) Configured() bool { return m.Version > 0 && m.Host != "" }

// Addr returns host:port.
func (m Mailbox) Addr() string {
	return net.JoinHostPort(strings.TrimSpace(m.Host), strconv.Itoa(m.Port))
}

// MailboxInput is a change of the mailbox settings. Secrets are replaced, never read: a nil secret keeps the
// stored one, a non-nil one replaces it, and a non-nil empty one removes it (over HTTP: the member absent, a
// string, null). Choosing AuthNone removes every secret; PLAIN and LOGIN remove the OAuth ones, XOAUTH2 the
// password.
type MailboxInput struct {
	FromAddress      string
	FromName         string
	ReplyTo          string
	Host             string
	Port             int
	Security         Security
	Auth             AuthMethod
	Username         string
	Password         *Secret
	OAuthTokenURL    string
	OAuthClientID    string
	OAuthSecret      *Secret
	OAuthRefresh     *Secret
	Language         string
	Prefer           Channel
	ReminderLeadMins int
}

// stray records a secret given for another authentication method than in's (a password with xoauth2, an OAuth
// secret with plain or login, any secret with none): it would be dropped, so it is refused rather than taken
// silently. Removing one (a non-nil empty secret) is always allowed.
func (in MailboxInput) stray(p *crm.Problems) {
	given := func(s *Secret) bool { return s != nil && s.IsSet() }
	usesPassword := in.Auth == AuthPlain || in.Auth == AuthLogin
	if given(in.Password) && !usesPassword {
		p.Add("password", "is not used with auth %q", in.Auth)
	}
	if given(in.OAuthSecret) && in.Auth != AuthXOAuth2 {
		p.Add("oauth_client_secret", "is not used with auth %q", in.Auth)
	}
	if given(in.OAuthRefresh) && in.Auth != AuthXOAuth2 {
		p.Add("oauth_refresh_token", "is not used with auth %q", in.Auth)
	}
}

// apply returns cur changed by in (secrets kept unless replaced), not yet validated.
func (in MailboxInput) apply(cur Mailbox) Mailbox {
	next := cur
	next.FromAddress, next.FromName, next.ReplyTo = strings.TrimSpace(in.FromAddress), strings.TrimSpace(in.FromName), strings.TrimSpace(in.ReplyTo)
	next.Host, next.Port, next.Security, next.Auth = strings.TrimSpace(in.Host), in.Port, in.Security, in.Auth
	next.Username = strings.TrimSpace(in.Username)
	next.OAuth.TokenURL, next.OAuth.ClientID = strings.TrimSpace(in.OAuthTokenURL), strings.TrimSpace(in.OAuthClientID)
	if in.Password != nil {
		next.Password = *in.Password
	}
	if in.OAuthSecret != nil {
		next.OAuth.ClientSecret = *in.OAuthSecret
	}
	if in.OAuthRefresh != nil {
		next.OAuth.RefreshToken = *in.OAuthRefresh
	}
	switch next.Auth {
	case AuthNone, "":
		next.Password, next.OAuth = "", OAuth{}
	case AuthPlain, AuthLogin:
		next.OAuth = OAuth{}
	case AuthXOAuth2:
		next.Password = ""
	}
	next.Language, next.Prefer = in.Language, in.Prefer
	next.ReminderLead = time.Duration(in.ReminderLeadMins) * time.Minute
	return next
}

// withDefaults fills the optional settings.
func (m Mailbox) withDefaults() Mailbox {
	if m.Security == "" {
		m.Security = StartTLS
	}
	if m.Auth == "" {
		m.Auth = AuthNone
	}
	if m.Port == 0 {
		switch m.Security {
		case ImplicitTLS:
			m.Port = 465
		case NoTLS:
			m.Port = 25
		default:
			m.Port = 587
		}
	}
	if m.Language == "" {
		m.Language = "ru"
	}
	if m.Prefer == "" {
		m.Prefer = ChannelEmail
	}
	if m.ReminderLead == 0 {
		m.ReminderLead = DefaultReminderLead
	}
	return m
}

// Validate checks the settings and names every wrong field. The messages never quote a secret.
func (m Mailbox) Validate() error {
	var p crm.Problems
	if !validAddress(m.FromAddress) {
		p.Add("from_address", "is not an e-mail address")
	}
	if m.ReplyTo != "" && !validAddress(m.ReplyTo) {
		p.Add("reply_to", "is not an e-mail address")
	}
	if len(m.FromName) > 200 {
		p.Add("from_name", "is longer than 200 characters")
	}
	if m.Host == "" || strings.ContainsAny(m.Host, " /:@") || len(m.Host) > 253 {
		p.Add("host", "must be a host name or address")
	}
	if m.Port < 1 || m.Port > 65535 {
		p.Add("port", "must be between 1 and 65535")
	}
	switch m.Security {
	case StartTLS, ImplicitTLS, NoTLS:
	default:
		p.Add("security", "must be one of starttls, tls, none")
	}
	switch m.Auth {
	case AuthNone:
	case AuthPlain, AuthLogin:
		p.Require("username", m.Username)
		if !m.Password.IsSet() {
			p.Add("password", "is required for %s (it is kept from before when not given)", m.Auth)
		}
	case AuthXOAuth2:
		p.Require("username", m.Username)
		if !strings.HasPrefix(m.OAuth.TokenURL, "https://") && !strings.HasPrefix(m.OAuth.TokenURL, "http://") {
			p.Add("oauth_token_url", "must be an http(s) URL")
		}
		p.Require("oauth_client_id", m.OAuth.ClientID)
		if !m.OAuth.RefreshToken.IsSet() {
			p.Add("oauth_refresh_token", "is required for xoauth2 (it is kept from before when not given)")
		}
	default:
		p.Add("auth", "must be one of none, plain, login, xoauth2")
	}
	if m.Auth != AuthNone && m.Security == NoTLS {
		p.Add("security", "credentials are never sent without TLS: use starttls or tls")
	}
	if m.Language != "ru" && m.Language != "en" {
		p.Add("language", "must be ru or en")
	}
	if m.Prefer != ChannelEmail && m.Prefer != ChannelSMS {
		p.Add("prefer", "must be email or sms")
	}
	if m.ReminderLead < 0 || m.ReminderLead > 14*24*time.Hour {
		p.Add("reminder_lead_minutes", "must be between 1 minute and 14 days")
	}
	return p.Err("notify.Mailbox")
}

func validAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// MailboxStore keeps the context's dealer's mailbox settings.
type MailboxStore interface {
	// Get returns the dealer's settings; KindNotFound when none are stored.
	Get(ctx context.Context) (Mailbox, error)
	// Save stores m for the context's dealer (its ID becomes the dealer's): a first save needs Version 0 and makes
	// it 1 (KindConflict if one is stored already); a later one needs the stored version and bumps it
	// (KindStaleVersion otherwise).
	Save(ctx context.Context, m *Mailbox) error
}
