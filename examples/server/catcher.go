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
// at addr, so the demo's notices arrive as real mail. It returns how many dealers it set.
func pointDealersAt(ctx context.Context, st *stack.Stack, addr string) (int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, err
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return 0, err
	}
	dealers, err := st.Dealers(ctx)
	if err != nil {
		return 0, err
	}
	set := 0
	for _, d := range dealers {
		dctx := crm.WithDealer(ctx, d.ID)
		box, err := st.Notify.GetMailbox(dctx)
		if err != nil {
			return set, err
		}
		if box.Configured() {
			continue
		}
		from := d.Email
		if from == "" {
			from = "notices@" + d.ID.String()[:8] + ".dealercrm.local"
		}
		if _, err := st.Notify.SetMailbox(dctx, 0, notify.MailboxInput{FromAddress: from, FromName: d.Name, Host: host,
			Port: p, Security: notify.NoTLS, Auth: notify.AuthNone}); err != nil {
			return set, err
		}
		set++
	}
	return set, nil
}

// withDevMail serves GET /dev/mail (the catcher's messages, newest first: JSON, or a simple page for a browser
// that asks for text/html) beside h.
func withDevMail(h http.Handler, c *smtp.Catcher) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /dev/mail", func(w http.ResponseWriter, r *http.Request) {
		msgs := c.Messages()
		for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
			msgs[i], msgs[j] = msgs[j], msgs[i]
		}
		if strings.Contains(r.Header.Get("Accept"), "text/html") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_ = devMailPage.Execute(w, msgs)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"items": msgs})
	})
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
