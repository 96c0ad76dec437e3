package smtp

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// MessageID returns the Message-ID header value of the outbox message id sent from address from:
// <id@domain of from>. The same outbox message always gets the same Message-ID.
func MessageID(id crm.ID, from string) string {
	domain := "dealercrm.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	return "<" + id.String() + "@" + domain + ">"
}

// address formats a mailbox with an RFC 2047-encoded display name.
func address(name, addr string) string {
	return (&mail.Address{Name: name, Address: addr}).String()
}

// header encodes a UTF-8 header value as RFC 2047 Q-encoded words where needed, folded between words.
func header(v string) string {
	enc := mime.QEncoding.Encode("utf-8", v)
	return strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
}

// Compose builds the message bytes (CRLF line ends) of e sent from box at date.
func Compose(box notify.Mailbox, e notify.Email, date time.Time) ([]byte, error) {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", address(box.FromName, box.FromAddress))
	h("To", address(e.ToName, e.To))
	if box.ReplyTo != "" {
		h("Reply-To", address("", box.ReplyTo))
	}
	h("Subject", header(e.Subject))
	h("Date", date.Format(time.RFC1123Z))
	h("Message-ID", MessageID(e.MessageID, box.FromAddress))
	h("MIME-Version", "1.0")
	if e.UnsubscribeURL != "" {
		h("List-Unsubscribe", "<"+e.UnsubscribeURL+">")
		h("List-Unsubscribe-Post", "List-Unsubscribe=One-Click") // RFC 8058: a POST to the URL unsubscribes
	}
	if e.HTML == "" {
		h("Content-Type", "text/plain; charset=utf-8")
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, e.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	var rnd [12]byte
	_, _ = rand.Read(rnd[:])
	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary("dealercrm-" + hex.EncodeToString(rnd[:])); err != nil {
		return nil, err
	}
	h("Content-Type", "multipart/alternative; boundary="+mw.Boundary())
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", e.Text}, {"text/html", e.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeQP writes s quoted-printable with CRLF line ends.
func writeQP(w interface{ Write([]byte) (int, error) }, s string) error {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(s)); err != nil {
		return err
	}
	return qp.Close()
}
