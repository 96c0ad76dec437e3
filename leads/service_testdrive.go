package leads

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// TestDriveBooking is a request to book a test drive: of a vehicle, from a lead (at an open stage) or for a
// customer, either "right now" or at Start, for Duration (a multiple of the slot length; 0 means one slot).
type TestDriveBooking struct {
	LeadID     crm.ID        `json:"lead_id,omitzero"`
	CustomerID crm.ID        `json:"customer_id,omitzero"`
	VehicleID  crm.ID        `json:"vehicle_id"`
	Start      time.Time     `json:"start,omitzero"` // ignored when Now
	Now        bool          `json:"now"`            // start at the next whole minute
	Duration   time.Duration `json:"duration"`       // 0: one slot (Config.SlotLength)
	Notes      string        `json:"notes,omitempty"`
}

// BookTestDrive books a test drive and, in the same unit of work, reserves the vehicle for its slot (from its start
// until Config.HoldGrace after its end, so that a drive running late keeps the car until it is closed or the grace
// runs out) and queues a "test_drive.booked" notice to the lead's (else the customer's) e-mail or phone.
//
// It returns Invalid naming start, end, vehicle_id, lead_id or customer_id for a bad slot or request (a vehicle
// the dealer does not have is Invalid naming vehicle_id); KindNotFound for a missing lead or customer; ErrLeadClosed for a converted or disqualified lead; ErrTestDriveOverlap
// (a conflict naming the drive in the way) when another booked drive of the vehicle overlaps; and the catalog's
// ErrVehicleReserved, ErrVehicleSold or ErrVehicleUnavailable when another holder's sale holds the vehicle, or it
// is sold, in transit or withdrawn. Other leads' drives in other slots are no obstacle. On any error nothing is
// written. The booking completes, in the same unit of work, the playbook steps of the lead and the customer that
// wait for a test drive (crm.EventTestDriveBooked).
func (s *Service) BookTestDrive(ctx context.Context, b TestDriveBooking) (TestDrive, error) {
	const op = "leads.Service.BookTestDrive"
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return TestDrive{}, err
	}
	var out, tried TestDrive
	var loc *time.Location
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		now := crm.Now(ctx)
		// The dealer, its schedule, the lead, the customer and the car: one statement on PostgreSQL.
		src, err := bookingSources(ctx, st, b)
		if err != nil {
			return err
		}
		cfg := s.cfg
		if src.HasSchedule {
			if cfg, err = src.Schedule.config(s.cfg); err != nil {
				return err
			}
		}
		start := b.Start
		if b.Now {
			start = StartNow(now)
		}
		length := b.Duration
		if length == 0 {
			length = cfg.SlotLength
		}
		d, err := NewTestDrive(dealer, TestDrive{LeadID: b.LeadID, CustomerID: b.CustomerID, VehicleID: b.VehicleID,
			Start: start, End: start.Add(length), BookedBy: crm.ActorFrom(ctx), Notes: b.Notes}, cfg, now)
		if err != nil {
			return err
		}
		name, recipient, err := driverOf(src, &d)
		if err != nil {
			return err
		}
		v := src.Vehicle
		if v.ID == (crm.ID{}) {
			// The body names a car this dealer does not have (another dealer's looks the same).
			return crm.Invalid(op, crm.FieldError{Field: "vehicle_id", Message: "no such vehicle"})
		}
		tried, loc = d, cfg.Location
		// The overlap rule is the store's (PostgreSQL's exclusion constraint, the memory adapter's check): the
		// car's other drives are not read here, only when Create refuses the slot (inTheWay, below).
		if v, err = admit(op, v, nil, d, cfg, now); err != nil {
			return err
		}
		// The drive, the car's hold and the notice are independent writes: one statement on PostgreSQL.
		if err := crm.Batch(ctx, st, func(ctx context.Context) error {
			if err := st.TestDrives().Create(ctx, &d); err != nil {
				return err
			}
			// admit changed the car by Reserve alone: its status and holds are written, not its card.
			if err := catalog.UpdateHolds(ctx, st.Vehicles(), &v); err != nil {
				return err
			}
			m := BookedNotice(d, v, name, recipient, src.Dealer, cfg.Location, now)
			return st.Outbox().Enqueue(ctx, &m)
		}); err != nil {
			return err
		}
		if err := st.Playbook().StepEvent(ctx, crm.StepEvent{Event: crm.EventTestDriveBooked, LeadID: d.LeadID, CustomerID: d.CustomerID}); err != nil {
			return err
		}
		out = d
		return nil
	})
	if errors.Is(err, ErrTestDriveOverlap) {
		if other, ok := s.inTheWay(ctx, tried); ok {
			err = overlapError(op, tried.VehicleID, other, loc)
		}
	}
	return out, wrap(op, err)
}

