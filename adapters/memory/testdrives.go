package memory

import (
	"bytes"
	"context"
	"sort"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// testDriveRecords keeps, beside the lead and customer keys, each car's booked drives by start (the group
// "booked"): the car's calendar, and the overlap check of a booking as one seek into it; and the dealer's drives
// longer than leads.MaxDriveLength, longest first (the group "longer", one list per dealer under the zero key):
// how far before a period the calendar must look (calendarFrom).
var testDriveRecords = records[leads.TestDrive]{name: "test_drives", meta: func(d *leads.TestDrive) *crm.Meta { return &d.Meta },
	orders: []order[leads.TestDrive]{drivesByStart.order()},
	groups: []group[leads.TestDrive]{{name: "booked", cmp: compareDriveStart,
		key: func(d *leads.TestDrive) (crm.ID, bool) { return d.VehicleID, d.Status == leads.TestDriveBooked }},
		{name: "longer", cmp: compareDriveLength,
			key: func(d *leads.TestDrive) (crm.ID, bool) { return crm.ID{}, d.End.Sub(d.Start) > leads.MaxDriveLength }}},
	keys: func(d *leads.TestDrive) []string {
		var keys []string
		if d.LeadID != (crm.ID{}) {
			keys = append(keys, "lead:"+d.LeadID.String())
		}
		if d.CustomerID != (crm.ID{}) {
			keys = append(keys, "customer:"+d.CustomerID.String())
		}
		return keys
	}}

// drivesByStart is the dealer's drives of every car and status by start, then ID: the dealer's calendar.
var drivesByStart = timeOrder[leads.TestDrive]{name: "start",
	at: func(d *leads.TestDrive) time.Time { return d.Start }, id: func(d *leads.TestDrive) crm.ID { return d.ID },
	probe: func(at time.Time, id crm.ID) leads.TestDrive {
		return leads.TestDrive{Meta: crm.Meta{ID: id}, Start: at}
	}}

type testDriveStore struct{ tx *Tx }

// TestDrives returns the test-drive store of this unit of work.
func (tx *Tx) TestDrives() leads.TestDriveStore { return testDriveStore{tx} }

func (s testDriveStore) Get(ctx context.Context, id crm.ID) (leads.TestDrive, error) {
	return testDriveRecords.get(ctx, s.tx, id)
}

// compareDriveStart orders drives by start, then ID (as bytes: the order of the IDs' text too).
func compareDriveStart(a, b *leads.TestDrive) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	return bytes.Compare(a.ID[:], b.ID[:])
}

// compareDriveLength orders drives longest first, then by ID.
func compareDriveLength(a, b *leads.TestDrive) int {
	if c := b.End.Sub(b.Start) - a.End.Sub(a.Start); c != 0 {
		if c < 0 {
			return -1
		}
		return 1
	}
	return bytes.Compare(a.ID[:], b.ID[:])
}

// calendarFrom is the earliest start a drive of the context's dealer overlapping from can have: from −
// leads.MaxDriveLength, or earlier by the longest of the dealer's drives (the first of the group "longer").
func (s testDriveStore) calendarFrom(ctx context.Context, from time.Time) (time.Time, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return time.Time{}, err
	}
	longest := leads.MaxDriveLength
	if l := testDriveRecords.table(s.tx).index.grouped(dealer, "longer", crm.ID{}); l != nil {
		l.ascend(nil, func(d *leads.TestDrive) bool {
			longest = max(longest, d.End.Sub(d.Start))
			return false
		})
	}
	return from.Add(-longest), nil
}

// booked is the car's calendar in the context's dealer: its booked drives by start (nil: none).
func (s testDriveStore) booked(ctx context.Context, vehicleID crm.ID) (*sortedList[leads.TestDrive], error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, err
	}
	return testDriveRecords.table(s.tx).index.grouped(dealer, "booked", vehicleID), nil
}

// noOverlap holds what the PostgreSQL exclusion constraint holds: two booked drives of one vehicle never overlap.
// The car's booked drives never overlap one another, so ordered by start they are ordered by end too: the only
// drive that can overlap d is the last one (other than d itself) that starts before d ends.
func (s testDriveStore) noOverlap(ctx context.Context, op string, d *leads.TestDrive) error {
	if d.Status != leads.TestDriveBooked {
		return nil
	}
	cal, err := s.booked(ctx, d.VehicleID)
	if err != nil || cal == nil {
		return err
	}
	var clash *leads.TestDrive
	cal.descend(&leads.TestDrive{Start: d.End}, func(o *leads.TestDrive) bool {
		if o.ID == d.ID {
			return true
		}
		if o.Overlaps(d.Start, d.End) {
			clash = o
		}
		return false
	})
	if clash != nil {
		return &crm.Error{Kind: crm.KindConflict, Op: op, Err: leads.ErrTestDriveOverlap,
			Message: "test drive " + clash.ID.String() + " of the vehicle overlaps"}
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

// ListByVehicle reads the car's calendar, already in order.
func (s testDriveStore) ListByVehicle(ctx context.Context, vehicleID crm.ID) ([]leads.TestDrive, error) {
	cal, err := s.booked(ctx, vehicleID)
	if err != nil || cal == nil {
		return nil, err
	}
	out := make([]leads.TestDrive, 0, cal.n)
	cal.ascend(nil, func(d *leads.TestDrive) bool {
		out = append(out, *d)
		return true
	})
	return out, nil
}

func (s testDriveStore) ListByLead(ctx context.Context, leadID crm.ID) ([]leads.TestDrive, error) {
	return s.list(ctx, "lead:"+leadID.String(), func(d *leads.TestDrive) bool { return d.LeadID == leadID })
}

func (s testDriveStore) ListByCustomer(ctx context.Context, customerID crm.ID) ([]leads.TestDrive, error) {
	return s.list(ctx, "customer:"+customerID.String(), func(d *leads.TestDrive) bool { return d.CustomerID == customerID })
}

// ListBetween walks the calendar from the earliest start a drive overlapping from can have (calendarFrom).
func (s testDriveStore) ListBetween(ctx context.Context, from, to time.Time) ([]leads.TestDrive, error) {
	earliest, err := s.calendarFrom(ctx, from)
	if err != nil {
		return nil, err
	}
	var out []leads.TestDrive
	err = drivesByStart.walk(ctx, s.tx, testDriveRecords, earliest, to, nil, func(d *leads.TestDrive) bool {
		if from.Before(d.End) {
			out = append(out, *d)
		}
		return true
	})
	return out, err
}

func (s testDriveStore) PageBetween(ctx context.Context, f leads.TestDriveFilter, pr crm.PageRequest) (crm.Page[leads.TestDrive], error) {
	earliest, err := s.calendarFrom(ctx, f.From)
	if err != nil {
		return crm.Page[leads.TestDrive]{}, err
	}
	return drivesByStart.page(ctx, s.tx, testDriveRecords, "memory.TestDrives.PageBetween", leads.CalendarList, pr,
		earliest, f.To, f.Matches)
}
