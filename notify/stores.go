package notify

import (
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// Stores is what notify reads and writes inside a unit of work. Each adapter's transaction satisfies it.
type Stores interface {
	Dealers() crm.DealerStore
	Customers() crm.CustomerStore
	Outbox() crm.OutboxStore
	Leads() leads.LeadStore
	Mailboxes() MailboxStore
	Templates() TemplateStore
}
