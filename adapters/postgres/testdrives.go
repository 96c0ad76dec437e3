package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

type testDriveStore struct{ t *Tx }

// TestDrives returns the test-drive store of this unit of work.
func (t *Tx) TestDrives() leads.TestDriveStore { return testDriveStore{t} }

const testDriveCols = `id, dealer_id, version, created_at, updated_at, lead_id, customer_id, vehicle_id, start_at, end_at,
	status, booked_by, notes, license, mileage_out, mileage_in, feedback, rating, cancel_reason, closed_at`

func scanTestDrive(row interface{ Scan(...any) error }) (leads.TestDrive, error) {
	var d leads.TestDrive
	var status string
	var closed *time.Time
	var license licenseDoc
	err := row.Scan(&d.ID, &d.DealerID, &d.Version, &d.CreatedAt, &d.UpdatedAt, &d.LeadID, &d.CustomerID, &d.VehicleID,
		&d.Start, &d.End, &status, &d.BookedBy, &d.Notes, jsonb{&license}, &d.MileageOut, &d.MileageIn, &d.Feedback,
		&d.Rating, &d.CancelReason, &closed)
	d.Status, d.License = leads.TestDriveStatus(status), license.value()
	d.CreatedAt, d.UpdatedAt, d.Start, d.End = d.CreatedAt.UTC(), d.UpdatedAt.UTC(), d.Start.UTC(), d.End.UTC()
	if closed != nil {
		d.ClosedAt = closed.UTC()
	}
	return d, err
}

func nullableTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// overlapErr turns the exclusion constraint's refusal into the domain's overlap conflict.
func overlapErr(op string, d *leads.TestDrive, err error) error {
	if SQLState(err) == "23P01" {
		return &crm.Error{Kind: crm.KindConflict, Op: op, Err: leads.ErrTestDriveOverlap,
			Message: "another booked test drive of vehicle " + d.VehicleID.String() + " overlaps " +
				d.Start.Format(time.RFC3339) + "–" + d.End.Format(time.RFC3339) + " (test_drives_no_overlap)"}
	}
	return mapErr(op, err)
}

func (s testDriveStore) Get(ctx context.Context, id crm.ID) (leads.TestDrive, error) {
	dl, err := dealer(ctx)
	if err != nil {
		return leads.TestDrive{}, err
	}
	d, err := scanTestDrive(s.t.tx.QueryRowxContext(ctx, `SELECT `+testDriveCols+` FROM test_drives
		WHERE id = $1 AND dealer_id = $2`+s.t.lock(), id, dl))
	if isNoRows(err) {
		return leads.TestDrive{}, crm.NotFound("postgres.TestDrives.Get", "test drive %s not found", id)
	}
	return d, mapErr("postgres.TestDrives.Get", err)
}

// testDriveInsertSQL inserts a drive with its lead's sale counts (lead_sales_count, lead_won_count: the copies of
// migration 073) read from the lead in the same statement, so that the insert trigger, which fires only for an
// insert that does not give them, is not called (migration 097). Its parameters are VALUES' in testDriveCols
// order ($5 the lead, $2 the dealer).
const testDriveInsertSQL = `INSERT INTO test_drives (` + testDriveCols + `, lead_sales_count, lead_won_count)
	SELECT $1::uuid, $2::uuid, 1, $3::timestamptz, $4::timestamptz, $5::uuid, $6::uuid, $7::uuid, $8::timestamptz,
		$9::timestamptz, $10::text, $11::uuid, $12::text, $13::jsonb, $14::integer, $15::integer, $16::text,
		$17::smallint, $18::text, $19::timestamptz, coalesce(l.sales_count, 0), coalesce(l.won_count, 0)
	FROM (SELECT) AS one LEFT JOIN leads l ON l.id = $5::uuid AND l.dealer_id = $2::uuid`

// testDriveInsertCountedSQL is testDriveInsertSQL with the lead's counts given ($20, $21): those a booking's
// joined read took from the lead it locked (Tx.counts), so that the insert does not read the lead again.
const testDriveInsertCountedSQL = `INSERT INTO test_drives (` + testDriveCols + `, lead_sales_count, lead_won_count)
	VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`

func (s testDriveStore) Create(ctx context.Context, d *leads.TestDrive) error {
	const op = "postgres.TestDrives.Create"
	dl, err := dealer(ctx)
	if err != nil {
		return err
	}
	if err := s.t.claim(&d.Meta, dl, op); err != nil {
		return err
	}
	query, args := testDriveInsertSQL, []any{d.ID, d.DealerID, d.CreatedAt.UTC(), d.UpdatedAt.UTC(), nullableID(d.LeadID),
		nullableID(d.CustomerID), d.VehicleID, d.Start.UTC(), d.End.UTC(), string(d.Status), nullableID(d.BookedBy), d.Notes,
		jsonb{licenseDocOf(d.License)}, d.MileageOut, d.MileageIn, d.Feedback, d.Rating, d.CancelReason, nullableTime(d.ClosedAt)}
	if c := s.t.counts; c != nil && c.lead == d.LeadID && d.LeadID != (crm.ID{}) {
		query, args = testDriveInsertCountedSQL, append(args, c.sales, c.won)
	}
	return s.t.write(ctx, "test_drives", query, args,
		func(_ sql.Result, err error) error {
			if err != nil {
				return overlapErr(op, d, err)
			}
			d.Version = 1
			return nil
		})
}

