package postgres

import (
	"context"
	"strings"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/playbooks"
)

// bookingSourcesSQL builds the statement of ReadBooking for a locking clause (" FOR UPDATE" or ""): the dealer,
// its schedule, the lead with the dealer's directory version, the customer asked for (else the lead's) and the
// car, each part NULL when missing; $1 the dealer, $2 the lead, $3 the customer, $4 the car. The lead and the car
// are locked in their own WITH queries (a locking clause cannot reach the nullable side of an outer join).
//
// With the lock (a booking's read-write unit of work) it also reads, joined laterally, the open steps of the lead
// and of that customer that complete on the event $5 (crm.EventTestDriveBooked; playbooks.StepsReadAhead): one
// row per step, the lead's first, each part newest first, as the playbook's StepEvent would list them; one row
// with the step's columns NULL when there is none. So the booking's playbook look costs no statement of its own.
// The lead's steps and the customer's are two branches of a UNION ALL, each read through its own index
// (activities_by_lead, activities_by_customer) whatever the statistics: written as one OR, the plan depended on
// them, and with a small table's it read every open activity of the dealer (TestBookingReadsStepsByIndex holds
// the indexes at 3,000 open activities).
func bookingSourcesSQL(lock string) (string, [6]int) {
	var n [6]int // the first column of: schedule, lead (then the version), customer, vehicle, step; the total
	parts := []struct{ alias, cols string }{{"", dealerNoticeCols}, {"sc", scheduleCols}, {"l", leadCols},
		{"c", customerTable.columns()}, {"v", vehicleCols}}
	steps := lock != ""
	if steps {
		parts = append(parts, struct{ alias, cols string }{"s", activityTable.columns()})
	}
	var list []string
	col := 0
	for i, p := range parts {
		q, k := p.cols, dealerNoticeColCount // the dealer's, qualified already
		if p.alias != "" {
			q, k = qualified(p.alias, p.cols)
		}
		list = append(list, q)
		col += k
		if i == 2 {
			// The directory version, then the lead's sale counts that its drive copies (leadCounts).
			list = append(list, `(SELECT version FROM directory_versions WHERE dealer_id = $1)`, `l.sales_count`,
				`l.won_count`)
			col += 3
		}
		n[i] = col
	}
	if !steps {
		n[5] = n[4]
	}
	query := `WITH l AS (SELECT ` + leadCols + `, sales_count, won_count FROM leads WHERE id = $2 AND dealer_id = $1` + lock + `),
		v AS (SELECT ` + vehicleCols + ` FROM vehicles WHERE id = $4 AND dealer_id = $1` + lock + `)
		SELECT ` + strings.Join(list, ", ") + ` FROM (SELECT $1::uuid AS id) k
		LEFT JOIN dealers d ON d.id = k.id
		LEFT JOIN test_drive_schedules sc ON sc.id = k.id
		LEFT JOIN l ON true
		LEFT JOIN customers c ON c.dealer_id = k.id AND c.id = COALESCE($3::uuid, l.customer_id)
		LEFT JOIN v ON true`
	if steps {
		query += `
		LEFT JOIN LATERAL (SELECT ` + activityTable.columns() + `, true AS of_lead
				FROM activities WHERE dealer_id = k.id AND lead_id = l.id AND status = 'open' AND step_completes_on = $5
			UNION ALL
			SELECT ` + activityTable.columns() + `, false
				FROM activities WHERE dealer_id = k.id AND customer_id = c.id AND status = 'open' AND step_completes_on = $5
				AND (l.id IS NULL OR lead_id IS DISTINCT FROM l.id)) s ON true
		ORDER BY s.of_lead DESC, s.created_at DESC, s.id DESC`
	}
	return query, n
}

// dealerNoticeCols are dealerCols with the dealer's document cut to what the notice names (its name and
// address): the whole document is decoded for nothing else, at every booking.
// They are qualified by the alias d already (qualified would split the function's arguments).
const dealerNoticeCols = `d.id, d.version, d.created_at, d.updated_at,
	jsonb_build_object('id', d.doc->'id', 'name', d.doc->'name', 'address', d.doc->'address')`

// dealerNoticeColCount is how many columns dealerNoticeCols has.
const dealerNoticeColCount = 5

var (
	bookingSQLLocked, bookingCols   = bookingSourcesSQL(" FOR UPDATE")
	bookingSQLRead, bookingReadCols = bookingSourcesSQL("")
)

