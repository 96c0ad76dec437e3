package leads

import (
	"context"
	"errors"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// BookingSources is what booking a test drive reads before it writes: the dealer (named in the notice), the
// dealer's test-drive schedule, the lead, its customer and the car. A record that is not there is left zero (its
// ID zero); the booking decides what that means.
type BookingSources struct {
	Dealer      crm.Dealer // its ID, name and address at least (what the notice names; a BookingReader may leave the rest zero)
	Schedule    Schedule   // valid when HasSchedule; else the service's defaults apply
	HasSchedule bool
	Lead        Lead            // the lead asked for (locked in a read-write unit of work)
	Customer    crm.Customer    // the customer asked for, else the lead's
	Vehicle     catalog.Vehicle // the car (locked in a read-write unit of work), read as GetForReserve reads it
}

// BookingReader is an optional capability of a Stores bundle: reading a booking's sources at once (the
// PostgreSQL adapter's is one statement). BookTestDrive asks for it with a type assertion and reads store by store
// when the bundle lacks it.
type BookingReader interface {
	// ReadBooking reads the dealer (its ID, name and address at least), its schedule, lead leadID (none when zero), the customer customerID (when
	// zero, the lead's) and vehicle vehicleID (as catalog.VehicleStore.GetForReserve reads it: without its shared
	// holds), locking the lead and the vehicle in a read-write unit of work.
	// Missing records are left zero; errors are the database's.
	ReadBooking(ctx context.Context, leadID, customerID, vehicleID crm.ID) (BookingSources, error)
}

// bookingSources reads b's sources through st's BookingReader when it has one, else store by store.
func bookingSources(ctx context.Context, st Stores, b TestDriveBooking) (BookingSources, error) {
	if r, ok := st.(BookingReader); ok {
		return r.ReadBooking(ctx, b.LeadID, b.CustomerID, b.VehicleID)
	}
	var src BookingSources
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return src, err
	}
	absent := func(err error) error {
		if errors.Is(err, crm.ErrNotFound) {
			return nil
		}
		return err
	}
	if src.Dealer, err = st.Dealers().Get(ctx, dealer); absent(err) != nil {
		return src, err
	}
	if src.Schedule, err = st.Schedules().Get(ctx); err == nil {
		src.HasSchedule = true
	} else if absent(err) != nil {
		return src, err
	}
	if b.LeadID != (crm.ID{}) {
		if src.Lead, err = st.Leads().Get(ctx, b.LeadID); absent(err) != nil {
			return src, err
		}
	}
	customer := b.CustomerID
	if customer == (crm.ID{}) {
		customer = src.Lead.CustomerID
	}
	if customer != (crm.ID{}) {
		if src.Customer, err = st.Customers().Get(ctx, customer); absent(err) != nil {
			return src, err
		}
	}
	if src.Vehicle, err = st.Vehicles().GetForReserve(ctx, b.VehicleID); absent(err) != nil {
		return src, err
	}
	return src, nil
}
