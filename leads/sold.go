package leads

import (
	"context"
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

// CancelDrivesForSale cancels, in the caller's unit of work, the booked drives of vehicle v that have not started
// at now (TestDrive.CloseForSale: reason "vehicle sold") — the buyer's own as much as other prospects' — and queues
// a "test_drive.cancelled" notice to each driver that has an e-mail or phone, dated in loc (nil: the default
// Config's). A drive already under way is left to be completed. It returns the drives it cancelled.
func CancelDrivesForSale(ctx context.Context, st DriverStores, v catalog.Vehicle, loc *time.Location, now time.Time) ([]TestDrive, error) {
	if loc == nil {
		loc = DefaultConfig().Location
	}
	booked, err := st.TestDrives().ListByVehicle(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	var out []TestDrive
	for _, d := range booked {
		if !d.CloseForSale(now) {
			continue
		}
		if err := st.TestDrives().Update(ctx, &d); err != nil {
			return nil, err
		}
		if err := queueCancelled(ctx, st, d, v, loc, now); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// queueCancelled queues the notice of cancelled drive d of vehicle v to its driver, when there is an address to
// send it to.
func queueCancelled(ctx context.Context, st DriverStores, d TestDrive, v catalog.Vehicle, loc *time.Location, now time.Time) error {
	var name, recipient string
	if d.LeadID != (crm.ID{}) {
		l, err := st.Leads().Get(ctx, d.LeadID)
		if err != nil {
			return err
		}
		name, recipient = firstName(l.Contact), l.Recipient()
	} else {
		c, err := st.Customers().Get(ctx, d.CustomerID)
		if err != nil {
			return err
		}
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
