package leads

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// DriverStores is what telling drivers about their drives needs inside a unit of work: the drives, who booked
// them and the outbox. Stores satisfies it, and so does any bundle with these accessors (the sales domain's).
type DriverStores interface {
	Leads() LeadStore
	Customers() crm.CustomerStore
	TestDrives() TestDriveStore
	Outbox() crm.OutboxStore
}

// BookedDrives is what cancelling a sold car's drives reads: the car's booked drives (as
// TestDriveStore.ListByVehicle lists them) and who booked them — the lead of a drive booked for a lead, else its
// customer — one per drive, in the drives' order (a driver of two drives comes twice). A driver the dealer does
// not have is left out.
type BookedDrives struct {
	Drives    []TestDrive
	Leads     []Lead
	Customers []crm.Customer
}

// ReadBookedDrives reads vehicle vehicleID's BookedDrives store by store, for a bundle that cannot read them at
// once with the rest of what its caller reads (sales.WinReader).
func ReadBookedDrives(ctx context.Context, st DriverStores, vehicleID crm.ID) (BookedDrives, error) {
	var out BookedDrives
	var err error
	if out.Drives, err = st.TestDrives().ListByVehicle(ctx, vehicleID); err != nil {
		return BookedDrives{}, err
	}
	for _, d := range out.Drives {
		if err := out.addDriver(ctx, st, d); err != nil {
			return BookedDrives{}, err
		}
	}
	return out, nil
}

// addDriver reads who booked drive d into b, leaving out a driver the dealer does not have.
func (b *BookedDrives) addDriver(ctx context.Context, st DriverStores, d TestDrive) error {
	if d.LeadID != (crm.ID{}) {
		l, err := st.Leads().Get(ctx, d.LeadID)
		if err == nil {
			b.Leads = append(b.Leads, l)
		} else if !errors.Is(err, crm.ErrNotFound) {
			return err
		}
		return nil
	}
	c, err := st.Customers().Get(ctx, d.CustomerID)
	if err == nil {
		b.Customers = append(b.Customers, c)
	} else if !errors.Is(err, crm.ErrNotFound) {
		return err
	}
	return nil
}

// CancelDrivesForSale cancels, in the caller's unit of work, the booked drives of vehicle v that have not started
// at now (TestDrive.CloseForSale: reason "vehicle sold") — the buyer's own as much as other prospects' — and queues
// a "test_drive.cancelled" notice to each driver that has an e-mail or phone, dated in loc (nil: the default
// Config's). booked is what the caller read of v's drives (ReadBookedDrives, or its bundle's joined read); a
// cancelled drive whose driver is not in it is KindNotFound. A drive already under way is left to be completed.
// It returns the drives it cancelled.
func CancelDrivesForSale(ctx context.Context, st DriverStores, v catalog.Vehicle, booked BookedDrives, loc *time.Location, now time.Time) ([]TestDrive, error) {
	if loc == nil {
		loc = DefaultConfig().Location
	}
	var out []TestDrive
	for _, d := range booked.Drives {
		if !d.CloseForSale(now) {
			continue
		}
		if err := st.TestDrives().Update(ctx, &d); err != nil {
			return nil, err
		}
		if err := queueCancelled(ctx, st, d, v, booked, loc, now); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// queueCancelled queues the notice of cancelled drive d of vehicle v to its driver, when there is an address to
// send it to.
func queueCancelled(ctx context.Context, st DriverStores, d TestDrive, v catalog.Vehicle, booked BookedDrives, loc *time.Location, now time.Time) error {
	const op = "leads.CancelDrivesForSale"
	var name, recipient string
	if d.LeadID != (crm.ID{}) {
		i := slices.IndexFunc(booked.Leads, func(l Lead) bool { return l.ID == d.LeadID })
		if i < 0 {
			return crm.NotFound(op, "lead %s not found", d.LeadID)
		}
		l := booked.Leads[i]
		name, recipient = firstName(l.Contact), l.Recipient()
	} else {
		i := slices.IndexFunc(booked.Customers, func(c crm.Customer) bool { return c.ID == d.CustomerID })
		if i < 0 {
			return crm.NotFound(op, "customer %s not found", d.CustomerID)
		}
		c := booked.Customers[i]
		name = firstName(c.Contact)
		if len(c.Emails) > 0 {
			recipient = c.Emails[0]
		} else if len(c.Phones) > 0 {
			recipient = c.Phones[0]
		}
	}
	if recipient == "" {
		return nil
	}
	m := CancelledNotice(d, v, name, recipient, loc, now)
	return st.Outbox().Enqueue(ctx, &m)
}
