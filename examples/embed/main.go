// Command embed shows dealercrm embedded in a program of its own: every service over the in-memory backend in
// one call, a car added to stock, a test drive booked for the schedule's first free slot (at any hour), the car
// reserved as a result — and the whole JSON API mounted on the program's own mux, next to the program's own routes.
//
//	go run ./examples/embed                      # listens on 127.0.0.1:8090 until interrupted
//	go run ./examples/embed -addr 127.0.0.1:0    # any free port
//
// It prints the car's state, an API token and curl lines to try.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/dealercrm/dealercrm/adapters/httpapi"
	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "where to listen")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *addr, crm.SystemClock{}, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(1)
	}
}

// run sets the CRM up, starts its background work (stack.Run), serves the program's mux on addr and returns
// when ctx ends.
func run(ctx context.Context, addr string, clock crm.Clock, out io.Writer) error {
	app, err := setUp(ctx, clock, out)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "listening on %s\n", base)
	fmt.Fprintf(out, "curl %s/hello\n", base)
	fmt.Fprintf(out, "curl -H 'Authorization: Bearer %s' %s/api/v1/vehicles\n", app.token, base)
	ctx, cancel := context.WithCancel(ctx)
	background := make(chan error, 1) // the relay (notices) and the end of run-out holds, until ctx ends
	go func() { background <- app.st.Run(ctx) }()
	defer func() { cancel(); <-background }()
	srv := &http.Server{Handler: app.mux, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// app is the embedding program: its mux and the token of its one user.
type app struct {
	st    *stack.Stack
	mux   *http.ServeMux
	token string
}

// setUp assembles the CRM, adds a dealer with a user, a car and a booked test drive, and builds the program's
// mux: its own route and, under /api/ and /openapi.json, the CRM's JSON API.
func setUp(ctx context.Context, clock crm.Clock, out io.Writer) (*app, error) {
	st := stack.New(memory.New(), clock) // or a *postgres.DB (postgres.Open + Migrate)
	d, err := st.AddDealer(ctx, crm.Dealer{Name: "Автоцентр", LegalName: "ООО «Автоцентр»"})
	if err != nil {
		return nil, err
	}
	ctx = crm.WithDealer(ctx, d.ID) // every call works within one dealer
	u, err := st.AddUser(ctx, crm.User{Name: "Мария Менеджер", Role: crm.RoleSalesManager})
	if err != nil {
		return nil, err
	}
	token, err := st.IssueAPIKey(ctx, u, "embed example")
	if err != nil {
		return nil, err
	}
	v, err := st.Catalog.CreateVehicle(ctx, catalog.Vehicle{VIN: "XTAGFL110TY000001", Make: "Lada", Model: "Vesta", Year: 2026})
	if err != nil {
		return nil, err
	}
	l, err := st.Leads.CreateLead(ctx, leads.LeadInput{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
		Phones: []string{"+7 916 123-45-67"}}, Source: leads.SourceWalkIn, NeedType: leads.NeedCarPurchase})
	if err != nil {
		return nil, err
	}
	now := clock.Now()
	free, err := st.Leads.ListFreeSlots(ctx, v.ID, now, now.Add(7*24*time.Hour)) // within working hours, at any hour
	if err != nil {
		return nil, err
	}
	if len(free) == 0 {
		return nil, errors.New("no free test-drive slot within a week")
	}
	drive, err := st.Leads.BookTestDrive(ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: free[0].Start})
	if err != nil {
		return nil, err
	}
	if v, err = st.Catalog.GetVehicle(ctx, v.ID); err != nil {
		return nil, err
	}
	loc := st.Leads.Config().Location // the dealer's working hours are reckoned there
	fmt.Fprintf(out, "%s: %s (test drive %s)\n", v.Name(), v.Status, drive.Start.In(loc).Format("02.01.2006 15:04 MST"))

	api, err := httpapi.New(st.HTTPConfig())
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) { // the program's own route
		fmt.Fprintln(w, "hello from the embedding program")
	})
	mux.Handle("/api/", api)         // the CRM's JSON API
	mux.Handle("/openapi.json", api) // and its description
	return &app{st: st, mux: mux, token: token}, nil
}
