package smtp_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/adapters/smtp"
	"github.com/dealercrm/dealercrm/adapters/smtp/smtptest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

func email() notify.Email {
	return notify.Email{MessageID: crm.NewID(), To: "ivan@example.ru", ToName: "Иван Петров",
		Subject: "Тест-драйв Lada Vesta 15.12.2026 в 11:30 — ждём вас в салоне «Север» с новым автомобилем",
		Text:    "Здравствуйте, Иван!\n\nВы записаны на тест-драйв.\n",
		HTML:    "<p>Здравствуйте, Иван!</p><p>Вы записаны на тест-драйв.</p>"}
}

// TestSendsOverTLSWithEachLogin sends through a real SMTP server with STARTTLS and with implicit TLS, logging in
// with PLAIN, LOGIN and XOAUTH2: the server receives one message with the Cyrillic subject and both parts intact
// and the Message-ID derived from the outbox message ID, over TLS, as the user.
func TestSendsOverTLSWithEachLogin(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		for _, auth := range []notify.AuthMethod{notify.AuthPlain, notify.AuthLogin, notify.AuthXOAuth2} {
			name := string(auth) + map[bool]string{false: "/starttls", true: "/tls"}[implicit]
			t.Run(name, func(t *testing.T) {
				srv := smtptest.Start(t, implicit, nil)
				e := email()
				reply, err := srv.Mailer().SendEmail(context.Background(), srv.Box(auth), e)
				require.NoError(t, err)
				assert.Equal(t, 250, reply.Code)
				got := srv.Messages()
				require.Len(t, got, 1)
				m := got[0]
				assert.Equal(t, e.Subject, m.Subject)
				assert.Equal(t, strings.ReplaceAll(e.Text, "\n", "\r\n"), m.Text)
				assert.Equal(t, e.HTML, m.HTML)
				assert.Equal(t, "<"+e.MessageID.String()+"@sever-auto.ru>", m.MessageID)
				assert.Equal(t, smtp.MessageID(e.MessageID, smtptest.User), m.MessageID)
				assert.True(t, m.TLS)
				assert.Equal(t, smtptest.User, m.User)
				assert.Equal(t, []string{"ivan@example.ru"}, m.To)
				assert.Contains(t, string(m.Raw), "Subject: =?utf-8?q?")
				assert.Contains(t, string(m.Raw), "Content-Type: multipart/alternative")
				for _, line := range strings.Split(string(m.Raw), "\r\n") {
					assert.LessOrEqual(t, len(line), 998, "a line longer than SMTP allows")
					for _, r := range line {
						require.Less(t, r, rune(128), "a raw 8-bit byte in %q", line)
					}
				}
			})
		}
	}
}

// TestResendKeepsTheMessageID: two attempts of one outbox message carry one Message-ID.
func TestResendKeepsTheMessageID(t *testing.T) {
	srv := smtptest.Start(t, false, nil)
	e := email()
	for range 2 {
		_, err := srv.Mailer().SendEmail(context.Background(), srv.Box(notify.AuthPlain), e)
		require.NoError(t, err)
	}
	got := srv.Messages()
	require.Len(t, got, 2)
	assert.Equal(t, got[0].MessageID, got[1].MessageID)
}

// TestRefusalsArePermanentOrTemporaryByCode: a 5xx answer (a wrong password, a refused recipient) is permanent
// with the server's code and text; a 4xx one is temporary; the password never appears in the error.
func TestRefusalsArePermanentOrTemporaryByCode(t *testing.T) {
	t.Run("wrong password 535", func(t *testing.T) {
		srv := smtptest.Start(t, false, nil)
		box := srv.Box(notify.AuthPlain)
		box.Password = "wrong-password-xyz"
		reply, err := srv.Mailer().SendEmail(context.Background(), box, email())
		require.Error(t, err)
		assert.True(t, crm.IsPermanent(err))
		assert.Equal(t, 535, reply.Code)
		assert.NotContains(t, err.Error(), "wrong-password-xyz")
		assert.Empty(t, srv.Messages())
	})
	for _, c := range []struct {
		code      int
		permanent bool
	}{{550, true}, {554, true}, {451, false}, {421, false}} {
		t.Run(http.StatusText(0)+string(rune('0'+c.code/100)), func(t *testing.T) {
			srv := smtptest.Start(t, false, func(k *smtp.Catcher) {
				k.Reject = func(smtp.Caught) error {
					return &gosmtp.SMTPError{Code: c.code, EnhancedCode: gosmtp.EnhancedCode{c.code / 100, 0, 0}, Message: "refused for the test"}
				}
			})
			reply, err := srv.Mailer().SendEmail(context.Background(), srv.Box(notify.AuthPlain), email())
			require.Error(t, err)
			assert.Equal(t, c.permanent, crm.IsPermanent(err), "code %d", c.code)
			assert.Equal(t, c.code, reply.Code)
			assert.Equal(t, "refused for the test", reply.Text)
			assert.NotContains(t, err.Error(), smtptest.Password)
		})
	}
}

