// Package smtptest starts real SMTP servers for tests: a Catcher on a free local port with STARTTLS on a
// certificate made for the test (its CA handed to the client), AUTH for a user, and the mailbox settings and
// Mailer that reach it.
package smtptest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/smtp"
	"github.com/dealercrm/dealercrm/notify"
)

// User and Password are the login the started catcher accepts (PLAIN and LOGIN); Token is the XOAUTH2 access
// token it accepts for User.
const (
	User     = "info@sever-auto.ru"
	Password = "s3cr3t-app-password-Ωмега"
	Token    = "ya29.test-access-token"
)

// TLS makes a self-signed certificate for 127.0.0.1 and localhost, valid for a day: the server's configuration
// and the client's configuration trusting it.
func TLS(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "dealercrm test SMTP"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
	return server, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

// Server is a started catcher and how to reach it.
type Server struct {
	*smtp.Catcher
	Host string
	Port int
	// Client trusts the server's certificate: give it to smtp.Mailer.TLSConfig.
	Client *tls.Config
}

// Start starts a catcher on 127.0.0.1 with STARTTLS (or implicit TLS) on a test certificate, accepting User with
// Password (PLAIN, LOGIN) and Token (XOAUTH2); it is closed when the test ends. change, when not nil, may set
// more of the catcher (Reject) before it starts.
func Start(t testing.TB, implicit bool, change func(*smtp.Catcher)) *Server {
	t.Helper()
	srvTLS, cliTLS := TLS(t)
	c := &smtp.Catcher{TLSConfig: srvTLS, ImplicitTLS: implicit, Users: map[string]string{User: Password},
		Tokens: map[string]string{User: Token}}
	if change != nil {
		change(c)
	}
	addr, err := c.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return &Server{Catcher: c, Host: host, Port: p, Client: cliTLS}
}

// Mailbox returns settings that reach s with auth (AuthPlain, AuthLogin or AuthNone) and the test login.
func (s *Server) Mailbox(auth notify.AuthMethod) notify.MailboxInput {
	sec := notify.StartTLS
	if s.Catcher.ImplicitTLS {
		sec = notify.ImplicitTLS
	}
	pw := notify.Secret(Password)
	return notify.MailboxInput{FromAddress: User, FromName: "Автоцентр Север", ReplyTo: "sales@sever-auto.ru",
		Host: s.Host, Port: s.Port, Security: sec, Auth: auth, Username: User, Password: &pw}
}

// Mailer returns a Mailer that trusts s's certificate and gives Token for XOAUTH2.
func (s *Server) Mailer() *smtp.Mailer {
	return &smtp.Mailer{TLSConfig: s.Client, Timeout: 10 * time.Second, Tokens: StaticToken(Token)}
}

// StaticToken is a TokenSource that always gives one token.
type StaticToken string

// AccessToken returns the token.
func (s StaticToken) AccessToken(_ context.Context, _ notify.Mailbox) (string, error) {
	return string(s), nil
}

// Box returns the stored form of Mailbox(auth): what a Mailer is handed.
func (s *Server) Box(auth notify.AuthMethod) notify.Mailbox {
	in := s.Mailbox(auth)
	return notify.Mailbox{FromAddress: in.FromAddress, FromName: in.FromName, ReplyTo: in.ReplyTo, Host: in.Host,
		Port: in.Port, Security: in.Security, Auth: auth, Username: in.Username, Password: *in.Password,
		OAuth: notify.OAuth{TokenURL: "https://oauth2.example.com/token", ClientID: "client", RefreshToken: "refresh"}}
}
