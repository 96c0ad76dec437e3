package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServerSMTPCatcher runs the server with -smtp-catcher: the demo dealers' mailboxes point to the catcher, the
// demo's test-drive notices arrive there as real mail in UTF-8, /dev/mail lists them (JSON and a page), and
// GET /api/v1/mailbox shows the settings (admin only) without a secret.
func TestServerSMTPCatcher(t *testing.T) {
	s := start(t, "-smtp-catcher", "127.0.0.1:0")
	var caught string
	for _, l := range s.lines {
		if strings.HasPrefix(l, "smtp catcher on ") {
			caught = l
		}
	}
	require.NotEmpty(t, caught, s.lines)
	assert.Contains(t, caught, "2 dealer mailboxes point to it")

	sever := s.tokens["Дилерский центр Север/sales_manager"]
	var items []map[string]any
	require.Eventually(t, func() bool {
		resp, err := s.do("GET", "/dev/mail", sever)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var body struct {
			Items []map[string]any `json:"items"`
		}
		if json.NewDecoder(resp.Body).Decode(&body) != nil {
			return false
		}
		items = body.Items
		for _, m := range items {
			if strings.HasPrefix(m["subject"].(string), "Тест-драйв") {
				return true
			}
		}
		return false
	}, 20*time.Second, 50*time.Millisecond, "the demo's booked notices reach the catcher")
	m := items[0]
	assert.True(t, strings.HasPrefix(m["message_id"].(string), "<"))
	assert.NotEmpty(t, m["text"])
	for _, m := range items {
		assert.Equal(t, "info@sever-auto.ru", m["from"], "only the token's dealer's mail")
	}

	// /dev/mail shows only the presented token's dealer's mail: none without a token, none of Север's to Юг.
	resp, err := s.do("GET", "/dev/mail", "")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
	resp, err = s.do("GET", "/dev/mail", "not-a-token")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
	var yug string
	for k, v := range s.tokens {
		if !strings.HasPrefix(k, "Дилерский центр Север/") {
			yug = v
		}
	}
	require.NotEmpty(t, yug)
	code, theirs := s.get(t, "/dev/mail", yug)
	require.Equal(t, 200, code)
	for _, m := range theirs["items"].([]any) {
		assert.NotEqual(t, "info@sever-auto.ru", m.(map[string]any)["from"], "another dealer's mail is not shown")
	}
	code, _ = s.get(t, "/dev/mail?token="+sever, "")
	assert.Equal(t, 200, code, "a browser may pass the token in the query")

	code, box := s.get(t, "/api/v1/mailbox", s.tokens["Дилерский центр Север/admin"])
	require.Equal(t, 200, code, box)
	assert.Equal(t, true, box["configured"])
	assert.Equal(t, "none", box["security"])
	code, _ = s.get(t, "/api/v1/mailbox", s.tokens["Дилерский центр Север/sales_manager"])
	assert.Equal(t, 403, code)

	// A login the catcher cannot take over TLS: the test message and the relay fail, and no answer and no log
	// line shows the password.
	const password = "Сверхсекретный-пароль-26"
	admin := s.tokens["Дилерский центр Север/admin"]
	host, port, err := net.SplitHostPort(strings.TrimSuffix(strings.Fields(strings.TrimPrefix(caught, "smtp catcher on "))[0], ":"))
	require.NoError(t, err)
	p, _ := strconv.Atoi(port)
	body := `{"from_address": "info@sever.demo", "host": "` + host + `", "port": ` + strconv.Itoa(p) +
		`, "security": "starttls", "auth": "plain", "username": "info@sever.demo", "password": "` + password + `"}`
	var answers []string
	for _, r := range []struct{ method, path, body string }{{"PUT", "/api/v1/mailbox", body}, {"POST", "/api/v1/mailbox/test", `{}`},
		{"GET", "/api/v1/mailbox", ""}} {
		req, err := http.NewRequest(r.method, s.base+r.path, strings.NewReader(r.body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+admin)
		if r.method == "PUT" {
			req.Header.Set("If-Match", "*") // the demo's settings exist: replace them whatever their version
		}
		if r.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode, string(b))
		answers = append(answers, string(b))
	}
	assert.Contains(t, answers[1], `"sent":false`)
	assert.Contains(t, answers[1], "STARTTLS")
	time.Sleep(300 * time.Millisecond) // a few relay passes
	assert.NotContains(t, strings.Join(answers, "\n"), password)
	assert.NotContains(t, s.logs.String(), password)
}
