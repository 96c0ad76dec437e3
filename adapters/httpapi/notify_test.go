package httpapi

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

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
		// A secret of another authentication method would be dropped: refused, naming it, nothing stored.
		stray := obj{"oauth_client_secret": clientSecret, "oauth_refresh_token": refresh}
		for k, v := range plainBody {
			stray[k] = v
		}
		res = keep(f.must(422, req{method: "PUT", path: "/api/v1/mailbox", token: admin, body: stray}.with("If-Match", `"1"`)))
		assert.ElementsMatch(t, []string{"oauth_client_secret", "oauth_refresh_token"}, res.Fields(), "%s", res.Body)
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

// TestCampaignsOverHTTP creates a campaign for the leads with a test drive soon (the world's lead, with only a
// phone, consents to marketing by SMS through PATCH), runs it twice (the second run queues nothing), lists its recipients, and
// follows the unsubscribe link without logging in: JSON, an HTML page for a browser, the RFC 8058 one-click
// POST; a tampered token is a 404 that names no address; the lead then shows its consent withdrawn by the link.
func TestCampaignsOverHTTP(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		admin := f.a.token(crm.RoleAdmin)
		w := f.newWorld(f.a)
		f.must(403, post("/api/v1/campaigns", f.a.token(crm.RoleSalesManager), obj{"name": "x", "audience": obj{"kind": "test_drive_soon"}}))
		res := f.must(422, post("/api/v1/campaigns", admin, obj{"name": "", "audience": obj{"kind": "everyone", "days": 1000}}))
		assert.ElementsMatch(t, []string{"name", "audience.kind"}, res.Fields())
		res = f.must(422, post("/api/v1/campaigns", admin, obj{"name": "bad", "audience": obj{"kind": "test_drive_soon", "days": -1},
			"subject": "{{.Custmer}}", "text": "{{.name"}))
		assert.ElementsMatch(t, []string{"subject", "text", "audience.days"}, res.Fields(), "every wrong field in one answer\n%s", res.Body)
		res = f.must(422, post("/api/v1/campaigns", admin, obj{"name": "bad", "audience": obj{"kind": "test_drive_soon", "days": 3},
			"subject": "ok", "text": "{{block \"y\" .}}{{.Zzz}}{{end}}"}))
		assert.Equal(t, []string{"text"}, res.Fields(), "%s", res.Body)
		c := f.must(201, post("/api/v1/campaigns", admin, obj{"name": "Скоро тест-драйв", "audience": obj{"kind": "test_drive_soon", "days": 30}}))
		id := c.Str("id")
		run := f.must(200, post("/api/v1/campaigns/"+id+"/run", admin, nil))
		assert.Equal(t, float64(0), run.JSON()["queued"], "no consent to marketing yet: %s", run.Body)
		assert.Equal(t, float64(1), run.JSON()["skipped"])
		rs := f.must(200, get("/api/v1/campaigns/"+id+"/recipients", f.a.token(crm.RoleReadOnly))).Items()
		require.Len(t, rs, 1)
		assert.Equal(t, "skipped", rs[0]["status"])
		assert.Equal(t, "no consent on sms", rs[0]["reason"])

		lead := f.must(200, patch("/api/v1/leads/"+w.lead, admin, obj{"consents": []obj{
			{"channel": "sms", "purpose": "marketing", "granted": true, "source": "form"}}}))
		cons := lead.JSON()["consents"].([]any)
		require.Len(t, cons, 1)
		assert.Equal(t, "form", cons[0].(map[string]any)["source"])
		c = f.must(201, post("/api/v1/campaigns", admin, obj{"name": "Ждём вас", "audience": obj{"kind": "test_drive_soon", "days": 30}}))
		id = c.Str("id")
		run = f.must(200, post("/api/v1/campaigns/"+id+"/run", admin, nil))
		assert.Equal(t, float64(1), run.JSON()["queued"], "the world's lead with a booked test drive: %s", run.Body)
		run = f.must(200, post("/api/v1/campaigns/"+id+"/run", admin, nil))
		assert.Equal(t, float64(0), run.JSON()["queued"])
		assert.Equal(t, float64(1), run.JSON()["already"])
		rs = f.must(200, get("/api/v1/campaigns/"+id+"/recipients", f.a.token(crm.RoleReadOnly))).Items()
		require.Len(t, rs, 1)
		assert.Equal(t, "queued", rs[0]["status"])
		assert.Equal(t, "sms", rs[0]["channel"], "the world's lead has only a phone")
		assert.Equal(t, "lead:"+w.lead, rs[0]["key"])
		address := rs[0]["address"].(string)
		list := f.must(200, get("/api/v1/campaigns", admin)).Items()
		assert.GreaterOrEqual(t, len(list), 3)

		tok := url.QueryEscape(notify.UnsubscribeToken([]byte(testUnsubscribeKey), f.a.dealer.ID, "lead:"+w.lead, notify.ChannelSMS))
		assert.NotContains(t, tok, url.QueryEscape(address))
		res = f.must(200, get("/api/v1/unsubscribe?token="+tok, ""))
		assert.Equal(t, true, res.JSON()["unsubscribed"])
		assert.Equal(t, "sms", res.JSON()["channel"])
		assert.Equal(t, false, res.JSON()["already"])
		assert.NotContains(t, string(res.Body), address, "the answer names no address")
		page := f.must(200, get("/api/v1/unsubscribe?token="+tok, "").with("Accept", "text/html,application/xhtml+xml"))
		assert.True(t, strings.HasPrefix(page.Header.Get("Content-Type"), "text/html"))
		assert.Contains(t, string(page.Body), "Вы уже были отписаны")
		assert.Contains(t, string(page.Body), "You are unsubscribed")
		oneClick := req{method: "POST", path: "/api/v1/unsubscribe?token=" + tok, body: "List-Unsubscribe=One-Click",
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}
		res = f.must(200, oneClick)
		assert.Equal(t, true, res.JSON()["already"])
		oneClick.body = "List-Unsubscribe=Maybe"
		res = f.must(422, oneClick)
		assert.Equal(t, []string{"List-Unsubscribe"}, res.Fields())

		// A tampered or foreign token: 404, the same answer whatever is wrong, never an address.
		raw := notify.UnsubscribeToken([]byte(testUnsubscribeKey), f.a.dealer.ID, "lead:"+w.lead, notify.ChannelSMS)
		for _, bad := range []string{raw[:len(raw)-3] + "AAA", "forged." + raw, "",
			notify.UnsubscribeToken([]byte("another key"), f.a.dealer.ID, "lead:"+w.lead, notify.ChannelSMS)} {
			res = f.must(404, get("/api/v1/unsubscribe?token="+url.QueryEscape(bad), ""))
			assert.Equal(t, "unsubscribe_token_invalid", res.Str("code"))
			assert.NotContains(t, string(res.Body), address)
		}
		page = f.must(404, get("/api/v1/unsubscribe?token=forged", "").with("Accept", "text/html"))
		assert.Contains(t, string(page.Body), "Ссылка недействительна")

		lead = f.must(200, get("/api/v1/leads/"+w.lead, admin))
		byKey := map[string]map[string]any{}
		for _, x := range lead.JSON()["consents"].([]any) {
			m := x.(map[string]any)
			byKey[m["channel"].(string)+"/"+m["purpose"].(string)] = m
		}
		for _, k := range []string{"sms/service", "sms/marketing"} {
			require.Contains(t, byKey, k)
			assert.Equal(t, false, byKey[k]["granted"], k)
			assert.Equal(t, "unsubscribe_link", byKey[k]["source"], k)
		}
		c2 := f.must(201, post("/api/v1/campaigns", admin, obj{"name": "Ещё раз", "audience": obj{"kind": "test_drive_soon", "days": 30}}))
		run = f.must(200, post("/api/v1/campaigns/"+c2.Str("id")+"/run", admin, nil))
		assert.Equal(t, float64(1), run.JSON()["skipped"], "the unsubscribed lead is skipped")
	})
}

