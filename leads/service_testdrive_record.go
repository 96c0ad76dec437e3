package leads

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// TestDriveRecord is a test drive that took place and is entered afterwards: the showroom was too busy to book
// it, or it comes from another system. Its slot [Start, End) has ended.
type TestDriveRecord struct {
	LeadID     crm.ID           `json:"lead_id,omitzero"`
	CustomerID crm.ID           `json:"customer_id,omitzero"`
	VehicleID  crm.ID           `json:"vehicle_id"`
	Start      time.Time        `json:"start"`
	End        time.Time        `json:"end"`
	Outcome    TestDriveOutcome `json:"outcome"`
	Notes      string           `json:"notes,omitempty"`
}

// RecordTestDrive stores a test drive that already took place, completed with its outcome, in one unit of work. It
// books no slot and reserves nothing (only booked drives hold the vehicle) and tells nobody: the drive is over.
// It counts as any completed drive does (the test-drive → sale conversion of the sales analysis).
//
// It returns Invalid naming vehicle_id (required, or not the dealer's), lead_id (a lead or a customer is
// required), start (required), end (after start and not after now; a recorded drive may last longer than a booked one, and the
// calendar still finds it: TestDriveStore.ListBetween) or the outcome's fields (TestDrive.Complete);
// KindNotFound for a lead or customer the dealer does not have; ErrLeadClosed for a converted or disqualified
// lead (record the drive before converting). On any error nothing is written.
func (s *Service) RecordTestDrive(ctx context.Context, r TestDriveRecord) (TestDrive, error) {
	const op = "leads.Service.RecordTestDrive"
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return TestDrive{}, err
	}
	var out TestDrive
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		now := crm.Now(ctx)
		var p crm.Problems
		if r.VehicleID == (crm.ID{}) {
			p.Add("vehicle_id", "is required")
		}
		if r.LeadID == (crm.ID{}) && r.CustomerID == (crm.ID{}) {
			p.Add("lead_id", "a lead or a customer is required")
		}
		switch {
		case r.Start.IsZero():
			p.Add("start", "is required")
		case !r.End.After(r.Start):
			p.Add("end", "must be after start")
		case r.End.After(now):
			p.Add("end", "must not be after now: a drive still to come is booked (BookTestDrive)")
		}
		if err := p.Err(op); err != nil {
			return err
		}
		if _, err := st.Vehicles().Get(ctx, r.VehicleID); errors.Is(err, crm.ErrNotFound) {
			return crm.Invalid(op, crm.FieldError{Field: "vehicle_id", Message: "no such vehicle"})
		} else if err != nil {
			return err
		}
		d := TestDrive{Meta: crm.NewMeta(dealer, now), LeadID: r.LeadID, CustomerID: r.CustomerID, VehicleID: r.VehicleID,
			Start: r.Start.UTC(), End: r.End.UTC(), Status: TestDriveBooked, BookedBy: crm.ActorFrom(ctx),
			Notes: strings.TrimSpace(r.Notes)}
		if _, _, err := s.driver(ctx, st, &d); err != nil {
			return err
		}
		if err := d.Complete(r.Outcome, now); err != nil {
			return err
		}
		if err := st.TestDrives().Create(ctx, &d); err != nil {
			return err
		}
		out = d
		return nil
	})
	return out, wrap(op, err)
}
