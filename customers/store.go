package customers

import (
	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
)

// Stores is what the customer use cases read and write inside one unit of work: the customers, and every store
// whose records name a customer, so that a merge moves them all atomically.
type Stores interface {
	Customers() crm.CustomerStore
	Leads() leads.LeadStore
	TestDrives() leads.TestDriveStore
	Sales() sales.SaleStore
	CustomerVehicles() aftersales.CustomerVehicleStore
	Appointments() aftersales.AppointmentStore // the service appointments booked for a customer (merge_aftersales.go)
	Vehicles() catalog.VehicleStore
	CreditApplications() credit.ApplicationStore
	Appraisals() appraisal.Store // the sheets of the cars a customer offered (merge_appraisals.go)
	Activities() activities.Store
}
