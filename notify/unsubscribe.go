package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dealercrm/dealercrm/crm"
)

// Unsubscribe is how unsubscribe links are made: Key signs the tokens (HMAC-SHA256 under a key derived per
// dealer; keep it secret and stable: a link stays valid as long as the key does) and URL is the address the
// link opens, to which "?token=" and the token are appended (e.g. https://crm.example.com/api/v1/unsubscribe).
// Without a Key campaign mail carries no link.
type Unsubscribe struct {
	Key []byte
	URL string
}

// tokenVersion is the first byte of every token's payload, so that a later format can be told apart.
const tokenVersion = 1

// macSize is how many bytes of the HMAC-SHA256 a token carries (128 bits).
const macSize = 16

// UnsubscribeToken signs an unsubscribe link for contact ("lead:<id>" or "customer:<id>", a campaign
// recipient's Key) of dealer on channel: base64url of a payload of IDs (version, dealer, contact kind and ID,
// channel — never an address) followed by its HMAC-SHA256 under a key derived from key and the dealer. It
// returns "" for a contact or channel it cannot name.
func UnsubscribeToken(key []byte, dealer crm.ID, contact string, ch Channel) string {
	payload, ok := tokenPayload(dealer, contact, ch)
	if !ok {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(append(payload, tokenMAC(key, dealer, payload)...))
}

func tokenPayload(dealer crm.ID, contact string, ch Channel) ([]byte, bool) {
	kind, idText, _ := strings.Cut(contact, ":")
	id, err := uuid.Parse(idText)
	var k, c byte
	switch kind {
	case "lead":
		k = 'l'
	case "customer":
		k = 'c'
	}
	switch ch {
	case ChannelEmail:
		c = 'e'
	case ChannelSMS:
		c = 's'
	}
	if err != nil || k == 0 || c == 0 {
		return nil, false
	}
	out := []byte{tokenVersion}
	out = append(out, dealer[:]...)
	out = append(out, k)
	out = append(out, id[:]...)
	return append(out, c), true
}

// tokenMAC is the MAC of payload under the dealer's key: HMAC-SHA256(HMAC-SHA256(key, dealer), payload).
func tokenMAC(key []byte, dealer crm.ID, payload []byte) []byte {
	dk := hmac.New(sha256.New, key)
	dk.Write([]byte("dealercrm unsubscribe\x00"))
	dk.Write(dealer[:])
	mac := hmac.New(sha256.New, dk.Sum(nil))
	mac.Write(payload)
	return mac.Sum(nil)[:macSize]
}

// unsubscribeTarget is what a verified token names.
type unsubscribeTarget struct {
	dealer  crm.ID
	kind    string // lead or customer
	id      crm.ID
	channel Channel
}

// parseUnsubscribeToken verifies a token made by UnsubscribeToken with key; ErrUnsubscribeToken otherwise (the
// same error for every way it can be wrong).
func parseUnsubscribeToken(key []byte, token string) (unsubscribeTarget, error) {
	bad := crm.Wrap("notify.Service.Unsubscribe", ErrUnsubscribeToken)
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(token))
	const size = 1 + 16 + 1 + 16 + 1
	if len(key) == 0 || err != nil || len(raw) != size+macSize || raw[0] != tokenVersion {
		return unsubscribeTarget{}, bad
	}
	payload, sig := raw[:size], raw[size:]
	var t unsubscribeTarget
	copy(t.dealer[:], payload[1:17])
	if !hmac.Equal(sig, tokenMAC(key, t.dealer, payload)) {
		return unsubscribeTarget{}, bad
	}
	copy(t.id[:], payload[18:34])
	switch payload[17] {
	case 'l':
		t.kind = "lead"
	case 'c':
		t.kind = "customer"
	}
	switch payload[34] {
	case 'e':
		t.channel = ChannelEmail
	case 's':
		t.channel = ChannelSMS
	}
	if t.kind == "" || t.channel == "" {
		return unsubscribeTarget{}, bad
	}
	return t, nil
}

// unsubscribeLink is the link of contact's mail on ch, or "" without a key or a contact.
func (s *Service) unsubscribeLink(dealer crm.ID, contact string, ch Channel) string {
	if len(s.unsub.Key) == 0 {
		return ""
	}
	tok := UnsubscribeToken(s.unsub.Key, dealer, contact, ch)
	if tok == "" {
		return ""
	}
	base := s.unsub.URL
	if base == "" {
		base = "/api/v1/unsubscribe"
	}
	return base + "?token=" + url.QueryEscape(tok)
}

// Unsubscribed is the outcome of Unsubscribe: whose consent was withdrawn on which channel. It names no
// address.
type Unsubscribed struct {
	DealerID crm.ID
	Contact  string  // "lead:<id>" or "customer:<id>"
	Channel  Channel // email or sms
	Already  bool    // every consent had been withdrawn before
}

