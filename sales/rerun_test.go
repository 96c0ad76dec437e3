package sales_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/adaptertest"
	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestGenerateContractStartsAfreshOnEachRun: GenerateContract looks, inside its read, for a document that holds
// the contract as it prints now; when a first run found one and a second run (after the buyer's name changed)
// finds none, the kept document of the first run is not the answer: the contract is formed anew.
func TestGenerateContractStartsAfreshOnEachRun(t *testing.T) {
	db := memory.New()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	dealer, err := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север-Авто»", Currency: "RUB"}, clock.Now())
	require.NoError(t, err)
	customer, err := crm.NewCustomer(dealer.ID, crm.Customer{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
		Emails: []string{"ivan@example.org"}}}, clock.Now())
	require.NoError(t, err)
	ctx := crm.WithDealer(context.Background(), dealer.ID)
	kernel := crm.NewUnit[crm.Stores](db, clock)
	require.NoError(t, kernel.Update(ctx, func(ctx context.Context, s crm.Stores) error {
		if err := s.Dealers().Create(ctx, &dealer); err != nil {
			return err
		}
		return s.Customers().Create(ctx, &customer)
	}))
	car, err := catalog.NewService(crm.NewUnit[catalog.Stores](db, clock), clock).CreateVehicle(ctx, catalog.Vehicle{
		VIN: "XTAGFK330LY123456", Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026, Mileage: 12,
		Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1500000", "RUB"), VATRate: decimal.RequireFromString("0.2")}})
	require.NoError(t, err)
	svc := sales.NewService(crm.NewUnit[sales.Stores](db, clock), clock)
	_, err = svc.SeedStages(ctx)
	require.NoError(t, err)
	sale, err := svc.OpenSale(ctx, sales.OpenSaleInput{CustomerID: customer.ID, VehicleID: car.ID})
	require.NoError(t, err)
	fs := files.NewMemory()
	r := textRenderer{contentType: "text/plain; charset=utf-8"}
	first, _, err := svc.GenerateContract(ctx, sale.ID, sales.ContractTerms{}, r, fs)
	require.NoError(t, err)

	rerun := sales.NewService(crm.NewUnit[sales.Stores](adaptertest.RerunReads(db, func() {
		require.NoError(t, kernel.Update(ctx, func(ctx context.Context, s crm.Stores) error {
			c, err := s.Customers().Get(ctx, customer.ID)
			if err != nil {
				return err
			}
			c.LastName = "Сидоров"
			return s.Customers().Update(ctx, &c)
		}))
	}), clock), clock)
	got, _, err := rerun.GenerateContract(ctx, sale.ID, sales.ContractTerms{}, r, fs)
	require.NoError(t, err)
	require.NotEqual(t, first.ID, got.ID, "the buyer's name changed between the runs: the first run's kept document is not this contract")
}
