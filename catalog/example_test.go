package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

func ExampleParseVIN() {
	vin, err := catalog.ParseVIN(" 1m8gdm9axkp042788 ", true)
	fmt.Println(vin, err)
	fmt.Println(vin.WMI(), vin.VDS(), vin.VIS())
	year, ok := vin.ModelYear()
	fmt.Println(year, ok)

	// A European VIN has no check digit: the lenient policy takes it, the strict one does not.
	_, err = catalog.ParseVIN("WVWZZZ1JZXW000001", true)
	fmt.Println(err)
	golf, err := catalog.ParseVIN("WVWZZZ1JZXW000001", false)
	fmt.Println(golf, err)
	// Output:
	// 1M8GDM9AXKP042788 <nil>
	// 1M8 GDM9AX KP042788
	// 1989 true
	// catalog.ParseVIN: invalid input: vin check digit at position 9 is 'Z', '0' expected
	// WVWZZZ1JZXW000001 <nil>
}

func ExampleService_CreateVehicle() {
	db := memory.New()
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))

	dealer, _ := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север-Авто»", Currency: "RUB"}, clock.Now())
	_ = crm.NewUnit[crm.Stores](db, clock).Update(ctx, func(ctx context.Context, s crm.Stores) error { return s.Dealers().Create(ctx, &dealer) })
	ctx = crm.WithDealer(ctx, dealer.ID)

	svc := catalog.NewService(crm.NewUnit[catalog.Stores](db, clock), clock)
	v, err := svc.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA210990Y2766389", Make: "Lada", Model: "Vesta",
		Trim: "Comfort", Year: 2026, Finance: catalog.VehicleFinance{ListPrice: crm.MustMoney("1520000", "RUB")}})
	fmt.Println(v.Name(), v.Status, v.Finance.ListPrice, v.Version, err)

	_, err = svc.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA210990Y2766389", Make: "Lada", Model: "Vesta", Year: 2026})
	fmt.Println(errors.Is(err, crm.ErrConflict))

	_, err = svc.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTA21099", Year: 1800})
	for _, f := range crm.FieldsOf(err) {
		fmt.Println(f.Field, f.Message)
	}

	page, _ := svc.SearchVehicles(ctx, catalog.VehicleQuery{Make: "LADA", Status: []catalog.Status{catalog.StatusInStock}})
	fmt.Println(len(page.Items), page.NextCursor == "")
	// Output:
	// Lada Vesta Comfort 2026 in_stock 1520000.00 RUB 1 <nil>
	// true
	// vin must be 17 characters, got 8
	// make is required
	// model is required
	// year must be a model year between 1886 and 2028
	// 1 true
}

func ExampleService_ListReservedVehicles() {
	db := memory.New()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	dealer, _ := crm.NewDealer(crm.Dealer{Name: "Север", LegalName: "ООО «Север-Авто»"}, clock.Now())
	_ = crm.NewUnit[crm.Stores](db, clock).Update(context.Background(), func(ctx context.Context, s crm.Stores) error { return s.Dealers().Create(ctx, &dealer) })
	ctx := crm.WithDealer(context.Background(), dealer.ID)
	svc := catalog.NewService(crm.NewUnit[catalog.Stores](db, clock), clock)

	v, _ := svc.CreateVehicle(ctx, catalog.Vehicle{VIN: "Z94CB41AAGR323020", Make: "Hyundai", Model: "Solaris", Year: 2016,
		Condition: catalog.Used, Mileage: 84000})
	// Another prospect's test drive in its slot does not stop a sale from holding the car; the sale's hold then
	// keeps every other holder out.
	lead := crm.NewID()
	_, _ = svc.ReserveVehicle(ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: crm.NewID(),
		Holder: catalog.Holder{LeadID: lead}, From: clock.Now().Add(time.Hour), Until: clock.Now().Add(2 * time.Hour)})
	_, err := svc.ReserveVehicle(ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForSale, RefID: crm.NewID(),
		Holder: catalog.Holder{CustomerID: crm.NewID()}})
	fmt.Println(err)
	_, err = svc.ReserveVehicle(ctx, v.ID, 0, catalog.Reservation{Purpose: catalog.ForTestDrive, RefID: crm.NewID(),
		Holder: catalog.Holder{LeadID: crm.NewID()}, Until: clock.Now().Add(3 * time.Hour)})
	fmt.Println(errors.Is(err, catalog.ErrVehicleReserved))

	page, _ := svc.ListReservedVehicles(ctx, catalog.VehicleQuery{})
	for _, v := range page.Items {
		r := v.Reservations[0]
		fmt.Println(v.Name(), v.Status, len(v.Reservations), r.Purpose, r.Holder.LeadID == lead, r.From.Format("15:04"), r.Until.Format("15:04"))
	}
	// Output:
	// <nil>
	// true
	// Hyundai Solaris 2016 reserved 2 test_drive true 10:00 11:00
}
