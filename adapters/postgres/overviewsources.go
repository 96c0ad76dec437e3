package postgres

import (
	"context"
	"database/sql"
	"strconv"
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
// Go against the name rule). Then each row is one record, read by a branch of a UNION ALL from its own table
// through that table's index by car, VIN, dealer, make or model: its part (overviewHead … overviewPlan), its
// place in its part's list (the order of the part's store method), the matched make and model, then the columns
// of every part, NULL but the row's own (typed in the head's branch: (NULL::table).column). The head row (the
// calendar and the car) comes whether or not they are there. The statement starts with SELECT (no WITH), so that
// a View of it alone runs on the pool without BEGIN and COMMIT (selectText). overviewAt holds the first column of
// each part's record (overviewHead's: the car's; the calendar's is overviewLeadingCols), then the total.
//
// SQL's lower() is not catalog.NameKey (Go's strings.ToLower, whatever the database's locale): a name they key
// apart (a final sigma; any non-ASCII capital where lc_ctype is C) matches nothing here, and MaintenancePlanFrom
// then reads the directory from the stores — the same answer, but a second statement, after which the DB begins
// this call site's read with BEGIN (DB.view: 3 round trips instead of 1).
var overviewSQL, overviewAt = func() (string, [overviewParts + 1]int) {
	split := func(cols string) []string {
		out := strings.Split(cols, ",")
		for i := range out {
			out[i] = strings.TrimSpace(out[i])
		}
		return out
	}
	unqualified := func(cols string) []string {
		out := split(cols)
		for i := range out {
			out[i] = strings.TrimPrefix(out[i], "s.")
		}
		return out
	}
	type part struct {
		table, alias string
		cols         []string
	}
	// The records in the order of their columns: the calendar, then one per part.
	recs := []part{
		{"workshop_calendars", "w", split(workshopCols)},
		{"customer_vehicles", "cv", split(customerVehicleTable.columns())},
		{"mileage_readings", "r", split(mileageTable.columns())},
		{"service_appointments", "a", split(appointmentTable.columns())},
		{"warranties", "wa", split(warrantyTable.columns())},
		{"sales", "s", unqualified(carSaleCols)},
		{"makes", "mk", split(makeTable.columns())},
		{"models", "mo", split(modelTable.columns())},
		{"generations", "ge", split(generationTable.columns())},
		{"maintenance_plans", "mp", split(maintenancePlanTable.columns())},
	}
	var at [overviewParts + 1]int
	col := overviewLeadingCols
	for i, r := range recs {
		if i > 0 {
			at[i-1] = col
		}
		col += len(r.cols)
	}
	at[overviewParts] = col
	// columns returns the select list of a branch reading the records own (their alias's columns; NULLs for the
	// others'): typed ((NULL::table).column) in the first branch, which gives the union its column types, plain
	// NULL in the others (a union's unknown NULL takes the type of the branches before it), which costs far less
	// to plan.
	columns := func(typed bool, own ...string) string {
		var list []string
		for _, r := range recs {
			mine := false
			for _, o := range own {
				mine = mine || o == r.alias
			}
			for _, c := range r.cols {
				switch {
				case mine:
					list = append(list, r.alias+"."+c)
				case typed:
					list = append(list, "(NULL::"+r.table+")."+c)
				default:
					list = append(list, "NULL")
				}
			}
		}
		return strings.Join(list, ", ")
	}
	branch := func(n int, order string, own string, from string) string {
		return `SELECT ` + strconv.Itoa(n) + `, row_number() OVER (ORDER BY ` + order + `), h.mk, h.mo, ` + columns(false, own) +
			`
			FROM ` + from
	}
	const planOrder = "mp.model_id, mp.generation_id NULLS FIRST, mp.id"
	return `SELECT k.* FROM (SELECT c.id AS car, c.vin, mk.id AS mk, mo.id AS mo,
				c.plan_every_km <= 0 AND c.plan_every_months <= 0 AS dir
			FROM (SELECT $2::uuid AS id) one
			LEFT JOIN customer_vehicles c ON c.dealer_id = $1 AND c.id = one.id
			LEFT JOIN makes mk ON c.plan_every_km <= 0 AND c.plan_every_months <= 0 AND mk.dealer_id = $1
				AND mk.name_key = lower(btrim(c.make, $3))
			LEFT JOIN models mo ON mo.dealer_id = $1 AND mo.make_id = mk.id AND mo.name_key = lower(btrim(c.model, $3))) h
		CROSS JOIN LATERAL (
			SELECT 0, 0::bigint, h.mk, h.mo, ` + columns(true, "w", "cv") + `
			FROM (SELECT 1) one
			LEFT JOIN workshop_calendars w ON w.id = $1
			LEFT JOIN customer_vehicles cv ON cv.dealer_id = $1 AND cv.id = h.car
			UNION ALL
			` + branch(overviewReading, "r.taken_at, r.created_at, r.id", "r", `mileage_readings r
			WHERE r.dealer_id = $1 AND r.customer_vehicle_id = h.car`) + `
			UNION ALL
			` + branch(overviewVisit, "a.start_at, a.id", "a", `service_appointments a
			WHERE a.dealer_id = $1 AND a.customer_vehicle_id = h.car`) + `
			UNION ALL
			` + branch(overviewWarranty, "wa.kind <> 'manufacturer', wa.start_date, wa.id", "wa", `warranties wa
			WHERE wa.dealer_id = $1 AND wa.customer_vehicle_id = h.car`) + `
			UNION ALL
			` + branch(overviewSale, "s.won_at, s.id", "s", `sales s
			JOIN vehicles v ON v.id = s.vehicle_id AND v.dealer_id = s.dealer_id
			WHERE s.dealer_id = $1 AND v.vin = h.vin AND s.status = 'won'`) + `
			UNION ALL
			` + branch(overviewMake, `mk.name COLLATE "C", mk.id`, "mk", `makes mk
			WHERE mk.dealer_id = $1 AND h.dir`) + `
			UNION ALL
			` + branch(overviewModel, `mo.name COLLATE "C", mo.id`, "mo", `models mo
			WHERE mo.dealer_id = $1 AND mo.make_id = h.mk`) + `
			UNION ALL
			` + branch(overviewGeneration, `ge.year_from, ge.name COLLATE "C", ge.id`, "ge", `generations ge
			WHERE ge.dealer_id = $1 AND ge.model_id = h.mo`) + `
			UNION ALL
			` + branch(overviewPlan, planOrder, "mp", `maintenance_plans mp
			WHERE mp.dealer_id = $1 AND mp.model_id = h.mo`) + `
		) k
		ORDER BY 1, 2`, at
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
