package stack_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// The README's embedding snippet, run at 23:00 in Moscow, when "now" is outside working hours: the test drive is
// booked for the schedule's first free slot, so the snippet works at any hour (TestREADMESnippetAnyHour runs it
// at every hour of a week, TestREADMESnippetIsThisExample holds the README to this code).
func Example() {
	ctx := context.Background()
	clock := crm.NewManualClock(time.Date(2026, 11, 27, 20, 0, 0, 0, time.UTC)) // 23:00 in Moscow
	notify := stack.NotifierFunc(func(ctx context.Context, m crm.Message) error {
		fmt.Println("notice:", m.Topic, "to", m.Recipient)
		return nil
	})
	st := stack.New(memory.New(), clock, stack.WithNotifier(notify))

	v, drive, h, err := readmeSnippet(ctx, st)
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Name(), v.Status, drive.Start.In(st.Leads.Config().Location).Format("Mon 02.01 15:04"), h != nil)
	if _, err := st.RelayAll(ctx); err != nil {
		panic(err)
	}
	// Output:
	// Lada Vesta 2026 reserved Sat 28.11 09:00 true
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

// readmeSnippet is the README's "Embed it" snippet, line for line, with errors returned instead of dropped.
func readmeSnippet(ctx context.Context, st *stack.Stack) (catalog.Vehicle, leads.TestDrive, *httpapi.Handler, error) {
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
	if err != nil {
		return catalog.Vehicle{}, leads.TestDrive{}, nil, err
	}
	ctx = crm.WithDealer(ctx, d.ID)
	v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTAGFL110TY000001", Make: "Lada", Model: "Vesta", Year: 2026})
	if err != nil {
		return catalog.Vehicle{}, leads.TestDrive{}, nil, err
	}
	l, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", Phones: []string{"+79000000000"}},
		Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
	if err != nil {
		return catalog.Vehicle{}, leads.TestDrive{}, nil, err
	}
	now := st.Clock.Now()
	free, err := st.Leads.ListFreeSlots(ctx, v.ID, now, now.Add(7*24*time.Hour)) // bookable slots within working hours
	if err != nil || len(free) == 0 {
		return catalog.Vehicle{}, leads.TestDrive{}, nil, fmt.Errorf("free slots: %d, %v", len(free), err)
	}
	td, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: free[0].Start})
	if err != nil {
		return catalog.Vehicle{}, leads.TestDrive{}, nil, err
	}
	v, err = st.Catalog.GetVehicle(ctx, v.ID) // v.Status == catalog.StatusReserved
	if err != nil {
		return catalog.Vehicle{}, leads.TestDrive{}, nil, err
	}
	h, err := httpapi.New(st.HTTPConfig()) // the whole JSON API, to mount in your own mux
	return v, td, h, err
}
