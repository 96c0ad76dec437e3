package aftersales_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/require"
)

// TestCheckCoverageStartsAfreshOnEachRun: CheckCoverage with km 0 takes the car's odometer, and the day from the
// workshop's zone, inside its unit of work; a second run must read them again, not keep the first run's (which,
// on PostgreSQL, was read outside the snapshot the second run is made to give).
func TestCheckCoverageStartsAfreshOnEachRun(t *testing.T) {
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	db := memory.New()
	st := stack.New(db, clock)
	ctx := context.Background()
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Север", LegalName: "ООО «Север-Авто»"})
	require.NoError(t, err)
	ctx = crm.WithDealer(ctx, d.ID)
	c, err := st.Customers.CreateCustomer(ctx, crm.Customer{Contact: crm.Contact{FirstName: "Анна", LastName: "Смирнова",
		Phones: []string{"+7 900 123-45-67"}}})
	require.NoError(t, err)
	cv, err := st.Aftersales.CreateCustomerVehicle(ctx, aftersales.CustomerVehicle{CustomerID: c.ID, VIN: "XTAGFK330LY123456",
		Make: "Lada", Model: "Vesta", Year: 2025, InServiceSince: clock.Now().AddDate(0, -6, 0), OdometerAtSale: 1000})
	require.NoError(t, err)
	_, err = st.Aftersales.AddWarranty(ctx, cv.ID, aftersales.Warranty{Kind: aftersales.WarrantyDealer,
		Start: clock.Now().AddDate(0, -6, 0), End: clock.Now().AddDate(1, 0, 0), KmLimit: 30000, Systems: []string{"engine"}})
	require.NoError(t, err)

	svc := aftersales.NewService(crm.NewUnit[aftersales.Stores](adaptertest.RerunReads(db, func() {
		// Between the runs the car passes the warranty's mileage limit.
		_, _, err := st.Aftersales.RecordMileage(ctx, cv.ID, 0, aftersales.MileageReading{KM: 40000, At: clock.Now()})
		require.NoError(t, err)
	}), clock), clock)
	cov, err := svc.CheckCoverage(ctx, cv.ID, "engine", time.Time{}, 0)
	require.NoError(t, err)
	require.False(t, cov.Covered, "the second run read the odometer at 40,000 km, past the 30,000 km limit: %+v", cov)
}
