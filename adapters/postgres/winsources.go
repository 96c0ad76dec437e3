package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
)

// winCols are the first columns of the parts of a row of winSourcesSQL.
type winCols struct {
	order, customer, vehicle, known, moved int // the head, the same on every row (the sale's columns come first)
	part, line, drive, lead, driver, total int // the tail: an order line (part 1) or a booked drive with its driver (part 2)
}

// winSourcesSQL builds the statement of ReadWin for a locking clause (" FOR UPDATE" or ""): $1 the dealer, $2 the
// sale. Each row holds the sale with the dealer's directory version, its order, customer and vehicle, and the
// customer vehicle the dealer keeps for the vehicle's VIN (each part NULL when missing); then whether a locked
// record changed while the statement waited for its lock (moved: the other parts were read before it, so they
// may be stale); then one order line or one booked drive of the vehicle with its lead or customer — one row per
// line and per drive, the lines first (by position), then the drives (by start), one row when there are none.
// The sale, the order, the customer and the vehicle are locked in WITH queries of their own (a locking clause
// cannot reach the nullable side of an outer join), the sale first.
func winSourcesSQL(lock string) (string, winCols) {
	var n winCols
	col := 0
	add := func(list *[]string, alias, cols string) int {
		q, k := qualified(alias, cols)
		*list = append(*list, q)
		from := col
		col += k
		return from
	}
	var head []string
	add(&head, "s", saleCols)
	head = append(head, `(SELECT version FROM directory_versions WHERE dealer_id = $1)`)
	col++
	n.order = add(&head, "o", orderCols)
	n.customer = add(&head, "c", customerTable.columns())
	n.vehicle = add(&head, "v", vehicleCols)
	n.known = add(&head, "k", customerVehicleTable.columns())
	head = append(head, `(s.version IS DISTINCT FROM (SELECT x.version FROM sales x WHERE x.id = $2 AND x.dealer_id = $1)
		OR o.version IS DISTINCT FROM (SELECT x.version FROM orders x WHERE x.dealer_id = $1 AND x.sale_id = $2)
		OR v.version IS DISTINCT FROM (SELECT x.version FROM vehicles x WHERE x.dealer_id = $1 AND x.id = s.vehicle_id))`)
	n.moved = col
	col++
	n.part = col
	col += 4 // part, position, start, id: the order of the tail's rows
	// the tail's columns are named t0, t1, … in the union (its parts' own names repeat: id, dealer_id, …)
	tailParts := []string{orderLineCols, testDriveCols, leadCols, customerTable.columns()}
	at := []*int{&n.line, &n.drive, &n.lead, &n.driver}
	var names []string
	for i, cols := range tailParts {
		*at[i] = col
		_, k := qualified("", cols)
		for range k {
			names = append(names, fmt.Sprintf("x.t%d", len(names)))
		}
		col += k
	}
	n.total = col
	// branch lists the columns of a branch of the union: for each tail part, alias's columns or NULLs.
	branch := func(alias ...string) string {
		var list []string
		for i, cols := range tailParts {
			q, k := qualified(alias[i], cols)
			if alias[i] == "" {
				q = strings.TrimSuffix(strings.Repeat("NULL, ", k), ", ")
			}
			for _, c := range strings.Split(q, ", ") {
				list = append(list, fmt.Sprintf("%s AS t%d", c, len(list)))
			}
		}
		return strings.Join(list, ", ")
	}
	return `WITH s AS (SELECT ` + saleCols + ` FROM sales WHERE id = $2 AND dealer_id = $1` + lock + `),
		o AS (SELECT ` + orderCols + ` FROM orders WHERE dealer_id = $1 AND sale_id = $2` + lock + `),
		c AS (SELECT ` + customerTable.columns() + ` FROM customers WHERE dealer_id = $1 AND id = (SELECT customer_id FROM s)` + lock + `),
		v AS (SELECT ` + vehicleCols + ` FROM vehicles WHERE dealer_id = $1 AND id = (SELECT vehicle_id FROM s)` + lock + `)
		SELECT ` + strings.Join(head, ", ") + `, x.part, x.pos, x.starts, x.xid, ` + strings.Join(names, ", ") + `
		FROM s
		LEFT JOIN o ON true
		LEFT JOIN c ON true
		LEFT JOIN v ON true
		LEFT JOIN LATERAL (SELECT ` + customerVehicleTable.columns() + ` FROM customer_vehicles
			WHERE dealer_id = $1 AND vin = v.vin ORDER BY id LIMIT 1) k ON true
		LEFT JOIN LATERAL (
			SELECT 1 AS part, l.position AS pos, NULL AS starts, NULL AS xid, ` + branch("l", "", "", "") + `
			FROM order_lines l WHERE l.dealer_id = $1 AND l.order_id = o.id
			UNION ALL
			SELECT 2, NULL, td.start_at, td.id, ` + branch("", "td", "dl", "dc") + `
			FROM test_drives td
			LEFT JOIN leads dl ON dl.dealer_id = $1 AND dl.id = td.lead_id
			LEFT JOIN customers dc ON td.lead_id IS NULL AND dc.dealer_id = $1 AND dc.id = td.customer_id
			WHERE td.dealer_id = $1 AND td.vehicle_id = v.id AND td.status = 'booked'
		) x ON true
		ORDER BY x.part, x.pos, x.starts, x.xid`, n
}

