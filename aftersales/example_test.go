package aftersales_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/sales"
)

// Winning a sale records the customer vehicle; the aftersales service then lists a customer's cars.
func ExampleService_ListCustomerVehiclesByCustomer() {
	db := memory.New()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	dealer, _ := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север-Авто»"}, clock.Now())
	customer, _ := crm.NewCustomer(dealer.ID, crm.Customer{Contact: crm.Contact{FirstName: "Анна", LastName: "Смирнова",
		Phones: []string{"+7 900 123-45-67"}}}, clock.Now())
	ctx := crm.WithDealer(context.Background(), dealer.ID)
	_ = crm.NewUnit[crm.Stores](db, clock).Update(ctx, func(ctx context.Context, s crm.Stores) error {
		if err := s.Dealers().Create(ctx, &dealer); err != nil {
			return err
		}
		return s.Customers().Create(ctx, &customer)
	})
	car, _ := catalog.NewService(crm.NewUnit[catalog.Stores](db, clock), clock).CreateVehicle(ctx, catalog.Vehicle{VIN: "XTAGFK330LY654321",
		Make: "Lada", Model: "Niva Travel", Year: 2026, Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1100000", "RUB")}})
	deals := sales.NewService(crm.NewUnit[sales.Stores](db, clock), clock)
	if _, err := deals.SeedStages(ctx); err != nil {
		fmt.Println(err)
		return
	}
	sale, _ := deals.OpenSale(ctx, sales.OpenSaleInput{CustomerID: customer.ID, VehicleID: car.ID})
	if _, _, err := deals.WinSale(ctx, sale.ID, sale.Version, sales.WinInput{Insurer: "РЕСО-Гарантия", PolicyNumber: "ТТТ 7001",
		InsuranceFrom: clock.Now(), InsuranceTo: clock.Now().AddDate(1, 0, 0)}); err != nil {
		fmt.Println(err)
		return
	}

	svc := aftersales.NewService(crm.NewUnit[aftersales.Stores](db, clock), clock)
	cars, _ := svc.ListCustomerVehiclesByCustomer(ctx, customer.ID)
	for _, cv := range cars {
		fmt.Println(cv.Make, cv.Model, cv.VIN, cv.SoldAt.Format("2006-01-02"), cv.Insurance.Insurer,
			cv.Insurance.ValidTo.Format("2006-01-02"), cv.Insured())
	}
	// Output:
	// Lada Niva Travel XTAGFK330LY654321 2026-11-27 РЕСО-Гарантия 2027-11-27 true
}

// One view of a car bought elsewhere: its readings, a maintenance visit done, a warranty and its status.
func ExampleService_GetCarOverview() {
	db := memory.New()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	dealer, _ := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север-Авто»"}, clock.Now())
	owner, _ := crm.NewCustomer(dealer.ID, crm.Customer{Contact: crm.Contact{FirstName: "Олег", LastName: "Рябов",
		Phones: []string{"+7 916 000-00-01"}}}, clock.Now())
	ctx := crm.WithDealer(context.Background(), dealer.ID)
	_ = crm.NewUnit[crm.Stores](db, clock).Update(ctx, func(ctx context.Context, s crm.Stores) error {
		if err := s.Dealers().Create(ctx, &dealer); err != nil {
			return err
		}
		return s.Customers().Create(ctx, &owner)
	})
	svc := aftersales.NewService(crm.NewUnit[aftersales.Stores](db, clock), clock)
	car, err := svc.CreateCustomerVehicle(ctx, aftersales.CustomerVehicle{CustomerID: owner.ID, VIN: "Z94C251BBRR240001",
		Make: "Kia", Model: "Rio", Year: 2024, OdometerAtSale: 20, InServiceSince: clock.Now().AddDate(-2, 0, 0)})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _ = svc.AddWarranty(ctx, car.ID, aftersales.Warranty{Kind: aftersales.WarrantyManufacturer, Start: car.InServiceSince,
		End: car.InServiceSince.AddDate(3, 0, 0), KmLimit: 100000, Systems: []string{"engine"}})
	start := time.Date(2026, 11, 28, 7, 0, 0, 0, time.UTC) // 10:00 in Moscow
	visit, _ := svc.BookAppointment(ctx, aftersales.AppointmentBooking{CustomerVehicleID: car.ID, Bay: "1", Start: start,
		End: start.Add(time.Hour), Maintenance: true})
	clock.Set(start)
	for _, step := range []string{"arrive", "start", "complete"} {
		if visit, err = svc.MoveAppointment(ctx, visit.ID, 0, step, aftersales.StepInput{KM: 30500}); err != nil {
			fmt.Println(err)
			return
		}
	}

	o, _ := svc.GetCarOverview(ctx, car.ID)
	fmt.Println(o.Car.Make, o.Car.Model, o.Car.Odometer, "km;", len(o.Sales), "sales;", len(o.Readings), "readings")
	fmt.Println("last visit:", o.LastVisit.Status, o.LastVisit.Start.Format(time.DateOnly))
	for _, w := range o.Warranties {
		fmt.Println("warranty:", w.Warranty.Kind, w.Status, "until", w.Warranty.End.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	fmt.Println("no plan:", o.Maintenance.Plan.Interval.IsZero())
	// Output:
	// Kia Rio 30500 km; 0 sales; 4 readings
	// last visit: done 2026-11-28
	// warranty: manufacturer active until 2027-11-26
	// no plan: true
}
