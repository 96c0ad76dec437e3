package notify

import (
	"context"
	"errors"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// contactOf gathers where m may go: its recipient, then the e-mails and phones of the lead and customer its data
// names (lead_id, customer_id), with the first name to greet. A lead or customer since deleted adds nothing.
func (s *Service) contactOf(ctx context.Context, st Stores, m crm.Message) (contact, error) {
	var c contact
	c.name = m.Data["name"]
	c.add(m.Recipient)
	person := func(p crm.Contact) {
		if c.name == "" {
			c.name = strings.TrimSpace(p.FirstName)
		}
		for _, e := range p.Emails {
			c.add(e)
		}
		for _, ph := range p.Phones {
			c.add(ph)
		}
	}
	if id, ok := dataID(m, "lead_id"); ok {
		l, err := st.Leads().Get(ctx, id)
		if err != nil && !errors.Is(err, crm.ErrNotFound) {
			return c, err
		}
		if err == nil {
			person(l.Contact)
		}
	}
	if id, ok := dataID(m, "customer_id"); ok {
		cu, err := st.Customers().Get(ctx, id)
		if err != nil && !errors.Is(err, crm.ErrNotFound) {
			return c, err
		}
		if err == nil {
			person(cu.Contact)
		}
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
