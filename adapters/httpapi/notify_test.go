package httpapi

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/adapters/smtp"
	"github.com/dealercrm/dealercrm/adapters/smtp/smtptest"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// TestMailboxSecretsNeverAnswered sets a mailbox with a password and an OAuth secret over HTTP and reads it back,
// tests it (refused: the server's certificate is not trusted; accepted by a local catcher) and changes it: no
// answer and no log line ever holds a secret; an answer says only whether each is set. Only an admin reaches
// the routes.
func TestMailboxSecretsNeverAnswered(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		const password, clientSecret, refresh = "P@ss-Пароль-42", "client-secret-77", "refresh-token-99"
		admin := f.a.token(crm.RoleAdmin)
		var bodies []string
		keep := func(r *response) *response { bodies = append(bodies, string(r.Body)); return r }

		res := keep(f.must(200, get("/api/v1/mailbox", admin)))
		assert.Equal(t, false, res.JSON()["configured"])
		assert.Equal(t, `"0"`, res.Header.Get("ETag"))
		for _, role := range []crm.Role{crm.RoleSalesManager, crm.RoleServiceAdvisor, crm.RoleReadOnly} {
			keep(f.must(403, get("/api/v1/mailbox", f.a.token(role))))
		}

		tlsSrv := smtptest.Start(t, false, nil)
		res = keep(f.must(200, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: obj{
			"from_address": "info@sever-auto.ru", "from_name": "Автоцентр Север", "host": tlsSrv.Host, "port": tlsSrv.Port,
			"security": "starttls", "auth": "plain", "username": "info@sever-auto.ru", "password": password}}))
		assert.Equal(t, true, res.JSON()["password_set"])
		assert.Equal(t, true, res.JSON()["configured"])
		res = keep(f.must(200, post("/api/v1/mailbox/test", admin, obj{"to": "manager@sever-auto.ru"})))
		assert.Equal(t, false, res.JSON()["sent"], "the test certificate is not trusted by the handler's mailer")
		assert.Contains(t, res.Str("message"), "certificate")

		// Stored settings change only with If-Match (428 without it, naming the header).
		plainBody := obj{"from_address": "info@sever-auto.ru", "host": tlsSrv.Host, "port": tlsSrv.Port,
			"security": "starttls", "auth": "plain", "username": "info@sever-auto.ru"}
		res = keep(f.must(428, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: plainBody}))
		assert.Equal(t, "mailbox_version_required", res.Str("code"))
		assert.Equal(t, []string{"If-Match"}, res.Fields())
		// The password member absent: kept.
		res = keep(f.must(200, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: plainBody}.with("If-Match", `"1"`)))
		assert.Equal(t, true, res.JSON()["password_set"], "absent: kept")
		assert.Equal(t, `"2"`, res.Header.Get("ETag"))
		// null: removed (plain then lacks one: 422 naming it, nothing stored); "" is no password: 422.
		withNull := obj{"password": nil}
		for k, v := range plainBody {
			withNull[k] = v
		}
		res = keep(f.must(422, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: withNull}.with("If-Match", `"2"`)))
		assert.Equal(t, []string{"password"}, res.Fields(), "null removes the password, and plain needs one")
		withNull["password"] = ""
		res = keep(f.must(422, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: withNull}.with("If-Match", `"2"`)))
		assert.Equal(t, []string{"password"}, res.Fields(), "an empty string is no password: null removes it")
		withNull["password"], withNull["auth"] = nil, "none"
		withNull["security"] = "none"
		res = keep(f.must(200, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: withNull}.with("If-Match", `"2"`)))
		assert.Equal(t, false, res.JSON()["password_set"], "null: removed")

		oauthBody := obj{"from_address": "info@sever-auto.ru", "host": "smtp.gmail.com", "security": "starttls", "auth": "xoauth2",
			"username": "info@sever-auto.ru", "oauth_token_url": "https://oauth2.googleapis.com/token", "oauth_client_id": "client",
			"oauth_client_secret": clientSecret, "oauth_refresh_token": refresh}
		res = keep(f.must(200, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: oauthBody}.with("If-Match", `"3"`)))
		assert.Equal(t, false, res.JSON()["password_set"], "xoauth2 keeps no password")
		assert.Equal(t, true, res.JSON()["oauth_refresh_token_set"])
		assert.Equal(t, true, res.JSON()["oauth_client_secret_set"])
		assert.Equal(t, float64(587), res.JSON()["port"])
		// The token source's secrets follow the same rule: absent kept, null removed.
		delete(oauthBody, "oauth_refresh_token")
		oauthBody["oauth_client_secret"] = nil
		res = keep(f.must(200, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: oauthBody}.with("If-Match", `"4"`)))
		assert.Equal(t, true, res.JSON()["oauth_refresh_token_set"], "absent: kept")
		assert.Equal(t, false, res.JSON()["oauth_client_secret_set"], "null: removed")
		oauthBody["oauth_refresh_token"] = nil
		res = keep(f.must(422, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: oauthBody}.with("If-Match", `"5"`)))
		assert.Equal(t, []string{"oauth_refresh_token"}, res.Fields())
		oauthBody["oauth_refresh_token"], oauthBody["oauth_client_secret"] = refresh, clientSecret
		keep(f.must(200, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: oauthBody}.with("If-Match", `"5"`)))
		res = keep(f.must(200, get("/api/v1/mailbox", admin)))
		assert.Equal(t, `"6"`, res.Header.Get("ETag"))
		assert.Equal(t, true, res.JSON()["oauth_client_secret_set"])

		// A local catcher without TLS: the test message is sent and the server's answer reported.
		plain := &smtp.Catcher{}
		addr, err := plain.Start("127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { _ = plain.Close() })
		host, port, _ := net.SplitHostPort(addr)
		p, _ := strconv.Atoi(port)
		keep(f.must(200, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: obj{
			"from_address": "info@sever-auto.ru", "host": host, "port": p, "security": "none", "auth": "none"}}.with("If-Match", "*")))
		res = keep(f.must(200, post("/api/v1/mailbox/test", admin, obj{})))
		assert.Equal(t, true, res.JSON()["sent"])
		assert.Equal(t, float64(250), res.JSON()["code"])
		msgs := plain.Messages()
		require.Len(t, msgs, 1)
		assert.Equal(t, "Проверка почтового ящика / Mailbox test", msgs[0].Subject)
		assert.Equal(t, "<"+res.Str("message_id")+"@sever-auto.ru>", msgs[0].MessageID)

		keep(f.must(412, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: obj{"from_address": "x@y.ru", "host": "h"}}.
			with("If-Match", `W/"1"`)))
		keep(f.must(422, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: obj{"from_address": "x@y.ru",
			"host": "h", "security": "none", "auth": "plain", "username": "u", "password": password}}.with("If-Match", `"7"`)))

		all := strings.Join(bodies, "\n") + f.logs.String()
		for _, secret := range []string{password, clientSecret, refresh, smtptest.Password} {
			assert.NotContains(t, all, secret, "a secret in an answer or a log line")
		}
	})
}

