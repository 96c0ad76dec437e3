package main

import (
	"encoding/json"
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

	var items []map[string]any
	require.Eventually(t, func() bool {
		resp, err := s.do("GET", "/dev/mail", "")
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

	code, box := s.get(t, "/api/v1/mailbox", s.tokens["Дилерский центр Север/admin"])
	require.Equal(t, 200, code, box)
	assert.Equal(t, true, box["configured"])
	assert.Equal(t, "none", box["security"])
	code, _ = s.get(t, "/api/v1/mailbox", s.tokens["Дилерский центр Север/sales_manager"])
	assert.Equal(t, 403, code)
}
