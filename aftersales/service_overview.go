package aftersales

import (
	"context"

	"github.com/dealercrm/dealercrm/crm"
)

// GetCarOverview returns one view of the customer vehicle: the car, the won sales of its VIN, its service visits
// (appointments of every status with their works), its warranties with their status today, its maintenance
// (plan, next due date and km, due and overdue, the last completed visit) and its mileage readings — today being
// the date in the workshop's time zone. Everything about the car, and the workshop calendar (only its time zone is
// used), is read in one snapshot, as every View's reads are (in PostgreSQL one repeatable-read transaction, in
// memory the read lock), so the car's odometer, its readings and its visits agree: through the bundle's
// OverviewReader when it has one (on PostgreSQL one statement, the directory's plan included), else store by
// store. crm.KindNotFound for a car the dealer does not have.
func (s *Service) GetCarOverview(ctx context.Context, id crm.ID) (CarOverview, error) {
	const op = "aftersales.Service.GetCarOverview"
	var out CarOverview
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		src, err := overviewSources(ctx, st, id)
		if err != nil {
			return err
		}
		_, loc, err := workshopOr(ctx, src.Workshop, src.HasWorkshop)
		if err != nil {
			return err
		}
		cv := src.Car
		if cv.ID == (crm.ID{}) {
			return crm.NotFound(op, "customer vehicle %s not found", id)
		}
		now := crm.Now(ctx)
		plan, err := overviewPlan(ctx, st, src)
		if err != nil {
			return err
		}
		m := CarMaintenance{CustomerVehicle: cv, Plan: plan}
		if !plan.Interval.IsZero() {
			m.Due = NextMaintenance(plan.Interval, BasisOf(cv, src.Readings), now, loc)
		}
		out = overviewOf(cv, civil(now, loc), src.Sales, src.Visits, src.Warranties, m, src.Readings)
		return nil
	})
	return out, wrap(op, err)
}