// TestTemplatesOverHTTP edits a template, previews it with hostile facts (escaped in HTML) and lists the set.
func TestTemplatesOverHTTP(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) { testTemplatesOverHTTP(t, f) })
}

func testTemplatesOverHTTP(t *testing.T, f *fixture) {
	admin := f.a.token(crm.RoleAdmin)
	res := f.must(200, get("/api/v1/templates/test_drive.booked/en", f.a.token(crm.RoleReadOnly)))
	assert.Equal(t, true, res.JSON()["default"])
	f.must(404, get("/api/v1/templates/test_drive.booked/de", admin))
	f.must(404, get("/api/v1/templates/nothing/ru", admin))
	res = f.must(200, req{method: "PUT", path: "/api/v1/templates/test_drive.booked/ru", token: admin, body: obj{
		"subject": "Ждём вас {{.date}}", "text": "{{.name}}, ждём вас {{.date}} в {{.time}}."}})
	assert.Equal(t, `"1"`, res.Header.Get("ETag"))
	f.must(422, req{method: "PUT", path: "/api/v1/templates/test_drive.booked/ru", token: admin, body: obj{
		"subject": "{{.date", "text": "x"}})
	// A variable the kind does not carry: 422 naming the part and the variable, on PUT and on preview.
	res = f.must(422, req{method: "PUT", path: "/api/v1/templates/test_drive.booked/ru", token: admin, body: obj{
		"subject": "Ждём вас {{.date}}", "text": "{{.Custmer.Name}}, ждём вас."}}.with("If-Match", `"1"`))
	assert.Equal(t, []string{"text"}, res.Fields())
	assert.Contains(t, res.Str("detail"), "{{.Custmer.Name}}")
	res = f.must(422, post("/api/v1/templates/preview", admin, obj{"kind": "sale.won", "language": "en",
		"subject": "{{.vehicle}}", "text": "ok", "html": "{{with .name}}<b>{{.First}}</b>{{end}}"}))
	assert.Equal(t, []string{"html"}, res.Fields())
	assert.Contains(t, res.Str("detail"), "{{.First}}")
	for _, k := range notify.Kinds() {
		for _, l := range notify.Languages() {
			f.must(200, post("/api/v1/templates/preview", admin, obj{"kind": string(k), "language": l}))
		}
	}
	res = f.must(200, post("/api/v1/templates/preview", admin, obj{"kind": "test_drive.booked", "language": "ru",
		"facts": obj{"name": "<img src=x onerror=alert(1)>", "date": "01.12.2026", "time": "10:00"}}))
	assert.Equal(t, "Ждём вас 01.12.2026", res.Str("subject"))
	assert.NotContains(t, res.Str("html"), "<img")
	assert.Contains(t, res.Str("html"), "&lt;img")
	res = f.must(200, get("/api/v1/templates", admin))
	assert.Len(t, res.Items(), 16)
}

