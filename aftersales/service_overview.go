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
// memory the read lock), so the car's odometer, its readings and its visits agree. crm.KindNotFound for a car the
// dealer does not have.
func (s *Service) GetCarOverview(ctx context.Context, id crm.ID) (CarOverview, error) {
	var out CarOverview
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		_, loc, err := workshopIn(ctx, st)
		if err != nil {
			return err
		}
		cv, err := st.CustomerVehicles().Get(ctx, id)
		if err != nil {
			return err
		}
		rs, err := st.MileageReadings().ListByCustomerVehicle(ctx, id)
		if err != nil {
			return err
		}
		visits, err := st.Appointments().ListByCustomerVehicle(ctx, id)
		if err != nil {
			return err
		}
		ws, err := st.Warranties().ListByCustomerVehicle(ctx, id)
		if err != nil {
			return err
		}
		sales, err := st.CarSales().ListWonByVIN(ctx, cv.VIN)
		if err != nil {
			return err
		}
		now := crm.Now(ctx)
		plan, err := planOf(ctx, st, cv)
		if err != nil {
			return err
		}
		m := CarMaintenance{CustomerVehicle: cv, Plan: plan}
		if !plan.Interval.IsZero() {
			m.Due = NextMaintenance(plan.Interval, BasisOf(cv, rs), now, loc)
		}
		out = overviewOf(cv, civil(now, loc), sales, visits, ws, m, rs)
		return nil
	})
	return out, wrap("aftersales.Service.GetCarOverview", err)
}
