package customers

import (
	"context"
	"sort"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
)

// Merge names the customer to keep and its duplicate, each with the version the caller read (0: unconditional).
type Merge struct {
	KeepID           crm.ID
	KeepVersion      int64
	DuplicateID      crm.ID
	DuplicateVersion int64
}

// Moved counts the records a merge moved from the duplicate to the kept customer.
type Moved struct {
	Leads            int
	TestDrives       int
	Sales            int
	CustomerVehicles int
	// Reservations counts vehicles whose reservation holder named the duplicate.
	Reservations int
	// CreditApplications counts the duplicate's credit applications (they follow its sales).
	CreditApplications int
	// Appraisals counts the appraisal sheets of the duplicate's cars.
	Appraisals int
	// Activities counts the duplicate's activities (calls, meetings, tasks, ...).
	Activities int
	// Appointments counts the service appointments booked for the duplicate, of any status.
	Appointments int
}

// MergeCustomers merges the duplicate into the customer to keep, in one unit of work:
//
//   - the kept customer absorbs the duplicate's contact (crm.Customer.Absorb: phones and e-mails added, blank
//     tax ID, birth date, document and address filled);
//   - every lead naming the duplicate as its customer, or among its possible duplicates, names the kept one;
//   - every test drive, sale, customer vehicle, service appointment, credit application, appraisal sheet and
//     activity of the duplicate becomes the kept customer's;
//   - every reservation on the vehicles of those test drives and sales whose holder named the duplicate names the
//     kept customer;
//   - the duplicate is deleted.
//
// Documents already generated (a signed contract's PDF) keep the names they were printed with, and a customer
// vehicle's owner history keeps the customer IDs it was written with (it records who had the car then). Both versions are
// checked inside the unit of work (crm.KindStaleVersion); crm.KindNotFound if either customer is missing or
// another dealer's; crm.KindInvalid naming "duplicate_id" when both are the same customer. Nothing changes unless
// everything does.
func (s *Service) MergeCustomers(ctx context.Context, m Merge) (crm.Customer, Moved, error) {
	const op = "customers.Service.MergeCustomers"
	if m.KeepID == m.DuplicateID {
		return crm.Customer{}, Moved{}, crm.Invalid(op, crm.FieldError{Field: "duplicate_id", Message: "is the customer to keep"})
	}
	var out crm.Customer
	var moved Moved
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		moved = Moved{}
		keep, err := st.Customers().Get(ctx, m.KeepID)
		if err != nil {
			return err
		}
		if err := checkVersion(keep.Meta, m.KeepVersion); err != nil {
			return err
		}
		dup, err := st.Customers().Get(ctx, m.DuplicateID)
		if err != nil {
			return err
		}
		if err := checkVersion(dup.Meta, m.DuplicateVersion); err != nil {
			return err
		}
		now := crm.Now(ctx)
		vehicles := map[crm.ID]bool{}
		if moved.Leads, err = moveLeads(ctx, st, dup.ID, keep.ID, now); err != nil {
			return err
		}
		if moved.TestDrives, err = moveTestDrives(ctx, st, dup.ID, keep.ID, now, vehicles); err != nil {
			return err
		}
		if moved.Sales, err = moveSales(ctx, st, dup.ID, keep.ID, now, vehicles); err != nil {
			return err
		}
		if moved.CustomerVehicles, err = moveCustomerVehicles(ctx, st, dup.ID, keep.ID, now); err != nil {
			return err
		}
		if moved.Appointments, err = moveAppointments(ctx, st, dup.ID, keep.ID, now); err != nil {
			return err
		}
		if moved.CreditApplications, err = moveCreditApplications(ctx, st, dup.ID, keep.ID, now); err != nil {
			return err
		}
		if moved.Activities, err = moveActivities(ctx, st, dup.ID, keep.ID, now); err != nil {
			return err
		}
		if moved.Reservations, err = moveHolds(ctx, st, vehicles, dup.ID, keep.ID, now); err != nil {
			return err
		}
		if moved.Appraisals, err = moveAppraisals(ctx, st, dup.ID, keep.ID, now); err != nil {
			return err
		}
		keep.Absorb(dup)
		keep.UpdatedAt = now
		if err := st.Customers().Update(ctx, &keep); err != nil {
			return err
		}
		if err := st.Customers().Delete(ctx, dup.ID, dup.Version); err != nil {
			return err
		}
		out = keep
		return nil
	})
	if err != nil {
		return crm.Customer{}, Moved{}, wrap(op, err)
	}
	return out, moved, nil
}

