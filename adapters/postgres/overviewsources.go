package postgres

import (
	"context"
	"database/sql"
	"strings"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
)

// The parts of overviewSQL's rows, in the order it returns them.
const (
	overviewHead        = iota // the workshop calendar and the car, one row
	overviewReading            // a mileage reading
	overviewVisit              // an appointment
	overviewWarranty           // a warranty
	overviewSale               // a won sale of the car's VIN
	overviewMake               // a make of the directory
	overviewModel              // a model of the matched make
	overviewGeneration         // a generation of the matched model
	overviewPlan               // a maintenance plan of the matched model
	overviewParts              // how many parts there are
	overviewLeadingCols = 4    // part, position, the matched make, the matched model
)

// overviewSQL reads what aftersales.OverviewSources holds in one statement: $1 the dealer, $2 the car, $3 the
// characters catalog.NameKey trims (strings.TrimSpace's). A head (h) finds the car and, for a car without a plan
// attached (aftersales.MaintenanceInterval.IsZero: the directory's parts are read only then), the make and the
// model whose name keys are its make's and model's (lower(btrim(…)); catalog.MaintenancePlanFrom checks them in
// Go against the name rule). Each row is then one record: its part (overviewHead … overviewPlan), its place in its
// part's list (the order of the part's store method), the matched make and model, then the columns of every
// part, NULL but the row's own (joined by ID to the union of the parts' keys, as modelRecordsSQL does). The head
// row (the calendar and the car) comes whether or not they are there. It starts with SELECT (no WITH), so that a
// View of it alone runs on the pool without BEGIN and COMMIT (selectText). overviewAt holds the first column of
// each part's record (overviewHead's: the car's; the calendar's is overviewLeadingCols), then the total.
var overviewSQL, overviewAt = func() (string, [overviewParts + 1]int) {
	parts := []struct{ alias, cols string }{
		{"w", workshopCols}, // the head row's two records: the calendar, then the car (overviewAt[overviewHead] is the car's)
		{"r", mileageTable.columns()}, {"a", appointmentTable.columns()}, {"wa", warrantyTable.columns()},
		{"s", carSaleCols}, {"mk", makeTable.columns()}, {"mo", modelTable.columns()}, {"ge", generationTable.columns()},
		{"mp", maintenancePlanTable.columns()},
	}
	var at [overviewParts + 1]int
	list := []string{"k.part", "k.pos", "h.mk", "h.mo"}
	col := len(list)
	for i, p := range parts {
		q, k := carSaleCols, carSaleColCount // qualified already
		if p.alias != "s" {
			q, k = qualified(p.alias, p.cols)
		}
		if i == overviewHead { // the calendar, then the car
			list = append(list, q)
			col += k
			q, k = qualified("cv", customerVehicleTable.columns())
		}
		at[i] = col
		list = append(list, q)
		col += k
	}
	at[overviewParts] = col
	const planOrder = "model_id, generation_id NULLS FIRST, id"
	return `SELECT ` + strings.Join(list, ", ") + `
		FROM (SELECT c.id AS car, c.vin, mk.id AS mk, mo.id AS mo,
				c.plan_every_km <= 0 AND c.plan_every_months <= 0 AS dir
			FROM (SELECT $2::uuid AS id) one
			LEFT JOIN customer_vehicles c ON c.dealer_id = $1 AND c.id = one.id
			LEFT JOIN makes mk ON c.plan_every_km <= 0 AND c.plan_every_months <= 0 AND mk.dealer_id = $1
				AND mk.name_key = lower(btrim(c.make, $3))
			LEFT JOIN models mo ON mo.dealer_id = $1 AND mo.make_id = mk.id AND mo.name_key = lower(btrim(c.model, $3))) h
		CROSS JOIN LATERAL (
			SELECT 0 AS part, 0::bigint AS pos, $2::uuid AS id
			UNION ALL
			SELECT 1, row_number() OVER (ORDER BY taken_at, created_at, id), id FROM mileage_readings
			WHERE dealer_id = $1 AND customer_vehicle_id = h.car
			UNION ALL
			SELECT 2, row_number() OVER (ORDER BY start_at, id), id FROM service_appointments
			WHERE dealer_id = $1 AND customer_vehicle_id = h.car
			UNION ALL
			SELECT 3, row_number() OVER (ORDER BY kind <> 'manufacturer', start_date, id), id FROM warranties
			WHERE dealer_id = $1 AND customer_vehicle_id = h.car
			UNION ALL
			SELECT 4, row_number() OVER (ORDER BY s.won_at, s.id), s.id FROM sales s
			JOIN vehicles v ON v.id = s.vehicle_id AND v.dealer_id = s.dealer_id
			WHERE s.dealer_id = $1 AND v.vin = h.vin AND s.status = 'won'
			UNION ALL
			SELECT 5, row_number() OVER (ORDER BY name COLLATE "C", id), id FROM makes
			WHERE dealer_id = $1 AND h.dir
			UNION ALL
			SELECT 6, row_number() OVER (ORDER BY name COLLATE "C", id), id FROM models
			WHERE dealer_id = $1 AND make_id = h.mk
			UNION ALL
			SELECT 7, row_number() OVER (ORDER BY year_from, name COLLATE "C", id), id FROM generations
			WHERE dealer_id = $1 AND model_id = h.mo
			UNION ALL
			SELECT 8, row_number() OVER (ORDER BY ` + planOrder + `), id FROM maintenance_plans
			WHERE dealer_id = $1 AND model_id = h.mo
		) k
		LEFT JOIN workshop_calendars w ON k.part = 0 AND w.id = $1
		LEFT JOIN customer_vehicles cv ON k.part = 0 AND cv.dealer_id = $1 AND cv.id = h.car
		LEFT JOIN mileage_readings r ON k.part = 1 AND r.id = k.id
		LEFT JOIN service_appointments a ON k.part = 2 AND a.id = k.id
		LEFT JOIN warranties wa ON k.part = 3 AND wa.id = k.id
		LEFT JOIN sales s ON k.part = 4 AND s.id = k.id
		LEFT JOIN makes mk ON k.part = 5 AND mk.id = k.id
		LEFT JOIN models mo ON k.part = 6 AND mo.id = k.id
		LEFT JOIN generations ge ON k.part = 7 AND ge.id = k.id
		LEFT JOIN maintenance_plans mp ON k.part = 8 AND mp.id = k.id
		ORDER BY k.part, k.pos`, at
}()

