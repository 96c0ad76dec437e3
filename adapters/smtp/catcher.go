package smtp

import (
	"bytes"
	"crypto/subtle"
	"crypto/tls"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
)

// Caught is one message a Catcher received, decoded.
type Caught struct {
	From      string    `json:"from"`       // the envelope sender
	To        []string  `json:"to"`         // the envelope recipients
	MessageID string    `json:"message_id"` // the Message-ID header
	Subject   string    `json:"subject"`    // decoded (RFC 2047)
	Text      string    `json:"text"`       // the text/plain part, decoded
	HTML      string    `json:"html"`       // the text/html part, decoded ("" when none)
	User      string    `json:"user"`       // who logged in ("" without AUTH)
	TLS       bool      `json:"tls"`        // whether the session was encrypted
	At        time.Time `json:"at"`
	Raw       []byte    `json:"-"`
}

// Catcher is a small SMTP server kept in-process that receives every message and keeps it (decoded) for
// listing: the example server's -smtp-catcher, and a real server for tests. It offers STARTTLS when TLSConfig
// is set, and AUTH PLAIN and LOGIN for Users and XOAUTH2 for Tokens (only over TLS when TLSConfig is set).
// Without Users and Tokens anyone may send.
type Catcher struct {
	TLSConfig *tls.Config
	// ImplicitTLS serves TLS from the first byte (like port 465) instead of offering STARTTLS; needs TLSConfig.
	ImplicitTLS bool
	Users       map[string]string // user name → password (PLAIN, LOGIN)
	Tokens      map[string]string // user name → the access token XOAUTH2 accepts
	// Reject, when set, is asked for each message before it is kept: a non-nil *gosmtp.SMTPError is the answer
	// to DATA (421, 550, ...), and the message is not kept.
	Reject func(c Caught) error
	// Max is how many messages are kept (the oldest dropped first); default 1000.
	Max int

	mu   sync.Mutex
	msgs []Caught
	srv  *gosmtp.Server
	addr string
}

// Start listens on addr ("127.0.0.1:0" for any free port) and serves in the background; it returns the address
// it listens on.
func (c *Catcher) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	if c.ImplicitTLS && c.TLSConfig != nil {
		ln = tls.NewListener(ln, c.TLSConfig)
	}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(conn *gosmtp.Conn) (gosmtp.Session, error) {
		return &catcherSession{c: c, conn: conn}, nil
	}))
	srv.Domain = "localhost"
	srv.TLSConfig = c.TLSConfig
	srv.AllowInsecureAuth = c.TLSConfig == nil
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 50
	srv.EnableSMTPUTF8 = true
	c.mu.Lock()
	c.srv, c.addr = srv, ln.Addr().String()
	c.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
	return ln.Addr().String(), nil
}

// Addr is the address the catcher listens on ("" before Start).
func (c *Catcher) Addr() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.addr
}

// Close stops the server.
func (c *Catcher) Close() error {
	c.mu.Lock()
	srv := c.srv
	c.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Close()
}

// Messages returns the messages received, oldest first.
func (c *Catcher) Messages() []Caught {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Caught(nil), c.msgs...)
}

// Reset forgets every message.
func (c *Catcher) Reset() {
	c.mu.Lock()
	c.msgs = nil
	c.mu.Unlock()
}

func (c *Catcher) keep(m Caught) {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit := c.Max
	if limit <= 0 {
		limit = 1000
	}
	c.msgs = append(c.msgs, m)
	if len(c.msgs) > limit {
		c.msgs = c.msgs[len(c.msgs)-limit:]
	}
}

type catcherSession struct {
	c    *Catcher
	conn *gosmtp.Conn
	user string
	from string
	to   []string
}

var errBadCredentials = &gosmtp.SMTPError{Code: 535, EnhancedCode: gosmtp.EnhancedCode{5, 7, 8},
	Message: "Authentication credentials invalid"}

var errAuthRequired = &gosmtp.SMTPError{Code: 530, EnhancedCode: gosmtp.EnhancedCode{5, 7, 0},
	Message: "Authentication required"}

func (s *catcherSession) needsAuth() bool { return len(s.c.Users) > 0 || len(s.c.Tokens) > 0 }

// AuthMechanisms offers PLAIN and LOGIN for Users, XOAUTH2 for Tokens.
func (s *catcherSession) AuthMechanisms() []string {
	var out []string
	if len(s.c.Users) > 0 {
		out = append(out, sasl.Plain, sasl.Login)
	}
	if len(s.c.Tokens) > 0 {
		out = append(out, XOAuth2)
	}
	return out
}

func (s *catcherSession) checkPassword(user, password string) error {
	want, ok := s.c.Users[user]
	if !ok || subtle.ConstantTimeCompare([]byte(want), []byte(password)) != 1 {
		return errBadCredentials
	}
	s.user = user
	return nil
}

// Auth answers one mechanism.
func (s *catcherSession) Auth(mech string) (sasl.Server, error) {
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, password string) error { return s.checkPassword(user, password) }), nil
	case sasl.Login:
		return &loginServer{check: s.checkPassword}, nil
	case XOAuth2:
		return &xoauth2Server{check: func(user, token string) error {
			want, ok := s.c.Tokens[user]
			if !ok || subtle.ConstantTimeCompare([]byte(want), []byte(token)) != 1 {
				return errBadCredentials
			}
			s.user = user
			return nil
		}}, nil
	}
	return nil, &gosmtp.SMTPError{Code: 504, EnhancedCode: gosmtp.EnhancedCode{5, 5, 4}, Message: "Unsupported mechanism"}
}

func (s *catcherSession) Mail(from string, _ *gosmtp.MailOptions) error {
	if s.needsAuth() && s.user == "" {
		return errAuthRequired
	}
	s.from = from
	return nil
}

func (s *catcherSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *catcherSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Parse(raw)
	m.From, m.To, m.User, m.At = s.from, append([]string(nil), s.to...), s.user, time.Now().UTC()
	_, m.TLS = s.conn.Conn().(*tls.Conn)
	if s.c.Reject != nil {
		if err := s.c.Reject(m); err != nil {
			return err
		}
	}
	s.c.keep(m)
	return nil
}

func (s *catcherSession) Reset()        { s.from, s.to = "", nil }
func (s *catcherSession) Logout() error { return nil }

// Parse decodes a raw message: Message-ID, the RFC 2047 subject, and the text and HTML parts (quoted-printable
// and base64 decoded). What cannot be parsed is left empty.
func Parse(raw []byte) Caught {
	out := Caught{Raw: raw}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return out
	}
	out.MessageID = msg.Header.Get("Message-ID")
	dec := new(mime.WordDecoder)
	if s, err := dec.DecodeHeader(msg.Header.Get("Subject")); err == nil {
		out.Subject = s
	}
	media, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		media = "text/plain"
	}
	if !strings.HasPrefix(media, "multipart/") {
		body, _ := io.ReadAll(decodeBody(msg.Body, msg.Header.Get("Content-Transfer-Encoding")))
		out.Text = string(body)
		return out
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		body, _ := io.ReadAll(decodeBody(p, p.Header.Get("Content-Transfer-Encoding")))
		switch typ, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); typ {
		case "text/plain":
			out.Text = string(body)
		case "text/html":
			out.HTML = string(body)
		}
	}
	return out
}