var (
	winSQLLocked, winColsAt = winSourcesSQL(" FOR UPDATE")
	winSQLRead, _           = winSourcesSQL("")
)

// ReadWin implements sales.WinReader in one statement (winSourcesSQL): the sale, its order with its lines, its
// customer and vehicle (the four locked in a read-write unit of work), the vehicle's booked drives with their
// drivers, and the customer vehicle known by the vehicle's VIN. When a lock waited for a record that changed
// meanwhile, the statement is sent once more: holding the locks then, it reads everything as it now is.
func (t *Tx) ReadWin(ctx context.Context, saleID crm.ID) (sales.WinSources, error) {
	src, moved, err := t.readWin(ctx, saleID)
	if err == nil && moved {
		src, _, err = t.readWin(ctx, saleID)
	}
	return src, err
}

func (t *Tx) readWin(ctx context.Context, saleID crm.ID) (sales.WinSources, bool, error) {
	const op = "postgres.Sales.ReadWin"
	d, err := dealer(ctx)
	if err != nil {
		return sales.WinSources{}, false, err
	}
	query := winSQLRead
	if t.writable {
		query = winSQLLocked
	}
	rows, err := t.tx.QueryContext(ctx, query, d, saleID)
	if err != nil {
		return sales.WinSources{}, false, mapErr(op, err)
	}
	defer rows.Close()
	var (
		src   sales.WinSources
		moved bool
		first = true
	)
	n := winColsAt
	for rows.Next() {
		w := func(from int) window { return window{rows, from, n.total} }
		part := func(from int, scan func(window) error) error {
			ok, err := w(0).present(from)
			if err != nil || !ok {
				return err
			}
			return scan(w(from))
		}
		if first {
			first = false
			if src.Sale, err = scanSale(withVersion{w(0), t, d}); err != nil {
				return sales.WinSources{}, false, mapErr(op, err)
			}
			err = part(n.order, func(r window) (err error) {
				src.Order, err = scanOrder(r)
				src.HasOrder, src.Order.Lines = err == nil, []sales.Line{}
				return err
			})
			if err == nil {
				err = part(n.customer, func(r window) (err error) { src.Customer, err = customerTable.scanRow(r); return err })
			}
			if err == nil {
				err = part(n.vehicle, func(r window) (err error) { src.Vehicle, err = scanVehicle(r); return err })
			}
			if err == nil {
				err = part(n.known, func(r window) (err error) {
					src.Known.Vehicle, err = customerVehicleTable.scanRow(r)
					src.Known.Found = err == nil
					return err
				})
			}
			if err == nil {
				err = w(n.moved).Scan(&moved)
			}
			if err != nil {
				return sales.WinSources{}, false, mapErr(op, err)
			}
		}
		var kind sql.NullInt64
		if err := w(n.part).Scan(&kind); err != nil {
			return sales.WinSources{}, false, mapErr(op, err)
		}
		switch kind.Int64 {
		case 1:
			l, err := scanOrderLine(w(n.line), src.Order.Currency)
			if err != nil {
				return sales.WinSources{}, false, mapErr(op, err)
			}
			src.Order.Lines = append(src.Order.Lines, l)
		case 2:
			dr, err := scanTestDrive(w(n.drive))
			if err == nil {
				src.Drives.Drives = append(src.Drives.Drives, dr)
				err = part(n.lead, func(r window) error {
					l, err := scanLead(r)
					src.Drives.Leads = append(src.Drives.Leads, l)
					return err
				})
			}
			if err == nil {
				err = part(n.driver, func(r window) error {
					c, err := customerTable.scanRow(r)
					src.Drives.Customers = append(src.Drives.Customers, c)
					return err
				})
			}
			if err != nil {
				return sales.WinSources{}, false, mapErr(op, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return sales.WinSources{}, false, mapErr(op, err)
	}
	if first {
		return sales.WinSources{}, false, crm.NotFound(op, "sale %s not found", saleID)
	}
	return src, moved, nil
}

var (
	_ sales.WinReader    = (*Tx)(nil)
	_ leads.DriverStores = (*Tx)(nil)
)
