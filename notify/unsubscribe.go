package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// Unsubscribe is how unsubscribe links are made: Key signs the tokens (HMAC-SHA256; keep it secret and stable:
// a link stays valid as long as the key does) and URL is the page the link opens, to which "?token=" and the
// token are appended (e.g. https://crm.example.com/api/v1/unsubscribe). Without a Key campaign mail carries no
// link.
type Unsubscribe struct {
	Key []byte
	URL string
}

// UnsubscribeToken signs (dealer, address, campaign): base64url(payload) "." base64url(HMAC-SHA256(key, payload)).
func UnsubscribeToken(key []byte, dealer crm.ID, address string, campaign crm.ID) string {
	payload := dealer.String() + "|" + campaign.String() + "|" + address
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(payload))
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(mac.Sum(nil))
}

// parseUnsubscribeToken verifies a token made by UnsubscribeToken with key; ErrUnsubscribeToken otherwise.
func parseUnsubscribeToken(key []byte, token string) (dealer crm.ID, address string, campaign crm.ID, err error) {
	const op = "notify.Service.Unsubscribe"
	bad := crm.Wrap(op, ErrUnsubscribeToken)
	if len(key) == 0 {
		return dealer, "", campaign, bad
	}
	body, sig, ok := strings.Cut(token, ".")
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(body)
	got, err2 := enc.DecodeString(sig)
	if !ok || err1 != nil || err2 != nil {
		return dealer, "", campaign, bad
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(payload)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return dealer, "", campaign, bad
	}
	parts := strings.SplitN(string(payload), "|", 3)
	if len(parts) != 3 {
		return dealer, "", campaign, bad
	}
	d, err1 := crm.ParseID("token", parts[0])
	c, err2 := crm.ParseID("token", parts[1])
	if err1 != nil || err2 != nil || parts[2] == "" {
		return dealer, "", campaign, bad
	}
	return d, parts[2], c, nil
}

// unsubscribeLink is the link of address in campaign's mail, or "" without a key.
func (s *Service) unsubscribeLink(dealer crm.ID, address string, campaign crm.ID) string {
	if len(s.unsub.Key) == 0 {
		return ""
	}
	base := s.unsub.URL
	if base == "" {
		base = "/api/v1/unsubscribe"
	}
	return base + "?token=" + url.QueryEscape(UnsubscribeToken(s.unsub.Key, dealer, address, campaign))
}

// Unsubscribed is the outcome of Unsubscribe.
type Unsubscribed struct {
	DealerID crm.ID
	Address  string
	Already  bool // the address had unsubscribed before
}

// Unsubscribe records that the address a signed token names wants no more campaign mail from the token's dealer
// (the unsubscribe link: it needs no login, the token is the proof). Idempotent. ErrUnsubscribeToken (invalid,
// naming token) for a token that does not verify with the service's key.
func (s *Service) Unsubscribe(ctx context.Context, token string) (Unsubscribed, error) {
	const op = "notify.Service.Unsubscribe"
	dealer, address, campaign, err := parseUnsubscribeToken(s.unsub.Key, token)
	if err != nil {
		return Unsubscribed{}, err
	}
	out := Unsubscribed{DealerID: dealer, Address: address}
	err = s.uow.Update(crm.WithDealer(ctx, dealer), func(ctx context.Context, st Stores) error {
		off, err := st.Suppressions().Has(ctx, address)
		if err != nil || off {
			out.Already = off
			return err
		}
		return st.Suppressions().Add(ctx, &Suppression{Address: address, CampaignID: campaign})
	})
	if err != nil && crm.KindOf(err) == crm.KindConflict {
		out.Already, err = true, nil
	}
	return out, crm.Wrap(op, err)
}
