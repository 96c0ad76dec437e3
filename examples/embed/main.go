// Command embed shows dealercrm embedded in a program: every service over the in-memory backend in one call,
// a car added to stock, a test drive booked for tomorrow morning, and the car reserved as a result.
//
//	go run ./examples/embed
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	st := stack.New(memory.New(), crm.SystemClock{}) // or a *postgres.DB
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
	if err != nil {
		return err
	}
	ctx = crm.WithDealer(ctx, d.ID) // every call works within one dealer
	v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTAGFL110TY000001", Make: "Lada", Model: "Vesta", Year: 2026})
	if err != nil {
		return err
	}
	l, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
		Phones: []string{"+7 916 123-45-67"}}, Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
	if err != nil {
		return err
	}
	loc := st.Leads.Config().Location // the dealer's working hours are reckoned there
	tomorrow := time.Now().In(loc).AddDate(0, 0, 1)
	start := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 10, 0, 0, 0, loc)
	if _, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: start}); err != nil {
		return err
	}
	if v, err = st.Catalog.GetVehicle(ctx, v.ID); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %s (test drive %s)\n", v.Name(), v.Status, start.Format("02.01.2006 15:04 MST"))
	return nil
}
