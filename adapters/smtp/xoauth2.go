package smtp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-sasl"

	"github.com/dealercrm/dealercrm/notify"
)

// XOAuth2 is the name of Google's SASL mechanism.
const XOAuth2 = "XOAUTH2"

// xoauth2Client is the client side of XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A.
type xoauth2Client struct{ user, token string }

// NewXOAuth2Client returns a SASL client that logs user in with an OAuth 2 access token.
func NewXOAuth2Client(user, token string) sasl.Client { return &xoauth2Client{user, token} }

func (c *xoauth2Client) Start() (string, []byte, error) {
	return XOAuth2, []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

// Next answers the server's error challenge (a JSON status) with an empty response, as the mechanism asks; the
// server then fails the command with its reply.
func (c *xoauth2Client) Next([]byte) ([]byte, error) { return []byte{}, nil }

// TokenSource returns an OAuth 2 access token for logging in to box with XOAUTH2.
type TokenSource interface {
	AccessToken(ctx context.Context, box notify.Mailbox) (string, error)
}

// RefreshTokens is the default TokenSource: the refresh-token grant (RFC 6749 §6) at box.OAuth.TokenURL with
// the client's ID and secret. It asks every time (a message is sent once per token; a cache would belong to
// an embedder with many messages per minute).
type RefreshTokens struct {
	// Client makes the token request; default: an http.Client with a 15 s timeout.
	Client *http.Client
}

// AccessToken requests a token. Its errors name the token endpoint's status, never a secret.
func (r RefreshTokens) AccessToken(ctx context.Context, box notify.Mailbox) (string, error) {
	client := r.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {box.OAuth.ClientID},
		"client_secret": {box.OAuth.ClientSecret.Reveal()}, "refresh_token": {box.OAuth.RefreshToken.Reveal()}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, box.OAuth.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("smtp: oauth token request: bad token URL")
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("smtp: oauth token request failed: %w", scrub(err))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var tok struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
	}
	_ = json.Unmarshal(body, &tok)
	if resp.StatusCode != http.StatusOK || tok.AccessToken == "" {
		return "", fmt.Errorf("smtp: oauth token endpoint answered %d %s", resp.StatusCode, tok.Error)
	}
	return tok.AccessToken, nil
}

// scrub drops a *url.Error's URL and method (a token URL may carry a query), keeping the cause.
func scrub(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
