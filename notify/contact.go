package notify

import (
	"context"
	"errors"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// contact is where a message may go for its purpose: the e-mails and phones its person allows (the first
// preferred), and the channels on which the person has an address but no consent.
type contact struct {
	name    string
	key     string // the person an unsubscribe link names: "lead:<id>" or "customer:<id>"
	emails  []string
	phones  []string
	refused []Channel       // channels with an address but no consent for the purpose, in the order met
	denied  map[string]bool // the addresses refused
}

// purposeOf is what a message is for: a campaign's is marketing, every other notice (bookings, reminders, a
// purchase) service.
func purposeOf(m crm.Message) crm.ConsentPurpose {
	if m.Data["campaign_id"] != "" {
		return crm.PurposeMarketing
	}
	return crm.PurposeService
}

// consentChannel is the consent channel of a message channel.
func consentChannel(ch Channel) crm.ConsentChannel {
	if ch == ChannelSMS {
		return crm.ConsentSMS
	}
	return crm.ConsentEmail
}

// addPerson adds p's addresses its consents allow for purpose, and notes the refused ones.
func (c *contact) addPerson(p crm.Contact, purpose crm.ConsentPurpose) {
	if c.name == "" {
		c.name = strings.TrimSpace(p.FirstName)
	}
	for _, e := range p.Emails {
		c.addFor(ChannelEmail, e, p.Consents.Allows(crm.ConsentEmail, purpose))
	}
	for _, ph := range p.Phones {
		c.addFor(ChannelSMS, ph, p.Consents.Allows(crm.ConsentSMS, purpose))
	}
}

func (c *contact) addFor(ch Channel, addr string, allowed bool) {
	if allowed {
		c.add(addr)
		return
	}
	if c.denied == nil {
		c.denied = map[string]bool{}
	}
	if a := normalAddress(addr); a != "" {
		c.denied[a] = true
	}
	if !containsChannel(c.refused, ch) {
		c.refused = append(c.refused, ch)
	}
}

// add adds addr (an e-mail or a phone) unless it is refused or there already.
func (c *contact) add(addr string) {
	a := normalAddress(addr)
	if a == "" || c.denied[a] {
		return
	}
	if strings.Contains(a, "@") {
		if !containsString(c.emails, a) {
			c.emails = append(c.emails, a)
		}
		return
	}
	if !containsString(c.phones, a) {
		c.phones = append(c.phones, a)
	}
}

// normalAddress is addr as an e-mail or a phone, normalised ("" when neither).
func normalAddress(addr string) string {
	if e := crm.NormalizeEmail(addr); e != "" {
		return e
	}
	return crm.NormalizePhone(addr)
}

func containsChannel(s []Channel, ch Channel) bool {
	for _, x := range s {
		if x == ch {
			return true
		}
	}
	return false
}

// contactOf gathers where m may go for its purpose: the e-mails and phones of the lead and customer its data
// names (lead_id, customer_id) that their consents allow, and, for a service notice, its recipient unless one of
// them refused it; with the first name to greet. A lead or customer since deleted adds nothing.
func (s *Service) contactOf(ctx context.Context, st Stores, m crm.Message) (contact, error) {
	purpose := purposeOf(m)
	var people contact
	people.name = m.Data["name"]
	if id, ok := dataID(m, "lead_id"); ok {
		people.key = "lead:" + id.String()
		l, err := st.Leads().Get(ctx, id)
		if err != nil && !errors.Is(err, crm.ErrNotFound) {
			return people, err
		}
		if err == nil {
			people.addPerson(l.Contact, purpose)
		}
	}
	if id, ok := dataID(m, "customer_id"); ok {
		if people.key == "" {
			people.key = "customer:" + id.String()
		}
		cu, err := st.Customers().Get(ctx, id)
		if err != nil && !errors.Is(err, crm.ErrNotFound) {
			return people, err
		}
		if err == nil {
			people.addPerson(cu.Contact, purpose)
		}
	}
	c := contact{name: people.name, key: people.key, refused: people.refused, denied: people.denied}
	if purpose == crm.PurposeService {
		c.add(m.Recipient)
	}
	for _, e := range people.emails {
		c.add(e)
	}
	for _, ph := range people.phones {
		c.add(ph)
	}
	return c, nil
}

// dataID reads an ID from m's data.
func dataID(m crm.Message, key string) (crm.ID, bool) {
	s, ok := m.Data[key]
	if !ok || s == "" {
		return crm.ID{}, false
	}
	id, err := crm.ParseID(key, s)
	return id, err == nil && id != (crm.ID{})
}
