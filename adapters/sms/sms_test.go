package sms_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dealercrm/dealercrm/adapters/sms"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// TestGatewayShapeAndErrors posts the documented shape with the message ID as idempotency key; 4xx is permanent,
// 429 and 5xx are retried, and the token never appears in an error.
func TestGatewayShapeAndErrors(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusAccepted)
	var got map[string]string
	var key, auth string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, auth = r.Header.Get("Idempotency-Key"), r.Header.Get("Authorization")
		require.NoError(t, json.NewDecoder(r.Body).Decode(&got))
		w.WriteHeader(int(status.Load()))
	}))
	defer ts.Close()
	g := &sms.Gateway{URL: ts.URL, Token: "gateway-token-1", Sender: "SeverAuto"}
	m := notify.TextMessage{MessageID: crm.NewID(), To: "+79001234567", Text: "Напоминаем: тест-драйв завтра в 10:00"}
	require.NoError(t, g.SendSMS(context.Background(), m))
	assert.Equal(t, map[string]string{"id": m.MessageID.String(), "to": m.To, "text": m.Text, "sender": "SeverAuto"}, got)
	assert.Equal(t, m.MessageID.String(), key)
	assert.Equal(t, "Bearer gateway-token-1", auth)
	for code, permanent := range map[int]bool{400: true, 422: true, 429: false, 500: false, 503: false} {
		status.Store(int32(code))
		err := g.SendSMS(context.Background(), m)
		require.Error(t, err)
		assert.Equal(t, permanent, crm.IsPermanent(err), "%d", code)
		assert.NotContains(t, err.Error(), "gateway-token-1")
	}
	ts.Close()
	err := g.SendSMS(context.Background(), m)
	require.Error(t, err)
	assert.False(t, crm.IsPermanent(err))
}

func TestRecorderKeepsOrder(t *testing.T) {
	var r sms.Recorder
	for _, to := range []string{"+7900", "+7901"} {
		require.NoError(t, r.SendSMS(context.Background(), notify.TextMessage{To: to}))
	}
	sent := r.Sent()
	require.Len(t, sent, 2)
	assert.Equal(t, "+7901", sent[1].To)
}