// TestConsentOverHTTP sets a customer's consents on create and PATCH: the view shows each with when and where,
// a repeated word keeps its time, an unknown channel or purpose is a 422 naming it.
func TestConsentOverHTTP(t *testing.T) {
	onBothAdapters(t, func(t *testing.T, f *fixture) {
		tok := f.a.token(crm.RoleSalesManager)
		c := f.must(201, post("/api/v1/customers", tok, obj{"name": "Мария Смирнова", "email": "m.smirnova@example.ru",
			"phone": "+7 903 555-12-34", "consents": []obj{
				{"channel": "email", "purpose": "marketing", "granted": true, "source": "import", "at": "2026-10-01T12:00:00Z"},
				{"channel": "sms", "purpose": "service", "granted": false}}}))
		cons := c.JSON()["consents"].([]any)
		require.Len(t, cons, 2)
		first := cons[0].(map[string]any)
		assert.Equal(t, "email", first["channel"])
		assert.Equal(t, "2026-10-01T12:00:00.000000Z", first["at"])
		assert.Equal(t, "import", first["source"])
		second := cons[1].(map[string]any)
		assert.Equal(t, "api", second["source"], "the default source")
		f.clock.Advance(time.Hour)
		id := c.Str("id")
		up := f.must(200, patch("/api/v1/customers/"+id, tok, obj{"consents": []obj{
			{"channel": "email", "purpose": "marketing", "granted": true},
			{"channel": "sms", "purpose": "marketing", "granted": true, "source": "form"}}}).with("If-Match", `"1"`))
		cons = up.JSON()["consents"].([]any)
		require.Len(t, cons, 3, "the words not named are kept")
		assert.Equal(t, "2026-10-01T12:00:00.000000Z", cons[0].(map[string]any)["at"], "repeated: unchanged")
		res := f.must(422, patch("/api/v1/customers/"+id, tok, obj{"consents": []obj{{"channel": "fax", "purpose": "spam", "granted": true}}}))
		assert.ElementsMatch(t, []string{"consents[0].channel", "consents[0].purpose"}, res.Fields())
		res = f.must(422, post("/api/v1/customers", tok, obj{"name": "Без согласия", "email": "x@example.ru",
			"consents": []obj{{"channel": "email", "purpose": "marketing"}}}))
		assert.Equal(t, []string{"consents[0].granted"}, res.Fields())
		got := f.must(200, get("/api/v1/customers/"+id, f.a.token(crm.RoleReadOnly)))
		assert.Len(t, got.JSON()["consents"].([]any), 3)

		// A word dated after now is refused, naming the entry's at, and changes nothing.
		future := f.clock.Now().Add(time.Minute).Format(time.RFC3339)
		res = f.must(422, patch("/api/v1/customers/"+id, tok, obj{"consents": []obj{
			{"channel": "sms", "purpose": "service", "granted": true},
			{"channel": "email", "purpose": "service", "granted": false, "at": future}}}).with("If-Match", `"2"`))
		assert.Equal(t, []string{"consents[1].at"}, res.Fields())
		after := f.must(200, get("/api/v1/customers/"+id, tok))
		assert.Equal(t, got.JSON()["consents"], after.JSON()["consents"])
		assert.Equal(t, got.Str("version"), after.Str("version"))
		res = f.must(422, post("/api/v1/customers", tok, obj{"name": "Из будущего", "email": "f@example.ru",
			"consents": []obj{{"channel": "email", "purpose": "marketing", "granted": true, "at": future}}}))
		assert.Equal(t, []string{"consents[0].at"}, res.Fields())
		lead := f.must(201, post("/api/v1/leads", tok, obj{"name": "Пётр Лидов", "email": "p.lidov@example.ru",
			"source": "website", "need_type": "car_purchase"}))
		res = f.must(422, patch("/api/v1/leads/"+lead.Str("id"), tok, obj{"consents": []obj{
			{"channel": "email", "purpose": "marketing", "granted": true, "at": future}}}).with("If-Match", `"1"`))
		assert.Equal(t, []string{"consents[0].at"}, res.Fields(), "the lead's body path, not contact.consents")
		res = f.must(422, post("/api/v1/leads", tok, obj{"name": "Пётр Лидов", "email": "p.lidov@example.ru",
			"source": "website", "need_type": "car_purchase",
			"consents": []obj{{"channel": "sms", "purpose": "service", "granted": true, "at": future}}}))
		assert.Equal(t, []string{"consents[0].at"}, res.Fields())
		f.must(200, patch("/api/v1/leads/"+lead.Str("id"), tok, obj{"consents": []obj{
			{"channel": "email", "purpose": "marketing", "granted": true, "at": f.clock.Now().Format(time.RFC3339)}}}).with("If-Match", `"1"`))
	})
}