// nameKeySpace is what catalog.NameKey trims from a name (strings.TrimSpace: unicode.IsSpace), for btrim.
const nameKeySpace = " \t\n\v\f\r\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" +
	"\u2028\u2029\u202f\u205f\u3000"

// ReadOverview implements aftersales.OverviewReader in one statement (overviewSQL): the workshop calendar, the
// car, its readings, visits, warranties, the won sales of its VIN and, for a car without a plan attached, the
// directory's records its plan is picked from — where the stores read them in six to ten.
func (t *Tx) ReadOverview(ctx context.Context, id crm.ID) (aftersales.OverviewSources, error) {
	const op = "postgres.Aftersales.ReadOverview"
	d, err := dealer(ctx)
	if err != nil {
		return aftersales.OverviewSources{}, err
	}
	rows, err := t.tx.QueryContext(ctx, overviewSQL, d, id, nameKeySpace)
	if err != nil {
		return aftersales.OverviewSources{}, mapErr(op, err)
	}
	defer rows.Close()
	at := overviewAt
	var (
		src  aftersales.OverviewSources
		dir  = &src.Directory
		head = true
	)
	type scanner = interface{ Scan(...any) error }
	for rows.Next() {
		// The row's values are read once (capturedRow), each record converted from its own columns.
		row, err := capture(rows, at[overviewParts])
		if err != nil {
			return aftersales.OverviewSources{}, mapErr(op, err)
		}
		var part int64
		if err := row.part(0).Scan(&part); err != nil {
			return aftersales.OverviewSources{}, mapErr(op, err)
		}
		from := func(p int) scanner { return row.part(at[p]) }
		switch part {
		case overviewHead:
			if !head {
				continue
			}
			head = false
			if row.present(overviewLeadingCols) {
				if src.Workshop, err = scanWorkshop(row.part(overviewLeadingCols)); err != nil {
					break
				}
				src.HasWorkshop = true
			}
			if !row.present(at[overviewHead]) {
				return aftersales.OverviewSources{Workshop: src.Workshop, HasWorkshop: src.HasWorkshop}, nil
			}
			if src.Car, err = customerVehicleTable.scanRow(from(overviewHead)); err != nil {
				break
			}
			if src.HasDirectory = src.Car.Plan.Interval.IsZero(); src.HasDirectory {
				var mk, mo sql.Null[crm.ID]
				if err = row.part(2).Scan(&mk, &mo); err == nil {
					dir.Matched, dir.Models.Matched = mk.V, mo.V
				}
			}
		case overviewReading:
			var r aftersales.MileageReading
			if r, err = mileageTable.scanRow(from(overviewReading)); err == nil {
				src.Readings = append(src.Readings, r)
			}
		case overviewVisit:
			var a aftersales.Appointment
			if a, err = appointmentTable.scanRow(from(overviewVisit)); err == nil {
				src.Visits = append(src.Visits, a)
			}
		case overviewWarranty:
			var w aftersales.Warranty
			if w, err = warrantyTable.scanRow(from(overviewWarranty)); err == nil {
				src.Warranties = append(src.Warranties, w)
			}
		case overviewSale:
			var s aftersales.CarSale
			if s, err = scanCarSale(from(overviewSale)); err == nil {
				src.Sales = append(src.Sales, s)
			}
		case overviewMake:
			m, serr := makeTable.scanRow(from(overviewMake))
			dir.Makes, err = append(dir.Makes, m), serr
		case overviewModel:
			m, serr := modelTable.scanRow(from(overviewModel))
			dir.Models.Models, err = append(dir.Models.Models, m), serr
		case overviewGeneration:
			g, serr := generationTable.scanRow(from(overviewGeneration))
			dir.Models.Generations, err = append(dir.Models.Generations, g), serr
		case overviewPlan:
			p, serr := maintenancePlanTable.scanRow(from(overviewPlan))
			dir.Models.Plans, err = append(dir.Models.Plans, p), serr
		}
		if err != nil {
			return aftersales.OverviewSources{}, mapErr(op, err)
		}
	}
	if err := rows.Err(); err != nil {
		return aftersales.OverviewSources{}, mapErr(op, err)
	}
	return src, nil
}

var _ aftersales.OverviewReader = (*Tx)(nil)
