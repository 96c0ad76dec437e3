package memory

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// scheduleRecords keeps one schedule per dealer, under the dealer's ID.
var scheduleRecords = records[leads.Schedule]{name: "test_drive_schedules", meta: func(s *leads.Schedule) *crm.Meta { return &s.Meta }}

type scheduleStore struct{ tx *Tx }

// Schedules returns the test-drive schedule store of this unit of work.
func (tx *Tx) Schedules() leads.ScheduleStore { return scheduleStore{tx} }

func (s scheduleStore) Get(ctx context.Context) (leads.Schedule, error) {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return leads.Schedule{}, err
	}
	sc, err := scheduleRecords.get(ctx, s.tx, d)
	if err != nil {
		return leads.Schedule{}, crm.NotFound("memory.Schedules.Get", "the dealer has no test-drive schedule")
	}
	return sc, nil
}

func (s scheduleStore) Save(ctx context.Context, sc *leads.Schedule) error {
	d, err := crm.DealerFrom(ctx)
	if err != nil {
		return err
	}
	sc.ID, sc.DealerID = d, d
	if sc.Version == 0 {
		return scheduleRecords.create(ctx, s.tx, sc)
	}
	return scheduleRecords.update(ctx, s.tx, sc)
}
