package demo

import (
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

// salesPlans gives the dealer's open sales an expected close date in the current month (so the month's plan
// has a forecast) and sets, as the admin, the month's plan of the dealer and the quarter's plan of the sales
// manager (issue 13). Targets are a function of the dealer's number (dealerN); dates of the clock.
func (s *seeder) salesPlans(admin, manager crm.ID) error {
	now := s.st.Clock.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	closeOn := sales.DateOf(now.AddDate(0, 0, 10))
	if last := month.AddDate(0, 1, -1); closeOn.After(last) {
		closeOn = last
	}
	for k, sl := range s.out.Sales {
		if sl.Status != sales.StatusOpen {
			continue
		}
		day := closeOn
		updated, err := s.st.Sales.EditSale(s.ctx, sl.ID, sl.Version, sales.Edit{Changes: sales.Changes{ExpectedClose: &day}})
		if err != nil {
			return err
		}
		s.out.Sales[k] = updated
	}
	actx := crm.WithActor(s.ctx, admin)
	quarter := time.Date(now.Year(), time.Month((int(now.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	for _, in := range []plans.Input{
		{Period: plans.Month, Start: month, TargetUnits: 6 + 2*s.dealerN,
			TargetRevenue: crm.NewMoney(decimal.NewFromInt(int64(12_000_000+3_000_000*s.dealerN)), "RUB"), Name: "План месяца"},
		{Period: plans.Quarter, Start: quarter, Scope: plans.Scope{OwnerID: manager}, TargetUnits: 10,
			TargetRevenue: crm.NewMoney(decimal.NewFromInt(20_000_000), "RUB"), Name: "План менеджера на квартал"},
	} {
		p, err := s.st.Plans.CreatePlan(actx, in)
		if err != nil {
			return err
		}
		s.out.Plans = append(s.out.Plans, p)
	}
	return nil
}
