package leads_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// Example imports an ADF lead, books it a test drive (which reserves the car and queues a notice) and shows that
// an overlapping booking is refused.
func Example() {
	db := memory.New()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)) // 12:00 in Moscow
	dealer, _ := crm.NewDealer(crm.Dealer{Name: "Дилерский центр Север", LegalName: "ООО «Север-Авто»"}, clock.Now())
	_ = crm.NewUnit[crm.Stores](db, clock).Update(context.Background(), func(ctx context.Context, s crm.Stores) error {
		return s.Dealers().Create(ctx, &dealer)
	})
	ctx := crm.WithDealer(context.Background(), dealer.ID)
	svc := leads.NewService(crm.NewUnit[leads.Stores](db, clock), clock) // default schedule: 30-minute slots, 09:00–21:00 Moscow time

	doc, _ := os.Open("testdata/sample.xml")
	defer doc.Close()
	res, err := svc.ImportADF(ctx, doc)
	if err != nil {
		panic(err)
	}
	lead, _ := svc.GetLead(ctx, res.Items[0].LeadID)
	fmt.Println(res.Items[0].Status, lead.Contact.FullName(), lead.Source, lead.NeedType, lead.Stage)
	fmt.Println("wants:", lead.Interest.Make, lead.Interest.Model, "test drive:", lead.TestDriveRequested,
		"trade-in:", lead.TradeIn.Make, lead.TradeIn.Model, lead.TradeIn.Price)

	vesta, _ := catalog.NewVehicle(dealer, catalog.Vehicle{VIN: "XTAGFK330LY000001", Make: "Lada", Model: "Vesta",
		Trim: "Comfort", Year: 2026}, clock.Now())
	_ = crm.NewUnit[leads.Stores](db, clock).Update(ctx, func(ctx context.Context, s leads.Stores) error { return s.Vehicles().Create(ctx, &vesta) })

	saturday10 := time.Date(2026, 11, 28, 10, 0, 0, 0, svc.Config().Location)
	drive, err := svc.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: lead.ID, VehicleID: vesta.ID, Start: saturday10})
	if err != nil {
		panic(err)
	}
	fmt.Println("booked:", drive.Status, drive.Start.In(svc.Config().Location).Format("Mon 02.01 15:04"), "–",
		drive.End.In(svc.Config().Location).Format("15:04"))

	_ = crm.NewUnit[leads.Stores](db, clock).View(ctx, func(ctx context.Context, s leads.Stores) error {
		v, _ := s.Vehicles().Get(ctx, vesta.ID)
		fmt.Println("vehicle:", v.Status)
		return nil
	})
	_ = crm.NewUnit[crm.Stores](db, clock).View(ctx, func(ctx context.Context, s crm.Stores) error {
		msgs, _ := s.Outbox().List(ctx, 10)
		fmt.Println("notice:", msgs[0].Topic, "to", msgs[0].Recipient, "—", msgs[0].Subject)
		return nil
	})

	_, err = svc.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: lead.ID, VehicleID: vesta.ID, Start: saturday10.Add(15 * time.Minute)})
	fmt.Println("overlap refused:", errors.Is(err, leads.ErrTestDriveOverlap), crm.KindOf(err))

	again, _ := os.Open("testdata/sample.xml")
	defer again.Close()
	res, _ = svc.ImportADF(ctx, again)
	fmt.Println("import again:", res.Items[0].Status, "created", res.Created)

	// Output:
	// created Иван Петров import car_purchase new
	// wants: Lada Vesta test drive: true trade-in: Kia Rio 900000.00 RUB
	// booked: booked Sat 28.11 10:00 – 10:30
	// vehicle: reserved
	// notice: test_drive.booked to ivan@example.org — Тест-драйв 28.11.2026 в 10:00 / Test drive on 28.11.2026 at 10:00
	// overlap refused: true conflict
	// import again: duplicate created 0
}