// moveLeads re-points the leads of from (as customer, or as a possible duplicate) to to.
func moveLeads(ctx context.Context, st Stores, from, to crm.ID, now time.Time) (int, error) {
	n := 0
	seen := map[crm.ID]bool{}
	q := leads.LeadQuery{CustomerID: from, Limit: 500}
	for {
		page, err := st.Leads().List(ctx, q)
		if err != nil {
			return n, err
		}
		for _, l := range page.Items {
			seen[l.ID] = true
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	// Leads that only list from among their possible duplicates came in with one of its phones or e-mails.
	dup, err := st.Customers().Get(ctx, from)
	if err != nil {
		return n, err
	}
	for _, key := range contactKeys(dup.Contact) {
		found, err := st.Leads().FindByContact(ctx, key.phone, key.email)
		if err != nil {
			return n, err
		}
		for _, l := range found {
			if containsID(l.DuplicateCustomerIDs, from) {
				seen[l.ID] = true
			}
		}
	}
	for _, id := range sortedIDs(seen) {
		l, err := st.Leads().Get(ctx, id)
		if err != nil {
			return n, err
		}
		if l.CustomerID == from {
			l.CustomerID = to
		}
		l.DuplicateCustomerIDs = replaceID(l.DuplicateCustomerIDs, from, to)
		l.UpdatedAt = now
		if err := st.Leads().Update(ctx, &l); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// moveCreditApplications makes the credit applications of from (made for its sales) to's.
func moveCreditApplications(ctx context.Context, st Stores, from, to crm.ID, now time.Time) (int, error) {
	apps, err := st.CreditApplications().ListByCustomer(ctx, from)
	if err != nil {
		return 0, err
	}
	for i := range apps {
		a := apps[i]
		a.CustomerID, a.UpdatedAt = to, now
		if err := st.CreditApplications().Update(ctx, &a); err != nil {
			return i, err
		}
	}
	return len(apps), nil
}

// moveActivities makes the activities of from to's, page by page.
func moveActivities(ctx context.Context, st Stores, from, to crm.ID, now time.Time) (int, error) {
	n := 0
	for {
		// Each moved activity leaves the filter, so the first page is always the next one.
		page, err := st.Activities().List(ctx, activities.Query{CustomerID: from, Limit: crm.MaxPageLimit})
		if err != nil {
			return n, err
		}
		for i := range page.Items {
			a := page.Items[i]
			a.CustomerID, a.UpdatedAt = to, now
			if err := st.Activities().Update(ctx, &a); err != nil {
				return n, err
			}
			n++
		}
		if page.NextCursor == "" {
			return n, nil
		}
	}
}

func moveTestDrives(ctx context.Context, st Stores, from, to crm.ID, now time.Time, vehicles map[crm.ID]bool) (int, error) {
	drives, err := st.TestDrives().ListByCustomer(ctx, from)
	if err != nil {
		return 0, err
	}
	for i := range drives {
		d := drives[i]
		d.CustomerID, d.UpdatedAt = to, now
		if err := st.TestDrives().Update(ctx, &d); err != nil {
			return i, err
		}
		vehicles[d.VehicleID] = true
	}
	return len(drives), nil
}

func moveSales(ctx context.Context, st Stores, from, to crm.ID, now time.Time, vehicles map[crm.ID]bool) (int, error) {
	n := 0
	q := sales.SaleQuery{CustomerID: from, Limit: 500}
	var ids []crm.ID
	for {
		page, err := st.Sales().List(ctx, q)
		if err != nil {
			return 0, err
		}
		for _, s := range page.Items {
			ids = append(ids, s.ID)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	for _, id := range ids {
		s, err := st.Sales().Get(ctx, id)
		if err != nil {
			return n, err
		}
		s.CustomerID, s.UpdatedAt = to, now
		if err := st.Sales().Update(ctx, &s); err != nil {
			return n, err
		}
		if s.VehicleID != (crm.ID{}) {
			vehicles[s.VehicleID] = true
		}
		n++
	}
	return n, nil
}

func moveCustomerVehicles(ctx context.Context, st Stores, from, to crm.ID, now time.Time) (int, error) {
	cvs, err := st.CustomerVehicles().ListByCustomer(ctx, from)
	if err != nil {
		return 0, err
	}
	for i := range cvs {
		cv := cvs[i]
		cv.CustomerID, cv.UpdatedAt = to, now
		if err := st.CustomerVehicles().Update(ctx, &cv); err != nil {
			return i, err
		}
	}
	return len(cvs), nil
}

// moveHolds re-points the reservation holders naming from, on the vehicles the moved drives and sales use.
func moveHolds(ctx context.Context, st Stores, vehicles map[crm.ID]bool, from, to crm.ID, now time.Time) (int, error) {
	n := 0
	for _, id := range sortedIDs(vehicles) {
		v, err := st.Vehicles().Get(ctx, id)
		if err != nil {
			return n, err
		}
		changed := false
		for i := range v.Reservations {
			if v.Reservations[i].Holder.CustomerID == from {
				v.Reservations[i].Holder.CustomerID = to
				changed = true
			}
		}
		if !changed {
			continue
		}
		v.UpdatedAt = now
		if err := st.Vehicles().Update(ctx, &v); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// contactKey is one phone or one e-mail to look leads up by.
type contactKey struct{ phone, email string }

func contactKeys(c crm.Contact) []contactKey {
	var out []contactKey
	for _, p := range c.Phones {
		out = append(out, contactKey{phone: p})
	}
	for _, e := range c.Emails {
		out = append(out, contactKey{email: e})
	}
	return out
}

func containsID(ids []crm.ID, id crm.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// replaceID returns ids with from replaced by to, to listed once.
func replaceID(ids []crm.ID, from, to crm.ID) []crm.ID {
	if !containsID(ids, from) {
		return ids
	}
	out := make([]crm.ID, 0, len(ids))
	for _, x := range ids {
		if x == from {
			x = to
		}
		if !containsID(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// sortedIDs returns the set's IDs in a fixed order, so concurrent merges lock rows in the same order.
func sortedIDs(set map[crm.ID]bool) []crm.ID {
	out := make([]crm.ID, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}