// stepsAhead are the open steps a booking's joined read found (ReadBooking), kept for the playbook's StepEvent
// (Tx.StepsAhead): those of the lead and of the customer that complete on event.
type stepsAhead struct {
	event          crm.StepEventKind
	lead, customer crm.ID
	steps          []activities.Activity
}

// StepsAhead implements playbooks.StepsReadAhead with the steps ReadBooking read in this unit of work, once;
// any write of an activity in the unit drops them (activityStore).
func (t *Tx) StepsAhead(e crm.StepEvent) ([]activities.Activity, bool) {
	a := t.ahead
	t.ahead = nil
	if a == nil || e.Event != a.event || e.LeadID != a.lead || e.SaleID != (crm.ID{}) || e.CustomerID != a.customer {
		return nil, false
	}
	return a.steps, true
}

// ReadBooking implements leads.BookingReader in one statement (bookingSourcesSQL): the dealer, its schedule, the
// lead and the car locked (in a read-write unit of work), the customer; in a read-write unit of work also the
// open steps of the lead and the customer waiting for a test drive, kept for the playbook (Tx.StepsAhead).
func (t *Tx) ReadBooking(ctx context.Context, leadID, customerID, vehicleID crm.ID) (leads.BookingSources, error) {
	const op = "postgres.Leads.ReadBooking"
	d, err := dealer(ctx)
	if err != nil {
		return leads.BookingSources{}, err
	}
	t.ahead = nil
	query, n, args := bookingSQLRead, bookingReadCols, []any{d, nullableID(leadID), nullableID(customerID), vehicleID}
	if t.writable {
		query, n, args = bookingSQLLocked, bookingCols, append(args, string(crm.EventTestDriveBooked))
	}
	rows, err := t.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return leads.BookingSources{}, mapErr(op, err)
	}
	defer rows.Close()
	var src leads.BookingSources
	if !rows.Next() {
		return src, mapErr(op, rows.Err())
	}
	// The row's values are read once (capturedRow), each record converted from its own columns; a part whose
	// first column (its ID) is NULL is missing.
	row, err := capture(rows, n[5])
	if err != nil {
		return leads.BookingSources{}, mapErr(op, err)
	}
	type scanner = interface{ Scan(...any) error }
	part := func(from int, scan func(scanner) error) error {
		if !row.present(from) {
			return nil
		}
		return scan(row.part(from))
	}
	err = part(0, func(r scanner) (err error) { src.Dealer, err = (dealerStore{t}).scan(r); return err })
	if err == nil {
		err = part(n[0], func(r scanner) (err error) {
			src.Schedule, err = scanSchedule(r)
			src.HasSchedule = err == nil
			return err
		})
	}
	if err == nil {
		err = part(n[1], func(r scanner) (err error) {
			src.Lead, err = scanLead(withVersion{r, t, d})
			return err
		})
	}
	if err == nil && t.writable && row.present(n[1]) {
		// The lead is locked: its counts are what the drive's insert copies (testDriveStore.Create).
		c := leadCounts{lead: src.Lead.ID}
		if err = row.part(n[2]-2).Scan(&c.sales, &c.won); err == nil {
			t.counts = &c
		}
	}
	if err == nil {
		err = part(n[2], func(r scanner) (err error) { src.Customer, err = customerTable.scanRow(r); return err })
	}
	if err == nil {
		err = part(n[3], func(r scanner) (err error) { src.Vehicle, err = scanVehicle(r); return err })
	}
	if err == nil && t.writable {
		ahead := &stepsAhead{event: crm.EventTestDriveBooked, lead: src.Lead.ID, customer: src.Customer.ID}
		for more, first := true, true; more && err == nil; more, first = rows.Next(), false {
			if !first { // a further step's row
				if row, err = capture(rows, n[5]); err != nil {
					break
				}
			}
			err = part(n[4], func(r scanner) error {
				a, err := activityTable.scanRow(r)
				ahead.steps = append(ahead.steps, a)
				return err
			})
		}
		if err == nil {
			err = rows.Err()
		}
		if err == nil {
			t.ahead = ahead
		}
	}
	if err != nil {
		return leads.BookingSources{}, mapErr(op, err)
	}
	return src, mapErr(op, rows.Err())
}

var (
	_ leads.BookingReader      = (*Tx)(nil)
	_ playbooks.StepsReadAhead = (*Tx)(nil)
)
