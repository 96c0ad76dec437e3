package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/notify"
)

// Recorder keeps every SMS it is given, in order; safe for concurrent use.
type Recorder struct {
	mu   sync.Mutex
	sent []notify.TextMessage
}

var _ notify.SMSSender = (*Recorder)(nil)

// SendSMS records m.
func (r *Recorder) SendSMS(_ context.Context, m notify.TextMessage) error {
	r.mu.Lock()
	r.sent = append(r.sent, m)
	r.mu.Unlock()
	return nil
}

// Sent returns the messages recorded, oldest first.
func (r *Recorder) Sent() []notify.TextMessage {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.TextMessage(nil), r.sent...)
}

// Gateway posts SMS to an HTTP gateway (the shape is in the package doc).
type Gateway struct {
	URL    string
	Token  string       // sent as a bearer token; never logged or put in an error
	Sender string       // the sender name or number, when the gateway needs one
	Client *http.Client // default: a client with a 15 s timeout
}

var _ notify.SMSSender = (*Gateway)(nil)

// SendSMS posts m (see the package doc for the errors).
func (g *Gateway) SendSMS(ctx context.Context, m notify.TextMessage) error {
	body, err := json.Marshal(map[string]string{"id": m.MessageID.String(), "to": m.To, "text": m.Text, "sender": g.Sender})
	if err != nil {
		return crm.Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return crm.Permanent(fmt.Errorf("sms: bad gateway URL"))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.MessageID.String())
	if g.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.Token)
	}
	client := g.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("sms: gateway unreachable: %w", ctxOr(ctx, err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		return fmt.Errorf("sms: gateway answered %d", code)
	default:
		return crm.Permanent(fmt.Errorf("sms: gateway refused the message: %d", code))
	}
}

// ctxOr is the context's error when it is done (the request's own error names the URL).
func ctxOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("%T", err)
}