// Unsubscribe follows an unsubscribe link (it needs no login: the signed token is the proof): the contact the
// token withdraws consent on every channel for every purpose — service notices, reminders and campaigns alike,
// by e-mail and SMS — at now from the source unsubscribe_link; so do the dealer's other leads and customers that
// share an address of the token's channel with it (the same person's other records), so nothing reaches the
// person any more (crm.Consents.Unsubscribe). Idempotent (Already). ErrUnsubscribeToken (a not-found kind) for a token that does not verify with
// the service's key; it says nothing about why.
func (s *Service) Unsubscribe(ctx context.Context, token string) (Unsubscribed, error) {
	const op = "notify.Service.Unsubscribe"
	t, err := parseUnsubscribeToken(s.unsub.Key, token)
	if err != nil {
		return Unsubscribed{}, err
	}
	out := Unsubscribed{DealerID: t.dealer, Contact: t.kind + ":" + t.id.String(), Channel: t.channel, Already: true}
	ch := consentChannel(t.channel)
	err = s.uow.Update(crm.WithDealer(ctx, t.dealer), func(ctx context.Context, st Stores) error {
		out.Already = true
		now := crm.Now(ctx)
		w := withdrawal{st: st, ch: ch, now: now, seenLeads: map[crm.ID]bool{}, seenCustomers: map[crm.ID]bool{}}
		var addrs []string
		var err error
		if t.kind == "lead" {
			addrs, err = w.lead(ctx, t.id)
		} else {
			addrs, err = w.customer(ctx, t.id)
		}
		if err != nil {
			return err
		}
		out.Already = !w.changed
		return w.sameAddresses(ctx, addrs)
	})
	return out, crm.Wrap(op, err)
}

// withdrawal withdraws every consent from a contact and from the records sharing its addresses on the link's
// channel, each once.
type withdrawal struct {
	st            Stores
	ch            crm.ConsentChannel
	now           time.Time
	seenLeads     map[crm.ID]bool
	seenCustomers map[crm.ID]bool
	changed       bool // the first contact's consents changed
	others        int  // other records changed
}

// addressesOn returns c's addresses on the channel.
func addressesOn(c crm.Contact, ch crm.ConsentChannel) []string {
	if ch == crm.ConsentSMS {
		return c.Phones
	}
	return c.Emails
}

// lead withdraws the lead's consent; it returns the lead's addresses on the channel (none when it is gone).
func (w *withdrawal) lead(ctx context.Context, id crm.ID) ([]string, error) {
	w.seenLeads[id] = true
	l, err := w.st.Leads().Get(ctx, id)
	if errors.Is(err, crm.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	next := l.Contact.Consents.Unsubscribe(w.now)
	if consentsEqual(next, l.Contact.Consents) {
		return addressesOn(l.Contact, w.ch), nil
	}
	l.Contact.Consents = next
	w.note()
	return addressesOn(l.Contact, w.ch), w.st.Leads().Update(ctx, &l)
}

// customer withdraws the customer's consent; it returns the customer's addresses on the channel.
func (w *withdrawal) customer(ctx context.Context, id crm.ID) ([]string, error) {
	w.seenCustomers[id] = true
	c, err := w.st.Customers().Get(ctx, id)
	if errors.Is(err, crm.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	next := c.Consents.Unsubscribe(w.now)
	if consentsEqual(next, c.Consents) {
		return addressesOn(c.Contact, w.ch), nil
	}
	c.Consents = next
	c.UpdatedAt = w.now
	w.note()
	return addressesOn(c.Contact, w.ch), w.st.Customers().Update(ctx, &c)
}

// note counts a change: the first contact's, or another record's.
func (w *withdrawal) note() {
	if len(w.seenLeads)+len(w.seenCustomers) == 1 {
		w.changed = true
		return
	}
	w.others++
}

// sameAddresses withdraws consent from every lead and customer of the dealer having one of addrs.
func (w *withdrawal) sameAddresses(ctx context.Context, addrs []string) error {
	for _, a := range addrs {
		phone, email := "", ""
		if w.ch == crm.ConsentSMS {
			phone = a
		} else {
			email = a
		}
		ls, err := w.st.Leads().FindByContact(ctx, phone, email)
		if err != nil {
			return err
		}
		for _, l := range ls {
			if !w.seenLeads[l.ID] {
				if _, err := w.lead(ctx, l.ID); err != nil {
					return err
				}
			}
		}
		cs, err := w.st.Customers().FindByContact(ctx, phone, email)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if !w.seenCustomers[c.ID] {
				if _, err := w.customer(ctx, c.ID); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func consentsEqual(a, b crm.Consents) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Channel != b[i].Channel || a[i].Purpose != b[i].Purpose || a[i].Granted != b[i].Granted ||
			a[i].Source != b[i].Source || !a[i].At.Equal(b[i].At) {
			return false
		}
	}
	return true
}