// dropServer is an SMTP server that reads part of DATA and then cuts the connection.
type dropSession struct{ c *gosmtp.Conn }

func (s *dropSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (s *dropSession) Rcpt(string, *gosmtp.RcptOptions) error { return nil }
func (s *dropSession) Reset()                                 {}
func (s *dropSession) Logout() error                          { return nil }
func (s *dropSession) Data(r io.Reader) error {
	buf := make([]byte, 64)
	_, _ = io.ReadFull(r, buf)
	_ = s.c.Conn().Close()
	return errors.New("dropped")
}

// TestDroppedMidDataIsTemporary: a server that cuts the connection in the middle of DATA leaves a temporary
// error (the relay retries), never a permanent one.
func TestDroppedMidDataIsTemporary(t *testing.T) {
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(c *gosmtp.Conn) (gosmtp.Session, error) { return &dropSession{c}, nil }))
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	box := notify.Mailbox{FromAddress: "info@sever-auto.ru", Host: host, Port: atoi(port), Security: notify.NoTLS, Auth: notify.AuthNone}
	_, err = (&smtp.Mailer{Timeout: 5 * time.Second}).SendEmail(context.Background(), box, email())
	require.Error(t, err)
	assert.False(t, crm.IsPermanent(err), "%v", err)
}

// TestSilentServerTimesOut: a server that accepts and never answers is given up on at the timeout, temporarily.
func TestSilentServerTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = c.Close() })
		}
	}()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	box := notify.Mailbox{FromAddress: "info@sever-auto.ru", Host: host, Port: atoi(port), Security: notify.StartTLS, Auth: notify.AuthNone}
	start := time.Now()
	_, err = (&smtp.Mailer{Timeout: 300 * time.Millisecond}).SendEmail(context.Background(), box, email())
	require.Error(t, err)
	assert.False(t, crm.IsPermanent(err))
	assert.Less(t, time.Since(start), 3*time.Second)
}

// TestStartTLSRequired: a server that offers no STARTTLS is refused permanently (credentials never go in clear).
func TestStartTLSRequired(t *testing.T) {
	c := &smtp.Catcher{Users: map[string]string{smtptest.User: smtptest.Password}}
	addr, err := c.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	host, port, _ := net.SplitHostPort(addr)
	box := notify.Mailbox{FromAddress: smtptest.User, Host: host, Port: atoi(port), Security: notify.StartTLS,
		Auth: notify.AuthPlain, Username: smtptest.User, Password: smtptest.Password}
	_, err = (&smtp.Mailer{Timeout: 5 * time.Second}).SendEmail(context.Background(), box, email())
	require.Error(t, err)
	assert.True(t, crm.IsPermanent(err), "%v", err)
	assert.Empty(t, c.Messages())
}

// TestRefreshTokens gets an XOAUTH2 access token by the refresh-token grant, and names only the status when the
// endpoint refuses.
func TestRefreshTokens(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		if r.Form.Get("grant_type") != "refresh_token" || r.Form.Get("refresh_token") != "refresh-1" ||
			r.Form.Get("client_secret") != "client-secret-1" || r.Form.Get("client_id") != "client" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"invalid_grant"}`)
			return
		}
		_, _ = io.WriteString(w, `{"access_token":"`+smtptest.Token+`","expires_in":3599,"token_type":"Bearer"}`)
	}))
	defer ts.Close()
	box := notify.Mailbox{OAuth: notify.OAuth{TokenURL: ts.URL, ClientID: "client", ClientSecret: "client-secret-1", RefreshToken: "refresh-1"}}
	tok, err := smtp.RefreshTokens{}.AccessToken(context.Background(), box)
	require.NoError(t, err)
	assert.Equal(t, smtptest.Token, tok)

	box.OAuth.RefreshToken = "revoked-refresh"
	_, err = smtp.RefreshTokens{}.AccessToken(context.Background(), box)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "400 invalid_grant")
	assert.NotContains(t, err.Error(), "revoked-refresh")
	assert.NotContains(t, err.Error(), "client-secret-1")

	srv := smtptest.Start(t, false, nil)
	m := srv.Mailer()
	m.Tokens = smtp.RefreshTokens{}
	b := srv.Box(notify.AuthXOAuth2)
	b.OAuth = notify.OAuth{TokenURL: ts.URL, ClientID: "client", ClientSecret: "client-secret-1", RefreshToken: "refresh-1"}
	_, err = m.SendEmail(context.Background(), b, email())
	require.NoError(t, err)
	require.Len(t, srv.Messages(), 1)
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
