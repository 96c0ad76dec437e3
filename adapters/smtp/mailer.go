package smtp

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// Mailer sends e-mail through a dealer's mailbox (notify.Mailer). The zero value is ready to use; it keeps no
// connection between messages.
type Mailer struct {
	// TLSConfig is the base TLS configuration (e.g. RootCAs of a private CA); ServerName is set to the
	// mailbox's host and the minimum version to TLS 1.2. Nil: the system's roots.
	TLSConfig *tls.Config
	// Timeout bounds one message's whole exchange, connecting included, when the context has no earlier
	// deadline; default 30 s.
	Timeout time.Duration
	// LocalName is the name given in EHLO; default "localhost".
	LocalName string
	// Tokens gives XOAUTH2 access tokens; default RefreshTokens{}.
	Tokens TokenSource
	// Now dates the messages; default time.Now.
	Now func() time.Time
}

var _ notify.Mailer = (*Mailer)(nil)

// SendEmail sends e through box (see the package doc for security, login, MIME and the error rule).
func (m *Mailer) SendEmail(ctx context.Context, box notify.Mailbox, e notify.Email) (notify.Reply, error) {
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	msg, err := Compose(box, e, now())
	if err != nil {
		return notify.Reply{}, crm.Permanent(fmt.Errorf("smtp: compose: %w", err))
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", box.Addr())
	if err != nil {
		return notify.Reply{}, classify("connect", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() }) // the context's end cuts every step short
	defer stop()
	c, err := m.connect(ctx, conn, box)
	if err != nil {
		return replyOf(err), classify("connect", err)
	}
	defer c.Close()
	if err := m.login(ctx, c, box); err != nil {
		return replyOf(err), classify("auth", err)
	}
	if err := c.Mail(box.FromAddress, nil); err != nil {
		return replyOf(err), classify("MAIL FROM", err)
	}
	if err := c.Rcpt(e.To, nil); err != nil {
		return replyOf(err), classify("RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return replyOf(err), classify("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return replyOf(err), classify("DATA", err)
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return replyOf(err), classify("DATA", err)
	}
	_ = c.Quit()
	return notify.Reply{Code: 250, Text: resp.StatusText}, nil
}

// connect says hello over conn, upgrading with STARTTLS or starting with TLS as box says.
func (m *Mailer) connect(ctx context.Context, conn net.Conn, box notify.Mailbox) (*gosmtp.Client, error) {
	var err error
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if m.TLSConfig != nil {
		cfg = m.TLSConfig.Clone()
		if cfg.MinVersion < tls.VersionTLS12 {
			cfg.MinVersion = tls.VersionTLS12
		}
	}
	cfg.ServerName = box.Host
	var c *gosmtp.Client
	switch box.Security {
	case notify.ImplicitTLS:
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		c = gosmtp.NewClient(tc)
	case notify.NoTLS:
		c = gosmtp.NewClient(conn)
	default:
		c, err = gosmtp.NewClientStartTLS(conn, cfg)
		if err != nil {
			return nil, err
		}
	}
	step := time.Until(deadline(ctx))
	c.CommandTimeout, c.SubmissionTimeout = step, step
	local := m.LocalName
	if local == "" {
		local = "localhost"
	}
	if err := c.Hello(local); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

func deadline(ctx context.Context) time.Time {
	if dl, ok := ctx.Deadline(); ok {
		return dl
	}
	return time.Now().Add(30 * time.Second)
}

// login authenticates as box says.
func (m *Mailer) login(ctx context.Context, c *gosmtp.Client, box notify.Mailbox) error {
	var a sasl.Client
	switch box.Auth {
	case notify.AuthNone, "":
		return nil
	case notify.AuthPlain:
		a = sasl.NewPlainClient("", box.Username, box.Password.Reveal())
	case notify.AuthLogin:
		a = &loginClient{user: box.Username, password: box.Password.Reveal()}
	case notify.AuthXOAuth2:
		tokens := m.Tokens
		if tokens == nil {
			tokens = RefreshTokens{}
		}
		tok, err := tokens.AccessToken(ctx, box)
		if err != nil {
			return err
		}
		a = NewXOAuth2Client(box.Username, tok)
	default:
		return crm.Permanent(fmt.Errorf("unknown auth method %q", box.Auth))
	}
	return c.Auth(a)
}

// loginClient is AUTH LOGIN answering the server's "Username:" and "Password:" challenges in either order.
type loginClient struct{ user, password string }

func (a *loginClient) Start() (string, []byte, error) { return sasl.Login, nil, nil }

func (a *loginClient) Next(challenge []byte) ([]byte, error) {
	switch c := strings.ToLower(strings.TrimSpace(string(challenge))); {
	case strings.HasPrefix(c, "username"):
		return []byte(a.user), nil
	case strings.HasPrefix(c, "password"):
		return []byte(a.password), nil
	}
	return nil, sasl.ErrUnexpectedServerChallenge
}

// replyOf is the server's answer carried by err, if any.
func replyOf(err error) notify.Reply {
	var se *gosmtp.SMTPError
	if errors.As(err, &se) {
		return notify.Reply{Code: se.Code, Text: se.Message}
	}
	return notify.Reply{}
}

// classify wraps err with the step that failed and marks what retrying cannot cure as permanent: a 5xx answer,
// a server without STARTTLS when it is required, a certificate that does not verify.
func classify(step string, err error) error {
	wrapped := fmt.Errorf("smtp %s: %w", step, err)
	var se *gosmtp.SMTPError
	if errors.As(err, &se) {
		if se.Code >= 500 {
			return crm.Permanent(wrapped)
		}
		return wrapped
	}
	var ce *tls.CertificateVerificationError
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	if errors.As(err, &ce) || errors.As(err, &ue) || errors.As(err, &he) || crm.IsPermanent(err) ||
		bytes.Contains([]byte(err.Error()), []byte("doesn't support STARTTLS")) {
		return crm.Permanent(wrapped)
	}
	return wrapped
}
