package postgres

import (
	"context"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

type scheduleStore struct{ t *Tx }

// Schedules returns the test-drive schedule store of this unit of work.
func (t *Tx) Schedules() leads.ScheduleStore { return scheduleStore{t} }

// Working hours are kept as minutes since local midnight.
const scheduleCols = `id, dealer_id, version, created_at, updated_at, slot_minutes, workday_start, workday_end, time_zone`

func (s scheduleStore) Get(ctx context.Context) (leads.Schedule, error) {
	d, err := dealer(ctx)
	if err != nil {
		return leads.Schedule{}, err
	}
	sc, err := scanSchedule(s.t.tx.QueryRowxContext(ctx, `SELECT `+scheduleCols+` FROM test_drive_schedules WHERE id = $1`, d))
	if isNoRows(err) {
		return leads.Schedule{}, crm.NotFound("postgres.Schedules.Get", "the dealer has no test-drive schedule")
	}
	return sc, mapErr("postgres.Schedules.Get", err)
}

// scanSchedule reads a row of scheduleCols.
func scanSchedule(row interface{ Scan(...any) error }) (leads.Schedule, error) {
	var sc leads.Schedule
	var slot, start, end int64
	err := row.Scan(&sc.ID, &sc.DealerID, &sc.Version, &sc.CreatedAt, &sc.UpdatedAt, &slot, &start, &end, &sc.TimeZone)
	sc.CreatedAt, sc.UpdatedAt = sc.CreatedAt.UTC(), sc.UpdatedAt.UTC()
	sc.SlotLength, sc.WorkdayStart, sc.WorkdayEnd = time.Duration(slot)*time.Minute, time.Duration(start)*time.Minute,
		time.Duration(end)*time.Minute
	return sc, err
}

func (s scheduleStore) Save(ctx context.Context, sc *leads.Schedule) error {
	const op = "postgres.Schedules.Save"
	d, err := dealer(ctx)
	if err != nil {
		return err
	}
	sc.ID, sc.DealerID = d, d
	mins := func(x time.Duration) int64 { return int64(x / time.Minute) }
	if sc.Version == 0 {
		sc.CreatedAt = s.t.now
	}
	sc.UpdatedAt = s.t.now
	if sc.Version == 0 {
		_, err := s.t.tx.ExecContext(ctx, `INSERT INTO test_drive_schedules (`+scheduleCols+`)
			VALUES ($1, $1, 1, $2, $3, $4, $5, $6, $7)`, d, sc.CreatedAt.UTC(), sc.UpdatedAt.UTC(), mins(sc.SlotLength),
			mins(sc.WorkdayStart), mins(sc.WorkdayEnd), sc.TimeZone)
		return created(&sc.Meta, mapErr(op, err))
	}
	res, err := s.t.tx.ExecContext(ctx, `UPDATE test_drive_schedules SET version = version + 1, updated_at = $3,
		slot_minutes = $4, workday_start = $5, workday_end = $6, time_zone = $7 WHERE id = $1 AND version = $2`,
		d, sc.Version, sc.UpdatedAt.UTC(), mins(sc.SlotLength), mins(sc.WorkdayStart), mins(sc.WorkdayEnd), sc.TimeZone)
	if err := s.t.updated(ctx, op, "test_drive_schedules", d, d, res, err); err != nil {
		return err
	}
	sc.Version++
	return nil
}