func (s testDriveStore) Update(ctx context.Context, d *leads.TestDrive) error {
	d.UpdatedAt = s.t.now
	const op = "postgres.TestDrives.Update"
	dl, err := dealer(ctx)
	if err != nil {
		return err
	}
	return s.t.write(ctx, "test_drives", `UPDATE test_drives SET version = version + 1, updated_at = $4, lead_id = $5,
		customer_id = $6, vehicle_id = $7, start_at = $8, end_at = $9, status = $10, booked_by = $11, notes = $12,
		license = $13, mileage_out = $14, mileage_in = $15, feedback = $16, rating = $17, cancel_reason = $18,
		closed_at = $19
		WHERE id = $1 AND dealer_id = $2 AND version = $3`,
		[]any{d.ID, dl, d.Version, d.UpdatedAt.UTC(), nullableID(d.LeadID), nullableID(d.CustomerID), d.VehicleID, d.Start.UTC(),
			d.End.UTC(), string(d.Status), nullableID(d.BookedBy), d.Notes, jsonb{licenseDocOf(d.License)}, d.MileageOut, d.MileageIn,
			d.Feedback, d.Rating, d.CancelReason, nullableTime(d.ClosedAt)},
		func(res sql.Result, err error) error {
			if err != nil {
				return overlapErr(op, d, err)
			}
			if err := s.t.updated(ctx, op, "test_drives", d.ID, dl, res, nil); err != nil {
				return err
			}
			d.Version++
			return nil
		})
}

func (s testDriveStore) list(ctx context.Context, op, where string, arg crm.ID) ([]leads.TestDrive, error) {
	dl, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+testDriveCols+` FROM test_drives WHERE dealer_id = $1 AND `+where+`
		ORDER BY start_at, id`, dl, arg)
	return collect(rows, err, op, scanTestDrive)
}

func (s testDriveStore) ListByVehicle(ctx context.Context, vehicleID crm.ID) ([]leads.TestDrive, error) {
	return s.list(ctx, "postgres.TestDrives.ListByVehicle", `vehicle_id = $2 AND status = 'booked'`, vehicleID)
}

func (s testDriveStore) ListByLead(ctx context.Context, leadID crm.ID) ([]leads.TestDrive, error) {
	return s.list(ctx, "postgres.TestDrives.ListByLead", `lead_id = $2`, leadID)
}

func (s testDriveStore) ListByCustomer(ctx context.Context, customerID crm.ID) ([]leads.TestDrive, error) {
	return s.list(ctx, "postgres.TestDrives.ListByCustomer", `customer_id = $2`, customerID)
}

// driveStartsFromSQL is the lower bound of the starts a calendar of the period from $4 reads, given $2 = $4 −
// MaxDriveLength: that, or earlier by the longest of the dealer's ($1) drives longer than MaxDriveLength (a
// recorded drive may be). The longest is one probe of test_drives_longest (migration 100), a partial index on
// (dealer_id, end_at − start_at) of those drives alone, which every write keeps and which costs a booking nothing
// (a booked drive is never in it): the max() is read from the index's last entry of the dealer, however many such
// drives the dealer has.
const driveStartsFromSQL = `start_at >= least($2::timestamptz, $4::timestamptz - (SELECT max(l.end_at - l.start_at)
	FROM test_drives l WHERE l.dealer_id = $1 AND l.end_at - l.start_at > interval '25 hours'))`

// ListBetween reads the drives starting in [from − MaxDriveLength, to) over test_drives_page (driveStartsFromSQL).
func (s testDriveStore) ListBetween(ctx context.Context, from, to time.Time) ([]leads.TestDrive, error) {
	dl, err := dealer(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+testDriveCols+` FROM test_drives
		WHERE dealer_id = $1 AND `+driveStartsFromSQL+` AND start_at < $3 AND end_at > $4 ORDER BY start_at, id`,
		dl, from.Add(-leads.MaxDriveLength).UTC(), to.UTC(), from.UTC())
	return collect(rows, err, "postgres.TestDrives.ListBetween", scanTestDrive)
}

// PageBetween reads as ListBetween does, f's other filters in the same statement, a keyset page by (start_at, id).
func (s testDriveStore) PageBetween(ctx context.Context, f leads.TestDriveFilter, pr crm.PageRequest) (crm.Page[leads.TestDrive], error) {
	const op = "postgres.TestDrives.PageBetween"
	pos, err := pr.Position(op, leads.CalendarList)
	if err != nil {
		return crm.Page[leads.TestDrive]{}, err
	}
	dl, err := dealer(ctx)
	if err != nil {
		return crm.Page[leads.TestDrive]{}, err
	}
	limit := crm.PageLimit(pr.Limit)
	conds := "dealer_id = $1 AND " + driveStartsFromSQL + " AND start_at < $3 AND end_at > $4"
	args := []any{dl, f.From.Add(-leads.MaxDriveLength).UTC(), f.To.UTC(), f.From.UTC()}
	if f.VehicleID != (crm.ID{}) {
		args = append(args, f.VehicleID)
		conds += fmt.Sprintf(" AND vehicle_id = $%d", len(args))
	}
	if f.Status != "" {
		args = append(args, string(f.Status))
		conds += fmt.Sprintf(" AND status = $%d", len(args))
	}
	conds, args = keysetAfter(conds, args, "start_at", pos, nil)
	args = append(args, limit+1)
	rows, err := s.t.tx.QueryxContext(ctx, `SELECT `+testDriveCols+` FROM test_drives WHERE `+conds+
		fmt.Sprintf(` ORDER BY start_at, id LIMIT $%d`, len(args)), args...)
	items, err := collect(rows, err, op, scanTestDrive)
	if err != nil {
		return crm.Page[leads.TestDrive]{}, err
	}
	return crm.PageFrom(items, limit, leads.CalendarList, func(d *leads.TestDrive) crm.Keyset { return crm.Keyset{At: d.Start, ID: d.ID} }), nil
}