const testUnsubscribeKey = "httpapi-test-unsubscribe-key"

// TestCampaignsOverHTTP creates a campaign for the leads with a test drive soon, runs it twice (the second run
// queues nothing), lists its recipients, and follows an unsubscribe link without logging in.
func TestCampaignsOverHTTP(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		admin := f.a.token(crm.RoleAdmin)
		w := f.newWorld(f.a)
		f.must(403, post("/api/v1/campaigns", f.a.token(crm.RoleSalesManager), obj{"name": "x", "audience": obj{"kind": "test_drive_soon"}}))
		res := f.must(422, post("/api/v1/campaigns", admin, obj{"name": "", "audience": obj{"kind": "everyone", "days": 1000}}))
		assert.ElementsMatch(t, []string{"name", "audience.kind"}, res.Fields())
		c := f.must(201, post("/api/v1/campaigns", admin, obj{"name": "Скоро тест-драйв", "audience": obj{"kind": "test_drive_soon", "days": 30}}))
		id := c.Str("id")
		run := f.must(200, post("/api/v1/campaigns/"+id+"/run", admin, nil))
		assert.Equal(t, float64(1), run.JSON()["queued"], "the world's lead with a booked test drive: %s", run.Body)
		run = f.must(200, post("/api/v1/campaigns/"+id+"/run", admin, nil))
		assert.Equal(t, float64(0), run.JSON()["queued"])
		assert.Equal(t, float64(1), run.JSON()["already"])
		rs := f.must(200, get("/api/v1/campaigns/"+id+"/recipients", f.a.token(crm.RoleReadOnly))).Items()
		require.Len(t, rs, 1)
		assert.Equal(t, "queued", rs[0]["status"])
		assert.Equal(t, "lead:"+w.lead, rs[0]["key"])
		list := f.must(200, get("/api/v1/campaigns", admin)).Items()
		assert.GreaterOrEqual(t, len(list), 2)

		tok := notifyToken(f.a.dealer.ID, rs[0]["address"].(string))
		res = f.must(200, get("/api/v1/unsubscribe?token="+tok, ""))
		assert.Equal(t, true, res.JSON()["unsubscribed"])
		res = f.must(200, get("/api/v1/unsubscribe?token="+tok, ""))
		assert.Equal(t, true, res.JSON()["already"])
		res = f.must(422, get("/api/v1/unsubscribe?token=forged."+tok, ""))
		assert.Equal(t, "unsubscribe_token_invalid", res.Str("code"))

		c2 := f.must(201, post("/api/v1/campaigns", admin, obj{"name": "Ещё раз", "audience": obj{"kind": "test_drive_soon", "days": 30}}))
		run = f.must(200, post("/api/v1/campaigns/"+c2.Str("id")+"/run", admin, nil))
		assert.Equal(t, float64(1), run.JSON()["skipped"], "the unsubscribed lead is skipped")
	})
}

func notifyToken(dealer crm.ID, address string) string {
	return url.QueryEscape(notify.UnsubscribeToken([]byte(testUnsubscribeKey), dealer, address, crm.NewID()))
}
