package postgres

import (
	"context"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// bookingSourcesSQL builds the statement of ReadBooking for a locking clause (" FOR UPDATE" or ""): the dealer,
// its schedule, the lead with the dealer's directory version, the customer asked for (else the lead's) and the
// car, each part NULL when missing; $1 the dealer, $2 the lead, $3 the customer, $4 the car. The lead and the car
// are locked in their own WITH queries (a locking clause cannot reach the nullable side of an outer join).
func bookingSourcesSQL(lock string) (string, [5]int) {
	var n [5]int // the first column of: schedule, lead (then the version), customer, vehicle; the total
	parts := []struct{ alias, cols string }{{"d", dealerCols}, {"sc", scheduleCols}, {"l", leadCols},
		{"c", customerTable.columns()}, {"v", vehicleCols}}
	var list []string
	col := 0
	for i, p := range parts {
		q, k := qualified(p.alias, p.cols)
		list = append(list, q)
		col += k
		if i == 2 {
			list = append(list, `(SELECT version FROM directory_versions WHERE dealer_id = $1)`)
			col++
		}
		n[i] = col
	}
	return `WITH l AS (SELECT ` + leadCols + ` FROM leads WHERE id = $2 AND dealer_id = $1` + lock + `),
		v AS (SELECT ` + vehicleCols + ` FROM vehicles WHERE id = $4 AND dealer_id = $1` + lock + `)
		SELECT ` + strings.Join(list, ", ") + ` FROM (SELECT $1::uuid AS id) k
		LEFT JOIN dealers d ON d.id = k.id
		LEFT JOIN test_drive_schedules sc ON sc.id = k.id
		LEFT JOIN l ON true
		LEFT JOIN customers c ON c.dealer_id = k.id AND c.id = COALESCE($3::uuid, l.customer_id)
		LEFT JOIN v ON true`, n
}

var (
	bookingSQLLocked, bookingCols = bookingSourcesSQL(" FOR UPDATE")
	bookingSQLRead, _             = bookingSourcesSQL("")
)

// ReadBooking implements leads.BookingReader in one statement (bookingSourcesSQL): the dealer, its schedule, the
// lead and the car locked (in a read-write unit of work), the customer.
func (t *Tx) ReadBooking(ctx context.Context, leadID, customerID, vehicleID crm.ID) (leads.BookingSources, error) {
	const op = "postgres.Leads.ReadBooking"
	d, err := dealer(ctx)
	if err != nil {
		return leads.BookingSources{}, err
	}
	query := bookingSQLRead
	if t.writable {
		query = bookingSQLLocked
	}
	rows, err := t.tx.QueryContext(ctx, query, d, nullableID(leadID), nullableID(customerID), vehicleID)
	if err != nil {
		return leads.BookingSources{}, mapErr(op, err)
	}
	defer rows.Close()
	var src leads.BookingSources
	if !rows.Next() {
		return src, mapErr(op, rows.Err())
	}
	n := bookingCols
	w := func(from int) window { return window{rows, from, n[4]} }
	part := func(from int, scan func(window) error) error {
		ok, err := w(0).present(from)
		if err != nil || !ok {
			return err
		}
		return scan(w(from))
	}
	err = part(0, func(r window) (err error) { src.Dealer, err = (dealerStore{t}).scan(r); return err })
	if err == nil {
		err = part(n[0], func(r window) (err error) {
			src.Schedule, err = scanSchedule(r)
			src.HasSchedule = err == nil
			return err
		})
	}
	if err == nil {
		err = part(n[1], func(r window) (err error) {
			src.Lead, err = scanLead(withVersion{r, t, d})
			return err
		})
	}
	if err == nil {
		err = part(n[2], func(r window) (err error) { src.Customer, err = customerTable.scanRow(r); return err })
	}
	if err == nil {
		err = part(n[3], func(r window) (err error) { src.Vehicle, err = scanVehicle(r); return err })
	}
	if err != nil {
		return leads.BookingSources{}, mapErr(op, err)
	}
	return src, mapErr(op, rows.Err())
}

var _ leads.BookingReader = (*Tx)(nil)
