package aftersales

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// CustomerVehicleStore keeps the customer vehicles of the context's dealer. Every method returns a
// crm.KindForbidden error when the context carries no dealer.
type CustomerVehicleStore interface {
	// Get returns the customer vehicle; KindNotFound if missing or another dealer's.
	Get(ctx context.Context, id crm.ID) (CustomerVehicle, error)
	// Create saves a new customer vehicle (Version becomes 1); KindConflict if the dealer already has one for the
	// same vehicle and sale, one with the same VIN (crm.CodeDuplicate), or one with the same ID.
	Create(ctx context.Context, cv *CustomerVehicle) error
	// Update saves cv if cv.Version is the stored one and bumps it; KindStaleVersion otherwise, KindNotFound if
	// missing or another dealer's, KindConflict (crm.CodeDuplicate) for a VIN another of the dealer's cars has.
	Update(ctx context.Context, cv *CustomerVehicle) error
	// ListByCustomer returns the customer's vehicles, oldest first (by creation, then ID); empty if none.
	ListByCustomer(ctx context.Context, customerID crm.ID) ([]CustomerVehicle, error)
	// ListByVehicle returns the records of one catalog vehicle, oldest first; empty if none.
	ListByVehicle(ctx context.Context, vehicleID crm.ID) ([]CustomerVehicle, error)
	// FindByVIN returns the dealer's customer vehicle with this VIN; KindNotFound if there is none. A dealer has at
	// most one: Create and Update refuse a second with a crm.CodeDuplicate conflict (in PostgreSQL a unique index).
	FindByVIN(ctx context.Context, vin catalog.VIN) (CustomerVehicle, error)
	// FindBySale returns the customer vehicle created by a won sale; KindNotFound if there is none.
	FindBySale(ctx context.Context, saleID crm.ID) (CustomerVehicle, error)
	// List returns up to limit of the dealer's customer vehicles, oldest first (by creation, then ID), after the
	// record at (afterCreated, afterID); zero values start from the first.
	List(ctx context.Context, afterCreated time.Time, afterID crm.ID, limit int) ([]CustomerVehicle, error)
}

// MileageReadingStore keeps the mileage readings of the context's dealer's customer vehicles. Every method
// returns a crm.KindForbidden error when the context carries no dealer.
type MileageReadingStore interface {
	// Create saves a new reading (Version becomes 1); KindConflict for an ID already stored.
	Create(ctx context.Context, r *MileageReading) error
	// ListByCustomerVehicle returns the car's readings by the time they were taken (then by creation and ID);
	// empty if none.
	ListByCustomerVehicle(ctx context.Context, customerVehicleID crm.ID) ([]MileageReading, error)
	// ListByCustomerVehicles returns the readings of several cars at once (one statement in PostgreSQL), each
	// car's in the order of ListByCustomerVehicle, the cars' in no promised order; empty if none.
	ListByCustomerVehicles(ctx context.Context, customerVehicleIDs []crm.ID) ([]MileageReading, error)
}

// CarSaleStore reads the dealer's won sales for the service side's overview of a car (a port declared here
// because aftersales cannot import sales; each adapter answers it from its sales and vehicles). Every method
// returns a crm.KindForbidden error when the context carries no dealer.
type CarSaleStore interface {
	// ListWonByVIN returns the won sales of the dealer's catalog vehicles with this VIN, oldest first; empty if none.
	ListWonByVIN(ctx context.Context, vin catalog.VIN) ([]CarSale, error)
}

// Stores is what aftersales services read and write inside one unit of work: the service side's own stores,
// the customers and users they name, the catalog's vehicles, parts and labour operations, and the directory's
// per-model maintenance plans and warranty terms.
type Stores interface {
	catalog.PerModelStores
	CustomerVehicles() CustomerVehicleStore
	MileageReadings() MileageReadingStore
	Workshops() WorkshopStore
	Appointments() AppointmentStore
	AdvisorDays() AdvisorDayStore
	Warranties() WarrantyStore
	CarSales() CarSaleStore
	Customers() crm.CustomerStore
	Users() crm.UserStore
	Vehicles() catalog.VehicleStore
	Parts() catalog.PartStore
	Labours() catalog.LabourStore
}
