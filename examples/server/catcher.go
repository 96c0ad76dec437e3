package main

import (
	"context"
	"encoding/json"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/smtp"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// startCatcher starts the -smtp-catcher: an SMTP server in this process (no TLS, no login: local use only) that
// keeps what it receives for /dev/mail.
func startCatcher(addr string, logger *slog.Logger) (*smtp.Catcher, error) {
	c := &smtp.Catcher{Max: 500}
	bound, err := c.Start(addr)
	if err != nil {
		return nil, err
	}
	logger.Info("SMTP catcher listening; received mail is listed at /dev/mail", "addr", bound)
	return c, nil
}

// pointDealersAt gives every dealer that has no mailbox settings of its own settings that deliver to the catcher
// at addr, so the demo's notices arrive as real mail. Each gets a sender address no other dealer has (its own
// e-mail, else one made from its ID), by which /dev/mail tells its mail. It returns the addresses it set, by
// dealer.
func pointDealersAt(ctx context.Context, st *stack.Stack, addr string) (map[crm.ID]string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return nil, err
	}
	dealers, err := st.Dealers(ctx)
	if err != nil {
		return nil, err
	}
	set := map[crm.ID]string{}
	used := map[string]bool{}
	for _, d := range dealers {
		dctx := crm.WithDealer(ctx, d.ID)
		box, err := st.Notify.GetMailbox(dctx)
		if err != nil {
			return set, err
		}
		if box.Configured() {
			used[strings.ToLower(box.FromAddress)] = true
			continue
		}
		from := d.Email
		if from == "" || used[strings.ToLower(from)] {
			from = "notices@" + d.ID.String()[:8] + ".dealercrm.local"
		}
		used[strings.ToLower(from)] = true
		if _, err := st.Notify.SetMailbox(dctx, notify.MailboxAbsent, notify.MailboxInput{FromAddress: from, FromName: d.Name, Host: host,
			Port: p, Security: notify.NoTLS, Auth: notify.AuthNone}); err != nil {
			return set, err
		}
		set[d.ID] = from
	}
	return set, nil
}

// devMail serves GET /dev/mail: the caught messages of the dealer whose API token is presented (Authorization:
// Bearer, or ?token= for a browser), newest first — JSON, or a simple page for a browser that asks for
// text/html. A dealer's mail is what was sent from its mailbox's address, the current one or the one
// pointDealersAt gave it. No token, or an unknown one: 401. Development only: the example server serves it with
// -smtp-catcher alone.
type devMail struct {
	catcher *smtp.Catcher
	auth    httpapi.Authenticator
	notify  *notify.Service
	senders map[crm.ID]string // set at start, read only after
}

func (d devMail) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		token = r.URL.Query().Get("token")
	}
	var u crm.User
	var err error
	if token != "" {
		u, err = d.auth.Authenticate(r.Context(), token)
	}
	if token == "" || err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="dealercrm"`)
		http.Error(w, "present a dealer's API token (Authorization: Bearer, or ?token=) to see its mail", http.StatusUnauthorized)
		return
	}
	from := map[string]bool{strings.ToLower(d.senders[u.DealerID]): true}
	if box, err := d.notify.GetMailbox(crm.WithDealer(r.Context(), u.DealerID)); err == nil && box.Configured() {
		from[strings.ToLower(box.FromAddress)] = true
	}
	all := d.catcher.Messages()
	msgs := make([]smtp.Caught, 0, len(all))
	for i := len(all) - 1; i >= 0; i-- {
		if from[strings.ToLower(all[i].From)] {
			msgs = append(msgs, all[i])
		}
	}
	if strings.Contains(r.Header.Get("Accept"), "text/html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = devMailPage.Execute(w, msgs)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"items": msgs})
}

// withDevMail serves GET /dev/mail (devMail) beside h.
func withDevMail(h http.Handler, d devMail) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /dev/mail", d)
	mux.Handle("/", h)
	return mux
}

var devMailPage = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>dealercrm — caught mail</title>
<style>body{font-family:sans-serif;margin:2em}article{border:1px solid #ccc;padding:1em;margin:1em 0}
pre{white-space:pre-wrap}small{color:#666}</style></head><body>
<h1>Caught mail ({{len .}})</h1>
{{range .}}<article><h2>{{.Subject}}</h2>
<small>{{.At.Format "2006-01-02 15:04:05"}} · from {{.From}} to {{range .To}}{{.}} {{end}}· {{.MessageID}}</small>
<pre>{{.Text}}</pre></article>{{else}}<p>No mail yet. Book a test drive through the API.</p>{{end}}
</body></html>`))
