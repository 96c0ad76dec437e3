package sales_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/shopspring/decimal"
)

// A sale walks the stages, gets an order, and is won: the car is sold and the customer vehicle recorded.
func ExampleService_WinSale() {
	db := memory.New()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	dealer, _ := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север-Авто»", Currency: "RUB"}, clock.Now())
	customer, _ := crm.NewCustomer(dealer.ID, crm.Customer{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
		Emails: []string{"ivan@example.org"}}}, clock.Now())
	ctx := crm.WithDealer(context.Background(), dealer.ID)
	_ = crm.NewUnit[crm.Stores](db, clock).Update(ctx, func(ctx context.Context, s crm.Stores) error {
		if err := s.Dealers().Create(ctx, &dealer); err != nil {
			return err
		}
		return s.Customers().Create(ctx, &customer)
	})
	car, err := catalog.NewService(crm.NewUnit[catalog.Stores](db, clock), clock).CreateVehicle(ctx, catalog.Vehicle{VIN: "XTAGFK330LY123456",
		Make: "Lada", Model: "Vesta", Trim: "Comfort", Year: 2026, Mileage: 12,
		Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1500000", "RUB"), VATRate: decimal.RequireFromString("0.2")}})
	if err != nil {
		fmt.Println(err)
		return
	}

	svc := sales.NewService(crm.NewUnit[sales.Stores](db, clock), clock)
	stages, _ := svc.SeedStages(ctx)
	p := sales.NewPipeline(stages)
	sale, _ := svc.OpenSale(ctx, sales.OpenSaleInput{CustomerID: customer.ID, VehicleID: car.ID})
	fmt.Println(sale.StageCode, sale.Probability, sale.Amount)

	proposal, _ := p.ByCode("proposal")
	sale, _ = svc.EditSale(ctx, sale.ID, sale.Version, sales.Edit{StageID: proposal.ID})
	fmt.Println(sale.StageCode, sale.Probability, len(sale.History), "history entries (3 skipped stages)")

	order, _ := svc.CreateOrder(ctx, sale.ID, "")
	order, _, _ = svc.AddOrderLine(ctx, order.ID, order.Version, sales.LineInput{Kind: sales.LineVehicle, RefID: car.ID,
		Quantity: decimal.NewFromInt(1), UnitPrice: car.Finance.ListPrice, VATRate: car.Finance.VATRate})
	order, _, _ = svc.AddOrderLine(ctx, order.ID, order.Version, sales.LineInput{Kind: sales.LinePart, Description: "Масло, л",
		Quantity: decimal.RequireFromString("4.5"), UnitPrice: crm.MustMoney("899.99", "RUB"), VATRate: decimal.RequireFromString("0.2")})
	fmt.Println("gross", order.Gross, "VAT", order.VAT, "net", order.Net)

	won, cv, err := svc.WinSale(ctx, sale.ID, sale.Version, sales.WinInput{Insurer: "Ингосстрах", PolicyNumber: "ХХХ 0123456789",
		ServiceContract: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	sold, _ := catalog.NewService(crm.NewUnit[catalog.Stores](db, clock), clock).GetVehicle(ctx, car.ID)
	fmt.Println(won.StageCode, won.Probability, sold.Status)
	fmt.Println(cv.VIN, cv.Make, cv.Model, cv.Insurance.Insurer, cv.ServiceContract, cv.OdometerAtSale)
	// Output:
	// new 10 1500000.00 RUB
	// proposal 60 5 history entries (3 skipped stages)
	// gross 1504049.96 RUB VAT 250674.99 RUB net 1253374.97 RUB
	// won 100 sold
	// XTAGFK330LY123456 Lada Vesta Ингосстрах true 12
}
