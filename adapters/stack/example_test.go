package stack_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// A dealer books a test drive: the car becomes reserved.
func Example() {
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) // 13:00 in Moscow
	notify := stack.NotifierFunc(func(ctx context.Context, m crm.Message) error {
		fmt.Println("notice:", m.Topic, "to", m.Recipient)
		return nil
	})
	st := stack.New(memory.New(), clock, stack.WithNotifier(notify))

	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
	if err != nil {
		panic(err)
	}
	ctx = crm.WithDealer(ctx, d.ID)
	v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTAGFL110TY000001", Make: "Lada", Model: "Vesta", Year: 2026})
	if err != nil {
		panic(err)
	}
	l, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
		Phones: []string{"+7 900 000-00-00"}}, Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
	if err != nil {
		panic(err)
	}
	if _, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Now: true}); err != nil {
		panic(err)
	}
	v, _ = st.Catalog.GetVehicle(ctx, v.ID)
	fmt.Println(v.Name(), v.Status)
	if _, err := st.RelayAll(ctx); err != nil {
		panic(err)
	}
	// Output:
	// Lada Vesta 2026 reserved
	// notice: test_drive.booked to +79000000000
}

// Run starts the CRM's background work — the outbox relay and the end of run-out vehicle holds — and returns
// when its context is cancelled (a program cancels on SIGINT/SIGTERM).
func ExampleStack_Run() {
	ctx, stop := context.WithCancel(context.Background())
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) // 13:00 in Moscow
	notify := stack.NotifierFunc(func(_ context.Context, m crm.Message) error {
		fmt.Println("notice:", m.Topic, "to", m.Recipient)
		stop() // here: stop after the first notice
		return nil
	})
	st := stack.New(memory.New(), clock, stack.WithNotifier(notify))
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
	if err != nil {
		panic(err)
	}
	dctx := crm.WithDealer(ctx, d.ID)
	v, err := st.Catalog.CreateVehicle(dctx, catalog.Vehicle{VIN: "XTAGFL110TY000001", Make: "Lada", Model: "Vesta", Year: 2026})
	if err != nil {
		panic(err)
	}
	l, err := st.Leads.CreateLead(dctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", Phones: []string{"+7 900 000-00-00"}},
		Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
	if err != nil {
		panic(err)
	}
	if _, err := st.Leads.BookTestDrive(dctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Now: true}); err != nil {
		panic(err)
	}

	err = st.Run(ctx, stack.WithRelayInterval(100*time.Millisecond), stack.WithExpiryInterval(time.Minute))
	fmt.Println("stopped:", err)
	// Output:
	// notice: test_drive.booked to +79000000000
	// stopped: <nil>
}