// inTheWay reads, after a booking was refused as overlapping, the booked drive of d's vehicle that overlaps d,
// to name it in the conflict; ok is false when there is none any more (cancelled since) or it cannot be read.
func (s *Service) inTheWay(ctx context.Context, d TestDrive) (other TestDrive, ok bool) {
	_ = s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		other, ok = TestDrive{}, false // fn may run more than once (crm.UnitOfWork): each run starts afresh
		booked, err := st.TestDrives().ListByVehicle(ctx, d.VehicleID)
		for _, o := range booked {
			if o.ID != d.ID && o.Overlaps(d.Start, d.End) {
				other, ok = o, true
				break
			}
		}
		return err
	})
	return other, ok
}

// admit checks that drive d, a valid slot under cfg, may take vehicle v beside the vehicle's booked drives: no
// overlap with them, and the vehicle's own rules for a test-drive hold. It returns the vehicle as it is to be
// saved (v itself is left alone). Booking and free slots both ask it, so that they cannot disagree.
func admit(op string, v catalog.Vehicle, booked []TestDrive, d TestDrive, cfg Config, now time.Time) (catalog.Vehicle, error) {
	for _, o := range booked {
		if o.Overlaps(d.Start, d.End) {
			return v, overlapError(op, v.ID, o, cfg.Location)
		}
	}
	held := v.Clone()
	holder := catalog.Holder{LeadID: d.LeadID, CustomerID: d.CustomerID}
	hold := catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: d.ID, Holder: holder, From: d.Start,
		Until: d.End.Add(cfg.HoldGrace)}
	if err := held.Reserve(hold, now); err != nil {
		return v, err
	}
	return held, nil
}

// driver checks the lead or customer of d through the stores (for a drive recorded afterwards, which reads
// nothing else: RecordTestDrive), fills d.CustomerID from the lead, and returns the driver's name and where the
// notice goes. BookTestDrive checks the same among what it read at once (driverOf).
func (s *Service) driver(ctx context.Context, st Stores, d *TestDrive) (name, recipient string, err error) {
	src := BookingSources{}
	if d.LeadID != (crm.ID{}) {
		if src.Lead, err = st.Leads().Get(ctx, d.LeadID); err != nil {
			return "", "", err
		}
	}
	customer := d.CustomerID
	if customer == (crm.ID{}) {
		customer = src.Lead.CustomerID
	}
	if customer != (crm.ID{}) && (d.CustomerID == (crm.ID{}) || src.Lead.CustomerID == (crm.ID{}) || d.CustomerID == src.Lead.CustomerID) {
		if src.Customer, err = st.Customers().Get(ctx, customer); err != nil {
			return "", "", err
		}
	}
	return driverOf(src, d)
}

// driverOf checks the lead or customer of d among src, fills d.CustomerID from the lead, and returns the driver's
// name and where the notice goes.
func driverOf(src BookingSources, d *TestDrive) (name, recipient string, err error) {
	const op = "leads.Service.BookTestDrive"
	if d.LeadID != (crm.ID{}) {
		l := src.Lead
		if l.ID == (crm.ID{}) {
			return "", "", crm.NotFound(op, "lead %s not found", d.LeadID)
		}
		if !l.IsOpen() {
			return "", "", fmt.Errorf("lead %s is %s: %w", l.ID, l.Stage, ErrLeadClosed)
		}
		if d.CustomerID != (crm.ID{}) && l.CustomerID != (crm.ID{}) && d.CustomerID != l.CustomerID {
			return "", "", crm.Invalid(op, crm.FieldError{Field: "customer_id", Message: "is not the lead's customer"})
		}
		if d.CustomerID == (crm.ID{}) {
			d.CustomerID = l.CustomerID
		}
		if d.CustomerID != (crm.ID{}) && src.Customer.ID != d.CustomerID {
			return "", "", crm.NotFound(op, "customer %s not found", d.CustomerID)
		}
		return firstName(l.Contact), l.Recipient(), nil
	}
	c := src.Customer
	if c.ID == (crm.ID{}) || c.ID != d.CustomerID {
		return "", "", crm.NotFound(op, "customer %s not found", d.CustomerID)
	}
	recipient = ""
	if len(c.Emails) > 0 {
		recipient = c.Emails[0]
	} else if len(c.Phones) > 0 {
		recipient = c.Phones[0]
	}
	return firstName(c.Contact), recipient, nil
}

func firstName(c crm.Contact) string {
	if c.Kind == crm.Company {
		return c.CompanyName
	}
	return c.FirstName
}

// overlapError is the conflict returned when drive other of vehicle is in the way; it names the drive and its
// times (in loc) and wraps ErrTestDriveOverlap.
func overlapError(op string, vehicle crm.ID, other TestDrive, loc *time.Location) error {
	return &crm.Error{Kind: crm.KindConflict, Op: op, Err: ErrTestDriveOverlap,
		Message: fmt.Sprintf("vehicle %s already has test drive %s booked %s–%s", vehicle, other.ID,
			other.Start.In(loc).Format("2006-01-02 15:04"), other.End.In(loc).Format("15:04 MST"))}
}

