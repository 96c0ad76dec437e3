package notify

import (
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// Stores is what notify reads and writes inside a unit of work. Each adapter's transaction satisfies it.
type Stores interface {
	Dealers() crm.DealerStore
	Customers() crm.CustomerStore
	Outbox() crm.OutboxStore
	Leads() leads.LeadStore
	TestDrives() leads.TestDriveStore
	Schedules() leads.ScheduleStore
	Vehicles() catalog.VehicleStore
	Appointments() aftersales.AppointmentStore
	Workshops() aftersales.WorkshopStore
	CustomerVehicles() aftersales.CustomerVehicleStore
	Warranties() aftersales.WarrantyStore
	Mailboxes() MailboxStore
	Templates() TemplateStore
	Campaigns() CampaignStore
}
