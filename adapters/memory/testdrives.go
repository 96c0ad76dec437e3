package memory

import (
	"context"
	"sort"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

var testDriveRecords = records[leads.TestDrive]{name: "test_drives", meta: func(d *leads.TestDrive) *crm.Meta { return &d.Meta },
	keys: func(d *leads.TestDrive) []string {
		keys := []string{"vehicle:" + d.VehicleID.String()}
		if d.LeadID != (crm.ID{}) {
			keys = append(keys, "lead:"+d.LeadID.String())
		}
		if d.CustomerID != (crm.ID{}) {
			keys = append(keys, "customer:"+d.CustomerID.String())
		}
		return keys
	}}

type testDriveStore struct{ tx *Tx }

// TestDrives returns the test-drive store of this unit of work.
func (tx *Tx) TestDrives() leads.TestDriveStore { return testDriveStore{tx} }

func (s testDriveStore) Get(ctx context.Context, id crm.ID) (leads.TestDrive, error) {
	return testDriveRecords.get(ctx, s.tx, id)
}

// noOverlap holds what the PostgreSQL exclusion constraint holds: two booked drives of one vehicle never overlap.
func (s testDriveStore) noOverlap(ctx context.Context, op string, d *leads.TestDrive) error {
	if d.Status != leads.TestDriveBooked {
		return nil
	}
	booked, err := s.ListByVehicle(ctx, d.VehicleID)
	if err != nil {
		return err
	}
	for _, o := range booked {
		if o.ID != d.ID && o.Overlaps(d.Start, d.End) {
			return &crm.Error{Kind: crm.KindConflict, Op: op, Err: leads.ErrTestDriveOverlap,
				Message: "test drive " + o.ID.String() + " of the vehicle overlaps"}
		}
	}
	return nil
}

func (s testDriveStore) Create(ctx context.Context, d *leads.TestDrive) error {
	if err := s.noOverlap(ctx, "memory.TestDrives.Create", d); err != nil {
		return err
	}
	return testDriveRecords.create(ctx, s.tx, d)
}

func (s testDriveStore) Update(ctx context.Context, d *leads.TestDrive) error {
	if err := s.noOverlap(ctx, "memory.TestDrives.Update", d); err != nil {
		return err
	}
	return testDriveRecords.update(ctx, s.tx, d)
}

// list returns the drives indexed under key that keep accepts, by start.
func (s testDriveStore) list(ctx context.Context, key string, keep func(*leads.TestDrive) bool) ([]leads.TestDrive, error) {
	all, err := testDriveRecords.find(ctx, s.tx, key)
	out := all[:0]
	for i := range all {
		if keep(&all[i]) {
			out = append(out, all[i])
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}

func (s testDriveStore) ListByVehicle(ctx context.Context, vehicleID crm.ID) ([]leads.TestDrive, error) {
	return s.list(ctx, "vehicle:"+vehicleID.String(), func(d *leads.TestDrive) bool {
		return d.VehicleID == vehicleID && d.Status == leads.TestDriveBooked
	})
}

func (s testDriveStore) ListByLead(ctx context.Context, leadID crm.ID) ([]leads.TestDrive, error) {
	return s.list(ctx, "lead:"+leadID.String(), func(d *leads.TestDrive) bool { return d.LeadID == leadID })
}

func (s testDriveStore) ListByCustomer(ctx context.Context, customerID crm.ID) ([]leads.TestDrive, error) {
	return s.list(ctx, "customer:"+customerID.String(), func(d *leads.TestDrive) bool { return d.CustomerID == customerID })
}

func (s testDriveStore) ListBetween(ctx context.Context, from, to time.Time) ([]leads.TestDrive, error) {
	out, err := testDriveRecords.all(ctx, s.tx, func(d *leads.TestDrive) bool { return d.Start.Before(to) && from.Before(d.End) })
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, err
}