// GetTestDrive returns the test drive; KindNotFound if it is missing or another dealer's.
func (s *Service) GetTestDrive(ctx context.Context, id crm.ID) (TestDrive, error) {
	var out TestDrive
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.TestDrives().Get(ctx, id)
		return err
	})
	return out, wrap("leads.Service.GetTestDrive", err)
}

// CompleteTestDrive records that drive id took place (mileage out and in, licence, feedback, rating) and
// releases its hold on the vehicle. version as in UpdateLead. ErrTestDriveClosed when it is not booked, a
// conflict when it has not started yet, Invalid for bad mileage or rating.
func (s *Service) CompleteTestDrive(ctx context.Context, id crm.ID, version int64, o TestDriveOutcome) (TestDrive, error) {
	return s.endDrive(ctx, "leads.Service.CompleteTestDrive", id, version, func(d *TestDrive, now time.Time) error {
		return d.Complete(o, now)
	}, nil)
}

// CancelTestDrive cancels booked drive id with a reason (required), tells the driver (a "test_drive.cancelled"
// notice through the outbox, when the lead or customer has an e-mail or phone) and releases its hold on the vehicle.
// version as in UpdateLead; ErrTestDriveClosed when it is not booked.
func (s *Service) CancelTestDrive(ctx context.Context, id crm.ID, version int64, reason string) (TestDrive, error) {
	return s.endDrive(ctx, "leads.Service.CancelTestDrive", id, version, func(d *TestDrive, now time.Time) error {
		return d.Cancel(reason, now)
	}, s.queueCancelled)
}

// queueCancelled queues the notice of a cancelled drive to its driver, when there is an address to send it to.
func (s *Service) queueCancelled(ctx context.Context, st Stores, d TestDrive, v catalog.Vehicle, now time.Time) error {
	cfg, err := s.configIn(ctx, st)
	if err != nil {
		return err
	}
	var driver BookedDrives
	if err := driver.addDriver(ctx, st, d); err != nil {
		return err
	}
	return queueCancelled(ctx, st, d, v, driver, cfg.Location, now)
}

// MarkTestDriveNoShow records that the driver of drive id did not come and releases its hold on the vehicle.
// version as in UpdateLead; ErrTestDriveClosed when it is not booked, a conflict when it has not started yet.
func (s *Service) MarkTestDriveNoShow(ctx context.Context, id crm.ID, version int64) (TestDrive, error) {
	return s.endDrive(ctx, "leads.Service.MarkTestDriveNoShow", id, version, func(d *TestDrive, now time.Time) error {
		return d.NoShow(now)
	}, nil)
}

// endDrive applies rule to drive id, saves it, queues notify's notice (if any), and releases the drive's hold on
// its vehicle when nothing else holds it, in one unit of work.
func (s *Service) endDrive(ctx context.Context, op string, id crm.ID, version int64, rule func(*TestDrive, time.Time) error,
	notify func(ctx context.Context, st Stores, d TestDrive, v catalog.Vehicle, now time.Time) error) (TestDrive, error) {
	var out TestDrive
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		d, err := st.TestDrives().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, d.Version, version); err != nil {
			return err
		}
		v, err := st.Vehicles().Get(ctx, d.VehicleID)
		if err != nil {
			return err
		}
		now := crm.Now(ctx)
		if err := rule(&d, now); err != nil {
			return err
		}
		if err := st.TestDrives().Update(ctx, &d); err != nil {
			return err
		}
		if notify != nil {
			if err := notify(ctx, st, d, v, now); err != nil {
				return err
			}
		}
		before := v.Clone()
		if err := ReleaseIfFree(ctx, st.TestDrives(), &v, d.ID, now); err != nil {
			return err
		}
		if v.Status != before.Status || len(v.Reservations) != len(before.Reservations) {
			if err := st.Vehicles().Update(ctx, &v); err != nil {
				return err
			}
		}
		out = d
		return nil
	})
	return out, wrap(op, err)
}

// ListVehicleTestDrives returns the vehicle's booked test drives ordered by start.
func (s *Service) ListVehicleTestDrives(ctx context.Context, vehicleID crm.ID) ([]TestDrive, error) {
	var out []TestDrive
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.TestDrives().ListByVehicle(ctx, vehicleID)
		return err
	})
	return out, wrap("leads.Service.ListVehicleTestDrives", err)
}

// ListLeadTestDrives returns every test drive booked from the lead, of any status, ordered by start.
func (s *Service) ListLeadTestDrives(ctx context.Context, leadID crm.ID) ([]TestDrive, error) {
	var out []TestDrive
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.TestDrives().ListByLead(ctx, leadID)
		return err
	})
	return out, wrap("leads.Service.ListLeadTestDrives", err)
}

// ListCustomerTestDrives returns every test drive of the customer, of any status, ordered by start.
func (s *Service) ListCustomerTestDrives(ctx context.Context, customerID crm.ID) ([]TestDrive, error) {
	var out []TestDrive
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.TestDrives().ListByCustomer(ctx, customerID)
		return err
	})
	return out, wrap("leads.Service.ListCustomerTestDrives", err)
}
