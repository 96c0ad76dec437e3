package httpapi

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/adapters/smtp"
	"github.com/dealercrm/dealercrm/adapters/smtp/smtptest"
	"github.com/dealercrm/dealercrm/crm"
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

		res = keep(f.must(200, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: obj{
			"from_address": "info@sever-auto.ru", "host": "smtp.gmail.com", "security": "starttls", "auth": "xoauth2",
			"username": "info@sever-auto.ru", "oauth_token_url": "https://oauth2.googleapis.com/token", "oauth_client_id": "client",
			"oauth_client_secret": clientSecret, "oauth_refresh_token": refresh}}))
		assert.Equal(t, false, res.JSON()["password_set"], "xoauth2 keeps no password")
		assert.Equal(t, true, res.JSON()["oauth_refresh_token_set"])
		assert.Equal(t, float64(587), res.JSON()["port"])

		// A local catcher without TLS: the test message is sent and the server's answer reported.
		plain := &smtp.Catcher{}
		addr, err := plain.Start("127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { _ = plain.Close() })
		host, port, _ := net.SplitHostPort(addr)
		p, _ := strconv.Atoi(port)
		keep(f.must(200, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: obj{
			"from_address": "info@sever-auto.ru", "host": host, "port": p, "security": "none", "auth": "none"}}))
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
			"host": "h", "security": "none", "auth": "plain", "username": "u", "password": password}}))

		all := strings.Join(bodies, "\n") + f.logs.String()
		for _, secret := range []string{password, clientSecret, refresh, smtptest.Password} {
			assert.NotContains(t, all, secret, "a secret in an answer or a log line")
		}
	})
}

// TestTemplatesOverHTTP edits a template, previews it with hostile facts (escaped in HTML) and lists the set.
func TestTemplatesOverHTTP(t *testing.T) {
	f := newFixture(t)
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
	res = f.must(200, post("/api/v1/templates/preview", admin, obj{"kind": "test_drive.booked", "language": "ru",
		"facts": obj{"name": "<img src=x onerror=alert(1)>", "date": "01.12.2026", "time": "10:00"}}))
	assert.Equal(t, "Ждём вас 01.12.2026", res.Str("subject"))
	assert.NotContains(t, res.Str("html"), "<img")
	assert.Contains(t, res.Str("html"), "&lt;img")
	res = f.must(200, get("/api/v1/templates", admin))
	assert.Len(t, res.Items(), 16)
}
