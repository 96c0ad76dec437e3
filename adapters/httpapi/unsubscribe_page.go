package httpapi

import (
	"html/template"
	"mime"
	"net/http"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// formBody is the media type of an HTML form post (the RFC 8058 one-click unsubscribe).
const formBody = "application/x-www-form-urlencoded"

// wantsHTML reports whether the request's Accept header asks for text/html (a browser following a link).
func wantsHTML(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || mt != "text/html" {
			continue
		}
		if q, ok := params["q"]; ok && strings.Trim(q, "0.") == "" {
			continue
		}
		return true
	}
	return false
}

// writeUnsubscribePage answers a browser that followed an unsubscribe link: a short page in Russian and
// English saying it is done (200), or that the link is not valid (404 for a token that does not verify); any
// other failure is returned for the problem answer.
func writeUnsubscribePage(w http.ResponseWriter, res notify.Unsubscribed, err error) error {
	status := http.StatusOK
	if err != nil {
		if crm.CodeOf(err) != notify.CodeUnsubscribeToken {
			return err
		}
		status = http.StatusNotFound
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	return unsubscribePage.Execute(w, struct {
		OK      bool
		Already bool
		SMS     bool
	}{err == nil, res.Already, res.Channel == notify.ChannelSMS})
}

var unsubscribePage = template.Must(template.New("unsubscribe").Parse(`<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .OK}}Вы отписались / Unsubscribed{{else}}Ссылка недействительна / Invalid link{{end}}</title>
<style>body{font-family:sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5}</style></head><body>
{{if .OK}}<h1>Вы отписались</h1>
<p>{{if .Already}}Вы уже были отписаны. {{end}}Мы больше не будем писать вам {{if .SMS}}по SMS{{else}}по электронной почте{{end}}: ни рассылок, ни напоминаний, ни уведомлений.</p>
<h1 lang="en">You are unsubscribed</h1>
<p lang="en">{{if .Already}}You had unsubscribed before. {{end}}We will not send you anything by {{if .SMS}}SMS{{else}}e-mail{{end}} any more: no campaigns, reminders or notices.</p>
{{else}}<h1>Ссылка недействительна</h1><p>Ссылка для отписки повреждена или устарела.</p>
<h1 lang="en">This link is not valid</h1><p lang="en">The unsubscribe link is damaged or out of date.</p>{{end}}
</body></html>
`))
